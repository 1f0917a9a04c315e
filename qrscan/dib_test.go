package qrscan

import (
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"testing"
)

// dibOptions says how encodeDIB lays out a bitmap, as the different
// programs that put one on the Windows clipboard do.
type dibOptions struct {
	headerSize  int    // 40, 52, 56, 108 or 124
	bitCount    int    // 16, 24 or 32
	compression uint32 // biRGB, biBitfields or biAlphaBitfields
	topDown     bool
	masks       [4]uint32 // for bit fields; zero: the defaults
	alpha       bool      // write the pixels' alpha (32 bits only)
	colorsUsed  int       // an optional colour table before the pixels
}

// encodeDIB writes img as a packed DIB: header, masks, colour table, rows.
func encodeDIB(img image.Image, o dibOptions) []byte {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	masks := o.masks
	if masks == [4]uint32{} {
		switch o.bitCount {
		case 16:
			masks = [4]uint32{0x7c00, 0x3e0, 0x1f, 0} // RGB 555
		default:
			masks = [4]uint32{0xff0000, 0xff00, 0xff, 0xff000000}
		}
	}
	le := binary.LittleEndian
	hdr := make([]byte, o.headerSize)
	le.PutUint32(hdr[0:], uint32(o.headerSize))
	le.PutUint32(hdr[4:], uint32(int32(w)))
	height := int32(h)
	if o.topDown {
		height = -height
	}
	le.PutUint32(hdr[8:], uint32(height))
	le.PutUint16(hdr[12:], 1)
	le.PutUint16(hdr[14:], uint16(o.bitCount))
	le.PutUint32(hdr[16:], o.compression)
	le.PutUint32(hdr[32:], uint32(o.colorsUsed))
	out := hdr
	if o.headerSize >= dibV2Header {
		for i := 0; i < 3; i++ {
			le.PutUint32(hdr[40+4*i:], masks[i])
		}
	}
	if o.headerSize >= dibV3Header {
		le.PutUint32(hdr[52:], masks[3])
	}
	if o.headerSize == dibInfoHeader && o.compression != biRGB {
		n := 3
		if o.compression == biAlphaBitfields {
			n = 4
		}
		for i := 0; i < n; i++ {
			out = le.AppendUint32(out, masks[i])
		}
	}
	out = append(out, make([]byte, 4*o.colorsUsed)...)
	stride := (w*o.bitCount + 31) / 32 * 4
	for row := 0; row < h; row++ {
		y := h - 1 - row
		if o.topDown {
			y = row
		}
		line := make([]byte, stride)
		for x := 0; x < w; x++ {
			c := color.NRGBAModel.Convert(img.At(b.Min.X+x, b.Min.Y+y)).(color.NRGBA)
			if !o.alpha {
				c.A = 0
			}
			switch o.bitCount {
			case 24:
				line[3*x], line[3*x+1], line[3*x+2] = c.B, c.G, c.R
			case 16:
				le.PutUint16(line[2*x:], uint16(pack(c, masks)))
			case 32:
				le.PutUint32(line[4*x:], pack(c, masks))
			}
		}
		out = append(out, line...)
	}
	return out
}

// pack places each 8-bit channel of c into its mask, keeping the top bits.
func pack(c color.NRGBA, masks [4]uint32) uint32 {
	var p uint32
	for i, v := range []uint8{c.R, c.G, c.B, c.A} {
		ch := newChannel(masks[i])
		if ch.max == 0 {
			continue
		}
		p |= (uint32(uint64(v)*uint64(ch.max)/255) << ch.shift) & masks[i]
	}
	return p
}

// dibPicture is a small picture with distinct corners, so that a flipped or
// mirrored decode shows, and a half-transparent pixel.
func dibPicture() *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, 5, 3))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	img.SetNRGBA(0, 0, color.NRGBA{255, 0, 0, 255})
	img.SetNRGBA(4, 0, color.NRGBA{0, 255, 0, 255})
	img.SetNRGBA(0, 2, color.NRGBA{0, 0, 255, 255})
	img.SetNRGBA(4, 2, color.NRGBA{0, 0, 0, 255})
	img.SetNRGBA(2, 1, color.NRGBA{0, 0, 0, 128})
	return img
}

