package qrscan

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"io"
	"os"

	// Formats a user may save a QR code in: screenshots (PNG), photos
	// (JPEG), web pages (GIF, WebP) and Windows tools (BMP).
	_ "image/gif"
	_ "image/jpeg"
	_ "image/png"

	"github.com/gatekey/gatekey/internal/readlimit"
	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/webp"
)

// DecodeFile reads an image file (PNG, JPEG, GIF, BMP or WebP) and decodes
// every QR code in it. Files over MaxFileBytes and images over MaxPixels are
// refused with ErrTooLarge before any pixel is decoded.
func DecodeFile(path string) ([]Code, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading QR code image: %w", err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Size() > MaxFileBytes {
		return nil, fmt.Errorf("reading QR code image %s: %d bytes, limit %d: %w", path, st.Size(), MaxFileBytes, ErrTooLarge)
	}
	codes, err := DecodeReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return codes, nil
}

// DecodeReader is DecodeFile for an image read from r, such as standard
// input or a dropped file; it reads at most MaxFileBytes.
func DecodeReader(r io.Reader) ([]Code, error) {
	data, err := readlimit.All(r, MaxFileBytes)
	if errors.Is(err, readlimit.ErrTooLarge) {
		return nil, fmt.Errorf("reading QR code image: over %d bytes: %w", MaxFileBytes, ErrTooLarge)
	}
	if err != nil {
		return nil, fmt.Errorf("reading QR code image: %w", err)
	}
	img, err := decodeImageData(data)
	if err != nil {
		return nil, err
	}
	return Decode(img)
}

// decodeImageData checks the declared size before decoding, so that a
// small file claiming a huge image cannot exhaust memory, and turns a panic
// in an image decoder into an error.
func decodeImageData(data []byte) (img image.Image, err error) {
	defer func() {
		if r := recover(); r != nil {
			img, err = nil, fmt.Errorf("reading QR code image: corrupt image data")
		}
	}()
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("reading QR code image: not a PNG, JPEG, GIF, BMP or WebP image: %w", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, fmt.Errorf("reading QR code image: %s image of %dx%d pixels: %w", format, cfg.Width, cfg.Height, ErrNoCode)
	}
	if cfg.Width > MaxPixels/cfg.Height {
		return nil, fmt.Errorf("reading QR code image: %s image of %dx%d pixels: %w", format, cfg.Width, cfg.Height, ErrTooLarge)
	}
	img, _, err = image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("reading QR code image: decoding %s: %w", format, err)
	}
	return img, nil
}
