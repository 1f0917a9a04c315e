//go:build !(linux || freebsd || openbsd || netbsd || dragonfly)

package qrscan

import (
	"context"
	"fmt"
	"runtime"
)

func clipboardImage(context.Context) ([]byte, error) {
	return nil, fmt.Errorf("reading the clipboard on %s is not supported yet: %w", runtime.GOOS, ErrUnsupportedSource)
}
