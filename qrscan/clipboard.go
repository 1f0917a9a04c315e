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
// offered as PNG, BMP, JPEG, GIF or WebP. On Windows it reads the "PNG"
// format that browsers add, else the bitmap (CF_DIBV5 or CF_DIB) that every
// program offers. On macOS (built with cgo) it reads the pasteboard's PNG
// through golang.design/x/clipboard. Elsewhere it returns
// ErrUnsupportedSource.
func ScanClipboard(ctx context.Context) ([]Code, error) {
	img, err := clipboardImage(ctx)
	if err != nil {
		return nil, err
	}
	codes, err := Decode(img)
	if err != nil {
		return nil, fmt.Errorf("scanning the clipboard image: %w", err)
	}
	return codes, nil
}
