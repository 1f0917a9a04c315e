//go:build !(linux || freebsd || openbsd || netbsd || dragonfly || windows || (darwin && cgo))

package qrscan

import (
	"context"
	"fmt"
	"image"
	"runtime"
)

func clipboardImage(context.Context) (image.Image, error) {
	return nil, fmt.Errorf("reading the clipboard on %s is not supported (a macOS build needs cgo): %w", runtime.GOOS, ErrUnsupportedSource)
}
