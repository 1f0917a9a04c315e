//go:build !(linux || freebsd || openbsd || netbsd || dragonfly || windows || darwin)

package qrscan

import (
	"context"
	"fmt"
	"image"
	"runtime"
)

func captureScreen(context.Context) (image.Image, error) {
	return nil, fmt.Errorf("capturing the screen on %s is not supported: %w", runtime.GOOS, ErrUnsupportedSource)
}
