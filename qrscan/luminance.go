package qrscan

import (
	"errors"
	"image"
	"image/color"

	"github.com/makiuchi-d/gozxing"
)

// luma is an 8-bit luminance plane, 0 black to 255 white, one byte per
// pixel, row-major without padding. Every decoding stage works on one.
type luma struct {
	pix  []byte
	w, h int
}

func newLuma(w, h int) *luma { return &luma{pix: make([]byte, w*h), w: w, h: h} }

// lumaFromImage reads the pixel buffers of the common image types directly:
// converting a 3840x2160 screenshot one At() call at a time costs far more
// than decoding it. Transparent pixels count as white, as on a page.
func lumaFromImage(img image.Image) *luma {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	l := newLuma(w, h)
	switch m := img.(type) {
	case *image.Gray:
		for y := 0; y < h; y++ {
			off := m.PixOffset(b.Min.X, b.Min.Y+y)
			copy(l.pix[y*w:(y+1)*w], m.Pix[off:off+w])
		}
	case *image.YCbCr:
		for y := 0; y < h; y++ {
			off := m.YOffset(b.Min.X, b.Min.Y+y)
			copy(l.pix[y*w:(y+1)*w], m.Y[off:off+w])
		}
	case *image.RGBA:
		// RGBA is premultiplied: a transparent pixel is (0,0,0,0), so add
		// the white that shows through.
		for y := 0; y < h; y++ {
			off := m.PixOffset(b.Min.X, b.Min.Y+y)
			src := m.Pix[off : off+4*w] // one bounds check a row, not four a pixel
			dst := l.pix[y*w : (y+1)*w]
			for x, i := 0, 0; i+3 < len(src) && x < len(dst); x, i = x+1, i+4 {
				v := (int(src[i]) + 2*int(src[i+1]) + int(src[i+2])) / 4
				dst[x] = byte(min(v+255-int(src[i+3]), 255))
			}
		}
	case *image.NRGBA:
		for y := 0; y < h; y++ {
			src := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			dst := l.pix[y*w : (y+1)*w]
			for x := range dst {
				p := src[x*4 : x*4+4 : x*4+4]
				v := (int(p[0]) + 2*int(p[1]) + int(p[2])) / 4
				a := int(p[3])
				dst[x] = byte((v*a + 255*(255-a)) / 255)
			}
		}
	case *image.Paletted:
		var table [256]byte
		for i, c := range m.Palette {
			table[i] = lumaOf(c)
		}
		for y := 0; y < h; y++ {
			src := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			dst := l.pix[y*w : (y+1)*w]
			for x := range dst {
				dst[x] = table[src[x]]
			}
		}
	default:
		i := 0
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				l.pix[i] = lumaOf(img.At(x, y))
				i++
			}
		}
	}
	return l
}

// lumaOf is the same weighting as gozxing's own image source, over white.
func lumaOf(c color.Color) byte {
	r, g, b, a := c.RGBA() // premultiplied, 16 bits
	v := (r + 2*g + b) / 4
	return byte((v + (0xffff - a)) >> 8)
}

// source adapts a luma plane (or a window of it) to gozxing.
type source struct {
	gozxing.LuminanceSourceBase
	l         *luma
	left, top int
}

func (l *luma) source() gozxing.LuminanceSource {
	return &source{LuminanceSourceBase: gozxing.LuminanceSourceBase{Width: l.w, Height: l.h}, l: l}
}

func (s *source) GetRow(y int, row []byte) ([]byte, error) {
	if y < 0 || y >= s.Height {
		return nil, errors.New("row outside the image")
	}
	if len(row) < s.Width {
		row = make([]byte, s.Width)
	}
	off := (s.top+y)*s.l.w + s.left
	copy(row, s.l.pix[off:off+s.Width])
	return row, nil
}

func (s *source) GetMatrix() []byte {
	if s.left == 0 && s.top == 0 && s.Width == s.l.w && s.Height == s.l.h {
		return s.l.pix // read only by gozxing
	}
	m := make([]byte, s.Width*s.Height)
	for y := 0; y < s.Height; y++ {
		off := (s.top+y)*s.l.w + s.left
		copy(m[y*s.Width:(y+1)*s.Width], s.l.pix[off:off+s.Width])
	}
	return m
}

func (s *source) IsCropSupported() bool { return true }

func (s *source) Crop(left, top, width, height int) (gozxing.LuminanceSource, error) {
	if left < 0 || top < 0 || width < 1 || height < 1 || left+width > s.Width || top+height > s.Height {
		return nil, errors.New("crop rectangle outside the image")
	}
	return &source{
		LuminanceSourceBase: gozxing.LuminanceSourceBase{Width: width, Height: height},
		l:                   s.l, left: s.left + left, top: s.top + top,
	}, nil
}

func (s *source) Invert() gozxing.LuminanceSource { return gozxing.NewInvertedLuminanceSource(s) }

func (s *source) String() string { return gozxing.LuminanceSourceString(s) }