// The layouts found on the clipboard: what Paint and most programs put
// (CF_DIB, 24 or 32 bits, bottom-up), what browsers put (CF_DIBV5 with an
// alpha mask), what Windows synthesises between them, and rarer ones.
var dibLayouts = []struct {
	name string
	opts dibOptions
}{
	{"info header, 24 bits, bottom-up", dibOptions{headerSize: 40, bitCount: 24}},
	{"info header, 24 bits, top-down", dibOptions{headerSize: 40, bitCount: 24, topDown: true}},
	{"info header, 32 bits, alpha byte ignored", dibOptions{headerSize: 40, bitCount: 32, alpha: true}},
	{"info header, 32 bits, bit fields after the header", dibOptions{headerSize: 40, bitCount: 32, compression: biBitfields}},
	{"info header, 32 bits, alpha bit fields", dibOptions{headerSize: 40, bitCount: 32, compression: biAlphaBitfields, alpha: true}},
	{"info header, 24 bits, colour table", dibOptions{headerSize: 40, bitCount: 24, colorsUsed: 2}},
	{"info header, 16 bits, 555", dibOptions{headerSize: 40, bitCount: 16}},
	{"info header, 16 bits, 565 bit fields", dibOptions{headerSize: 40, bitCount: 16, compression: biBitfields,
		masks: [4]uint32{0xf800, 0x7e0, 0x1f, 0}}},
	{"V2 header, 32 bits, bit fields", dibOptions{headerSize: 52, bitCount: 32, compression: biBitfields}},
	{"V3 header, 32 bits, alpha", dibOptions{headerSize: 56, bitCount: 32, compression: biBitfields, alpha: true}},
	{"V4 header, 32 bits, RGBA order", dibOptions{headerSize: 108, bitCount: 32, compression: biBitfields, alpha: true,
		masks: [4]uint32{0xff, 0xff00, 0xff0000, 0xff000000}}},
	{"V5 header, 32 bits, alpha, bottom-up", dibOptions{headerSize: 124, bitCount: 32, compression: biBitfields, alpha: true}},
	{"V5 header, 32 bits, alpha, top-down", dibOptions{headerSize: 124, bitCount: 32, compression: biBitfields, alpha: true, topDown: true}},
	{"V5 header, 32 bits, BI_RGB with alpha mask", dibOptions{headerSize: 124, bitCount: 32, alpha: true}},
	{"V5 header, 32 bits, alpha mask but alpha all zero", dibOptions{headerSize: 124, bitCount: 32, compression: biBitfields}},
	{"V5 header, 32 bits, 10-bit channels", dibOptions{headerSize: 124, bitCount: 32, compression: biBitfields,
		masks: [4]uint32{0x3ff00000, 0xffc00, 0x3ff, 0}}},
}

func TestDecodeDIBLayouts(t *testing.T) {
	want := dibPicture()
	for _, tt := range dibLayouts {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeDIB(encodeDIB(want, tt.opts))
			if err != nil {
				t.Fatal(err)
			}
			if got.Bounds() != want.Bounds() {
				t.Fatalf("bounds %v, want %v", got.Bounds(), want.Bounds())
			}
			// Each layout keeps what its bits can hold: alpha only where
			// written, 5 or 6 bits a channel at 16 bits a pixel, and a
			// rounding step for channels that are not 8 bits wide.
			tolerance := 1
			if tt.opts.bitCount == 16 {
				tolerance = 8
			}
			keepsAlpha := tt.opts.alpha && tt.opts.bitCount == 32 && (tt.opts.headerSize >= dibV3Header || tt.opts.compression == biAlphaBitfields)
			for y := 0; y < 3; y++ {
				for x := 0; x < 5; x++ {
					w, g := want.NRGBAAt(x, y), got.(*image.NRGBA).NRGBAAt(x, y)
					if !keepsAlpha {
						w.A = 255
					}
					if !near(w, g, tolerance) {
						t.Errorf("pixel (%d,%d) = %v, want %v", x, y, g, w)
					}
				}
			}
		})
	}
}

func near(a, b color.NRGBA, tolerance int) bool {
	d := func(x, y uint8) bool { return max(int(x)-int(y), int(y)-int(x)) <= tolerance }
	return d(a.R, b.R) && d(a.G, b.G) && d(a.B, b.B) && a.A == b.A
}

