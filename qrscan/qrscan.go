// Package qrscan finds and draws QR codes: it decodes every code in an image
// (robust to dark themes, low contrast, noise, tiny modules and screenshots
// full of text), reads images from files, the screen and the clipboard, and
// renders codes black on white for display and export.
package qrscan

import (
	"errors"
	"image"
)

// Code is one QR code found in an image.
type Code struct {
	// Text is the decoded payload.
	Text string
	// Bounds is an approximate rectangle around the code, in the
	// coordinates of the image it was found in.
	Bounds image.Rectangle
}

// Limits on untrusted images.
const (
	// MaxFileBytes is the largest image file DecodeFile reads.
	MaxFileBytes = 64 << 20
	// MaxPixels is the largest image, in pixels, that is decoded at all.
	MaxPixels = 50_000_000
)

var (
	// ErrNoCode means the image was read but holds no QR code that could be
	// decoded.
	ErrNoCode = errors.New("no QR code found")
	// ErrTooLarge means a file or an image is over MaxFileBytes or MaxPixels.
	ErrTooLarge = errors.New("image too large")
	// ErrUnsupportedSource means the screen or the clipboard cannot be read
	// on this platform or in this session.
	ErrUnsupportedSource = errors.New("source not supported here")
	// ErrNoImage means the clipboard holds no image.
	ErrNoImage = errors.New("no image on the clipboard")
	// ErrTooLong means a text is too long to fit in one QR code.
	ErrTooLong = errors.New("text too long for a QR code")
)
