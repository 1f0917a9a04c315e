//go:build windows || darwin

package qrscan

import (
	"context"
	"fmt"
	"image"
	"runtime"
	"time"

	"github.com/kbinani/screenshot"
)

// On Windows and macOS the screen is captured with
// github.com/kbinani/screenshot: GDI's BitBlt from the desktop on Windows
// (which needs no permission and sees every monitor of the virtual screen),
// CoreGraphics on macOS (which needs cgo, and the Screen Recording
// permission to see other programs' windows).

// captureScreen captures the rectangle that holds every display, in
// virtual-screen coordinates: the image's bounds start where the leftmost
// and topmost monitor does, which may be negative, so that a code's Bounds
// are where it is on the screen.
func captureScreen(ctx context.Context) (image.Image, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	n := screenshot.NumActiveDisplays()
	if n <= 0 {
		return nil, fmt.Errorf("capturing the screen on %s: no display found (a macOS build needs cgo): %w",
			runtime.GOOS, ErrUnsupportedSource)
	}
	var all image.Rectangle
	for i := 0; i < n; i++ {
		all = all.Union(screenshot.GetDisplayBounds(i))
	}
	if all.Empty() {
		return nil, fmt.Errorf("capturing the screen: displays report no size: %w", ErrUnsupportedSource)
	}
	if all.Dx() > MaxPixels/all.Dy() {
		return nil, fmt.Errorf("screen of %dx%d pixels: %w", all.Dx(), all.Dy(), ErrTooLarge)
	}
	// A capture can fail for a moment, for example while the desktop
	// switches to a full-screen program; try a few times.
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(100 * time.Millisecond):
			}
		}
		var rgba *image.RGBA
		if rgba, err = screenshot.CaptureRect(all); err == nil {
			if ctx.Err() != nil { // cancelled while BitBlt ran
				return nil, ctx.Err()
			}
			return grayAt(rgba, all.Min), nil
		}
	}
	return nil, fmt.Errorf("capturing the screen: %w", err)
}

// grayAt converts an opaque capture to luminance, with the weights the X11
// path uses, placing its top-left corner at origin.
func grayAt(rgba *image.RGBA, origin image.Point) *image.Gray {
	b := rgba.Bounds()
	g := image.NewGray(image.Rectangle{Min: origin, Max: origin.Add(b.Size())})
	for y := 0; y < b.Dy(); y++ {
		src := rgba.Pix[y*rgba.Stride : y*rgba.Stride+4*b.Dx()]
		dst := g.Pix[y*g.Stride : y*g.Stride+b.Dx()]
		for x := range dst {
			dst[x] = byte((int(src[4*x]) + 2*int(src[4*x+1]) + int(src[4*x+2])) / 4)
		}
	}
	return g
}
