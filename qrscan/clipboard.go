package qrscan

import (
	"context"
	"fmt"
)

// ScanClipboard decodes every QR code in the image on the clipboard. It
// returns ErrNoImage when the clipboard holds no image (text included: a
// copied otpauth:// URI is the caller's to parse).
//
// Where it works: on Linux and the BSDs through the X11 CLIPBOARD selection,
// which also serves Wayland sessions through XWayland; the image may be
// offered as PNG, BMP, JPEG, GIF or WebP. On macOS and Windows it returns
// ErrUnsupportedSource.
func ScanClipboard(ctx context.Context) ([]Code, error) {
	data, err := clipboardImage(ctx)
	if err != nil {
		return nil, err
	}
	img, err := decodeImageData(data)
	if err != nil {
		return nil, fmt.Errorf("clipboard: %w", err)
	}
	codes, err := Decode(img)
	if err != nil {
		return nil, fmt.Errorf("scanning the clipboard image: %w", err)
	}
	return codes, nil
}
