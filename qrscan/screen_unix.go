//go:build linux || freebsd || openbsd || netbsd || dragonfly

package qrscan

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"log"
	"os"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
)

func init() {
	// xgb logs connection details (such as a missing ~/.Xauthority, which
	// is normal) to stderr; errors reach the caller as values instead.
	xgb.Logger = log.New(io.Discard, "", 0)
}

// captureScreen reads the X root window; on Wayland it falls back to the
// portal when X is missing, refuses, or returns a blank picture.
func captureScreen(ctx context.Context) (image.Image, error) {
	img, xerr := captureX11(ctx)
	if xerr == nil && !uniform(img) {
		return img, nil
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if os.Getenv("WAYLAND_DISPLAY") != "" {
		pimg, perr := capturePortal(ctx)
		if perr == nil {
			return pimg, nil
		}
		if xerr != nil {
			return nil, fmt.Errorf("capturing the screen: X11: %v; portal: %w", xerr, perr)
		}
		return nil, fmt.Errorf("capturing the screen: X11 gave a blank image; portal: %w", perr)
	}
	if xerr != nil {
		return nil, xerr
	}
	return img, nil // a blank screen: Decode will say there is no code
}

// captureX11 grabs the root window with GetImage, retrying a few times:
// under Xvfb and some compositors a capture now and then comes back empty
// or cut short.
func captureX11(ctx context.Context) (*image.Gray, error) {
	if os.Getenv("DISPLAY") == "" {
		return nil, fmt.Errorf("capturing the screen: no X display (DISPLAY is not set): %w", ErrUnsupportedSource)
	}
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(100 * time.Millisecond):
			}
		}
		var img *image.Gray
		img, err = withX(ctx, grabRoot)
		if err == nil {
			return img, nil
		}
		if errors.Is(err, ErrUnsupportedSource) || ctx.Err() != nil {
			break
		}
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	return nil, fmt.Errorf("capturing the screen: %w", err)
}

// withX opens a connection to the X server, runs f on it and closes it; a
// cancelled context closes the connection, which ends a blocked request.
func withX[T any](ctx context.Context, f func(*xgb.Conn) (T, error)) (T, error) {
	var zero T
	conn, err := xgb.NewConn()
	if err != nil {
		return zero, fmt.Errorf("connecting to the X display: %v: %w", err, ErrUnsupportedSource)
	}
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := f(conn)
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		conn.Close()
		return r.v, r.err
	case <-ctx.Done():
		conn.Close()
		return zero, ctx.Err()
	}
}

// grabRoot reads the root window in strips of about 4 MiB, so that no
// single reply is huge, and converts the pixels to luminance with the
// visual's colour masks.
func grabRoot(conn *xgb.Conn) (*image.Gray, error) {
	setup := xproto.Setup(conn)
	screen := setup.DefaultScreen(conn)
	w, h := int(screen.WidthInPixels), int(screen.HeightInPixels)
	if w <= 0 || h <= 0 || w > MaxPixels/h {
		return nil, fmt.Errorf("screen of %dx%d pixels: %w", w, h, ErrTooLarge)
	}
	pf, err := pixelFormat(setup, screen)
	if err != nil {
		return nil, err
	}
	img := image.NewGray(image.Rect(0, 0, w, h))
	rows := max(1, (4<<20)/(w*4))
	for y := 0; y < h; y += rows {
		n := min(rows, h-y)
		reply, err := xproto.GetImage(conn, xproto.ImageFormatZPixmap, xproto.Drawable(screen.Root),
			0, int16(y), uint16(w), uint16(n), 0xffffffff).Reply()
		if err != nil {
			return nil, fmt.Errorf("reading screen pixels: %v", err)
		}
		if reply == nil {
			return nil, errors.New("reading screen pixels: empty reply")
		}
		if err := pf.toGray(reply.Data, img, y, n); err != nil {
			return nil, err
		}
	}
	return img, nil
}

// xPixelFormat is how the X server lays out a ZPixmap of the root visual.
type xPixelFormat struct {
	bytesPerPixel, stridePad int
	msbFirst                 bool
	red, green, blue         uint32 // masks
}

func pixelFormat(setup *xproto.SetupInfo, screen *xproto.ScreenInfo) (*xPixelFormat, error) {
	pf := &xPixelFormat{msbFirst: setup.ImageByteOrder == xproto.ImageOrderMSBFirst}
	for _, f := range setup.PixmapFormats {
		if f.Depth == screen.RootDepth {
			pf.bytesPerPixel, pf.stridePad = int(f.BitsPerPixel)/8, int(f.ScanlinePad)/8
		}
	}
	for _, d := range screen.AllowedDepths {
		for _, v := range d.Visuals {
			if v.VisualId == screen.RootVisual {
				pf.red, pf.green, pf.blue = v.RedMask, v.GreenMask, v.BlueMask
			}
		}
	}
	if (pf.bytesPerPixel != 4 && pf.bytesPerPixel != 3) || pf.red == 0 || pf.green == 0 || pf.blue == 0 {
		return nil, fmt.Errorf("capturing the screen: unsupported X pixel format (depth %d, %d bytes a pixel): %w",
			screen.RootDepth, pf.bytesPerPixel, ErrUnsupportedSource)
	}
	return pf, nil
}

// toGray converts rows y..y+n of ZPixmap data into img.
func (pf *xPixelFormat) toGray(data []byte, img *image.Gray, y, n int) error {
	w := img.Rect.Dx()
	stride := w * pf.bytesPerPixel
	if pf.stridePad > 0 {
		stride = (stride + pf.stridePad - 1) / pf.stridePad * pf.stridePad
	}
	if len(data) < stride*n {
		return fmt.Errorf("reading screen pixels: short reply (%d bytes for %d rows)", len(data), n)
	}
	channel := func(p, mask uint32) int {
		for mask&1 == 0 {
			mask >>= 1
			p >>= 1
		}
		return int((p & mask) * 255 / mask)
	}
	if pf.bytesPerPixel == 4 && !pf.msbFirst && pf.red == 0xff0000 && pf.green == 0xff00 && pf.blue == 0xff {
		// The common case (BGRX in memory): no per-pixel mask arithmetic.
		for row := 0; row < n; row++ {
			src := data[row*stride : row*stride+4*w]
			dst := img.Pix[(y+row)*img.Stride : (y+row)*img.Stride+w]
			for x := range dst {
				dst[x] = byte((int(src[4*x+2]) + 2*int(src[4*x+1]) + int(src[4*x])) / 4)
			}
		}
		return nil
	}
	for row := 0; row < n; row++ {
		src := data[row*stride:]
		dst := img.Pix[(y+row)*img.Stride:]
		for x := 0; x < w; x++ {
			var p uint32
			for i := 0; i < pf.bytesPerPixel; i++ {
				b := uint32(src[x*pf.bytesPerPixel+i])
				if pf.msbFirst {
					p = p<<8 | b
				} else {
					p |= b << (8 * i)
				}
			}
			r, g, b := channel(p, pf.red), channel(p, pf.green), channel(p, pf.blue)
			dst[x] = byte((r + 2*g + b) / 4)
		}
	}
	return nil
}

// uniform reports whether every pixel of a grey image has one level, which
// is what a refused capture looks like.
func uniform(img *image.Gray) bool {
	if len(img.Pix) == 0 {
		return true
	}
	first := img.Pix[0]
	for _, v := range img.Pix {
		if v != first {
			return false
		}
	}
	return true
}
