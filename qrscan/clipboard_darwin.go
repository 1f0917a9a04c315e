//go:build darwin && cgo

package qrscan

import (
	"context"
	"fmt"
	"image"

	"golang.design/x/clipboard"
)

// The macOS pasteboard is read with golang.design/x/clipboard, which asks
// NSPasteboard for PNG data (macOS converts other image types to it). It
// needs cgo, as every macOS build of Gatekey does for its window.
func clipboardImage(context.Context) (image.Image, error) {
	if err := clipboard.Init(); err != nil {
		return nil, fmt.Errorf("reading the clipboard: %v: %w", err, ErrUnsupportedSource)
	}
	data := clipboard.Read(clipboard.FmtImage)
	if len(data) == 0 {
		return nil, ErrNoImage
	}
	if len(data) > MaxFileBytes {
		return nil, fmt.Errorf("clipboard image of %d bytes: %w", len(data), ErrTooLarge)
	}
	img, err := decodeImageData(data)
	if err != nil {
		return nil, fmt.Errorf("clipboard: %w", err)
	}
	return img, nil
}