// A QR code copied as a bitmap decodes like the same code from a file.
func TestDecodeDIBQRCode(t *testing.T) {
	const text = "otpauth://totp/Clipboard:erin@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Clipboard"
	img, err := Render(text, 200)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range dibLayouts[:4] {
		pic, err := decodeDIB(encodeDIB(img, tt.opts))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		codes, err := Decode(pic)
		if err != nil || len(codes) != 1 || codes[0].Text != text {
			t.Errorf("%s: decoded %v, %v", tt.name, codes, err)
		}
	}
}

// hostileDIBs are headers that lie about the data behind them; each must be
// refused with an error, without reading past the data or allocating an
// image the data cannot fill.
func hostileDIBs() map[string][]byte {
	valid := encodeDIB(dibPicture(), dibOptions{headerSize: 40, bitCount: 32})
	v5 := encodeDIB(dibPicture(), dibOptions{headerSize: 124, bitCount: 32, compression: biBitfields, alpha: true})
	with := func(src []byte, at int, v uint32) []byte {
		out := append([]byte(nil), src...)
		binary.LittleEndian.PutUint32(out[at:], v)
		return out
	}
	return map[string][]byte{
		"empty":                   nil,
		"shorter than a header":   valid[:39],
		"unknown header size":     with(valid, 0, 64),
		"header larger than data": with(valid, 0, 124),
		"zero width":              with(valid, 4, 0),
		"negative width":          with(valid, 4, 0xfffffff0),
		"zero height":             with(valid, 8, 0),
		"most negative height":    with(valid, 8, 0x80000000),
		"huge image, tiny data":   with(with(valid, 4, 7000), 8, 7000),
		"over MaxPixels":          with(with(valid, 4, 100000), 8, 100000),
		"rows cut short":          valid[:len(valid)-1],
		"two planes":              with(valid, 12, 0x00200002),
		"8 bits a pixel":          with(valid, 12, 0x00080001),
		"zero bits a pixel":       with(valid, 12, 0x00000001),
		"RLE compressed":          with(valid, 16, 1),
		"PNG compressed":          with(valid, 16, 5),
		"palette past the data":   with(valid, 32, 1000),
		"palette of 4 billion":    with(valid, 32, 0xffffffff),
		"masks missing":           with(valid[:40], 16, biBitfields),
		"empty red mask":          with(v5, 40, 0),
		"V2 header, alpha fields": with(encodeDIB(dibPicture(), dibOptions{headerSize: 52, bitCount: 32, compression: biBitfields})[:52], 16, biAlphaBitfields),
	}
}

func TestDecodeDIBRefusesHostileHeaders(t *testing.T) {
	for name, data := range hostileDIBs() {
		img, err := decodeDIB(data)
		if err == nil {
			t.Errorf("%s: decoded a %v image, want an error", name, img.Bounds())
			continue
		}
		if !errors.Is(err, errBadDIB) && !errors.Is(err, ErrTooLarge) {
			t.Errorf("%s: %v, want errBadDIB or ErrTooLarge", name, err)
		}
	}
	_, err := decodeDIB(hostileDIBs()["over MaxPixels"])
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("over MaxPixels: %v, want ErrTooLarge", err)
	}
}

// FuzzDecodeDIB feeds the layouts above and the hostile headers, mutated:
// decoding never panics, and an image it returns is no larger than the data
// could describe.
func FuzzDecodeDIB(f *testing.F) {
	for _, tt := range dibLayouts {
		f.Add(encodeDIB(dibPicture(), tt.opts))
	}
	for _, data := range hostileDIBs() {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		img, err := decodeDIB(data)
		if err != nil {
			return
		}
		b := img.Bounds()
		if b.Dx() <= 0 || b.Dy() <= 0 || b.Dx()*b.Dy() > MaxPixels {
			t.Fatalf("decoded an image of %v", b)
		}
		// At least 2 bytes a pixel after a 40-byte header.
		if b.Dx()*b.Dy()*2 > len(data) {
			t.Fatalf("decoded %v from %d bytes", b, len(data))
		}
	})
}
