package qrscan

import (
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"math/bits"
)

// A device-independent bitmap (DIB) is how Windows programs put pictures on
// the clipboard (CF_DIB and CF_DIBV5): a BITMAPINFOHEADER or one of its
// longer successors, optional colour masks and colour table, then the rows
// of pixels. There is no file header, so the image decoders of the standard
// library and golang.org/x/image/bmp cannot read it as it is, and the
// clipboard hands it over from another program, so every field is checked
// before it is used: an untrusted header must not make Gatekey read past
// the data or allocate more than MaxPixels.
//
// Reference: "BITMAPINFOHEADER structure", "BITMAPV5HEADER structure" and
// "Bitmap Header Types" in the Windows GDI documentation.

// DIB header sizes: BITMAPINFOHEADER, the undocumented V2 and V3 (Adobe),
// BITMAPV4HEADER and BITMAPV5HEADER. Each starts with the fields of the one
// before it.
const (
	dibInfoHeader = 40
	dibV2Header   = 52 // adds the red, green and blue masks
	dibV3Header   = 56 // adds the alpha mask
	dibV4Header   = 108
	dibV5Header   = 124
)

// Compression values that leave the pixels uncompressed.
const (
	biRGB            = 0
	biBitfields      = 3
	biAlphaBitfields = 6
)

// errBadDIB means a clipboard bitmap's header does not describe pixels that
// are there; it never says more than the header's numbers.
var errBadDIB = errors.New("malformed bitmap")

// dibLayout is what the header says about the pixels.
type dibLayout struct {
	width, height int
	topDown       bool
	bitCount      int
	masks         [4]uint32 // red, green, blue, alpha (0: no alpha)
	pixelOffset   int
	stride        int
}

// decodeDIB reads a packed DIB, as found on the Windows clipboard, with 16,
// 24 or 32 bits a pixel, uncompressed or with colour masks, stored bottom-up
// or top-down. Transparent pixels stay transparent (lumaFromImage shows
// them as white), except that an alpha channel that is zero everywhere is
// taken as unused: many programs leave it so.
func decodeDIB(data []byte) (image.Image, error) {
	l, err := parseDIBHeader(data)
	if err != nil {
		return nil, err
	}
	img := image.NewNRGBA(image.Rect(0, 0, l.width, l.height))
	anyAlpha := l.readPixels(data, img)
	if l.masks[3] != 0 && !anyAlpha {
		for i := 3; i < len(img.Pix); i += 4 {
			img.Pix[i] = 0xff
		}
	}
	return img, nil
}

// parseDIBHeader checks the header against the data's length and returns
// where and how the pixels are stored.
func parseDIBHeader(data []byte) (*dibLayout, error) {
	if len(data) < dibInfoHeader {
		return nil, fmt.Errorf("%w: %d bytes, shorter than a bitmap header", errBadDIB, len(data))
	}
	le := binary.LittleEndian
	size := int64(le.Uint32(data[0:]))
	switch size {
	case dibInfoHeader, dibV2Header, dibV3Header, dibV4Header, dibV5Header:
	default:
		return nil, fmt.Errorf("%w: unknown header size %d", errBadDIB, size)
	}
	if int64(len(data)) < size {
		return nil, fmt.Errorf("%w: header of %d bytes in %d", errBadDIB, size, len(data))
	}
	l := &dibLayout{bitCount: int(le.Uint16(data[14:]))}
	width, height := int64(int32(le.Uint32(data[4:]))), int64(int32(le.Uint32(data[8:])))
	planes, compression := le.Uint16(data[12:]), le.Uint32(data[16:])
	colorsUsed := int64(le.Uint32(data[32:]))
	if height < 0 {
		l.topDown, height = true, -height
	}
	if width <= 0 || height <= 0 || planes != 1 {
		return nil, fmt.Errorf("%w: %dx%d pixels, %d planes", errBadDIB, width, height, planes)
	}
	if width > MaxPixels/height {
		return nil, fmt.Errorf("clipboard bitmap of %dx%d pixels: %w", width, height, ErrTooLarge)
	}
	l.width, l.height = int(width), int(height)
	offset, err := l.readMasks(data, size, compression)
	if err != nil {
		return nil, err
	}
	// A colour table is optional at these depths; when one is declared
	// the pixels follow it.
	if colorsUsed > 1<<16 {
		return nil, fmt.Errorf("%w: %d palette colours", errBadDIB, colorsUsed)
	}
	offset += 4 * colorsUsed
	stride := (width*int64(l.bitCount) + 31) / 32 * 4
	if need := offset + stride*height; need > int64(len(data)) {
		return nil, fmt.Errorf("%w: %dx%d pixels at %d bits need %d bytes, have %d",
			errBadDIB, width, height, l.bitCount, need, len(data))
	}
	l.pixelOffset, l.stride = int(offset), int(stride)
	return l, nil
}

// readMasks fills in the colour masks for the bit depth and compression,
// from the header or the three or four values after a short header, and
// returns the offset just past them.
func (l *dibLayout) readMasks(data []byte, size int64, compression uint32) (int64, error) {
	packed := l.bitCount == 16 || l.bitCount == 32
	switch {
	case compression == biRGB && (packed || l.bitCount == 24):
		l.defaultMasks(data, size)
		return size, nil
	case packed && (compression == biBitfields || compression == biAlphaBitfields):
		return l.bitfieldMasks(data, size, compression)
	}
	return 0, fmt.Errorf("%w: %d bits a pixel with compression %d is not supported", errBadDIB, l.bitCount, compression)
}

// defaultMasks are the fixed layouts of uncompressed (BI_RGB) pixels.
func (l *dibLayout) defaultMasks(data []byte, size int64) {
	if l.bitCount == 16 {
		l.masks = [4]uint32{0x7c00, 0x3e0, 0x1f, 0}
		return
	}
	l.masks = [4]uint32{0xff0000, 0xff00, 0xff, 0}
	if l.bitCount == 32 && size >= dibV3Header {
		// BI_RGB with a V3+ header: the pixels' fourth byte is alpha when
		// the header names an alpha mask (browsers write it so).
		l.masks[3] = binary.LittleEndian.Uint32(data[52:])
	}
}

// bitfieldMasks reads BI_BITFIELDS or BI_ALPHABITFIELDS masks: inside a V2+
// header, or as three or four values after a short one.
func (l *dibLayout) bitfieldMasks(data []byte, size int64, compression uint32) (int64, error) {
	n := int64(3)
	if compression == biAlphaBitfields {
		n = 4
	}
	end := size
	switch {
	case size == dibInfoHeader:
		end = size + 4*n
		if end > int64(len(data)) {
			return 0, fmt.Errorf("%w: colour masks missing", errBadDIB)
		}
	case size == dibV2Header:
		n = 3 // no room for an alpha mask
	default:
		n = 4
	}
	for i := int64(0); i < n; i++ {
		l.masks[i] = binary.LittleEndian.Uint32(data[dibInfoHeader+4*i:])
	}
	if l.masks[0] == 0 || l.masks[1] == 0 || l.masks[2] == 0 {
		return 0, fmt.Errorf("%w: empty colour mask", errBadDIB)
	}
	return end, nil
}

// readPixels converts every row into img and reports whether any pixel had
// a non-zero alpha.
func (l *dibLayout) readPixels(data []byte, img *image.NRGBA) bool {
	bytesPerPixel := l.bitCount / 8
	standard := l.bitCount == 32 && l.masks[0] == 0xff0000 && l.masks[1] == 0xff00 && l.masks[2] == 0xff &&
		(l.masks[3] == 0 || l.masks[3] == 0xff000000)
	var ch [4]channel
	for i, m := range l.masks {
		ch[i] = newChannel(m)
	}
	anyAlpha := false
	for y := 0; y < l.height; y++ {
		srcRow := y
		if !l.topDown {
			srcRow = l.height - 1 - y
		}
		src := data[l.pixelOffset+srcRow*l.stride : l.pixelOffset+srcRow*l.stride+l.width*bytesPerPixel]
		dst := img.Pix[y*img.Stride : y*img.Stride+4*l.width]
		switch {
		case standard:
			anyAlpha = bgraRow(dst, src, l.masks[3] != 0) || anyAlpha
		case l.bitCount == 24:
			bgrRow(dst, src)
		default:
			anyAlpha = maskedRow(dst, src, bytesPerPixel, &ch) || anyAlpha
		}
	}
	return anyAlpha
}

// bgraRow converts BGRA pixels, the layout nearly every program writes.
func bgraRow(dst, src []byte, alpha bool) (anyAlpha bool) {
	for x := 0; x < len(dst)/4; x++ {
		s, d := src[4*x:4*x+4:4*x+4], dst[4*x:4*x+4:4*x+4]
		d[0], d[1], d[2], d[3] = s[2], s[1], s[0], 0xff
		if alpha {
			d[3] = s[3]
			anyAlpha = anyAlpha || s[3] != 0
		}
	}
	return anyAlpha
}

// bgrRow converts 24-bit BGR pixels.
func bgrRow(dst, src []byte) {
	for x := 0; x < len(dst)/4; x++ {
		dst[4*x], dst[4*x+1], dst[4*x+2], dst[4*x+3] = src[3*x+2], src[3*x+1], src[3*x], 0xff
	}
}

// maskedRow converts 16- or 32-bit pixels through their colour masks.
func maskedRow(dst, src []byte, bytesPerPixel int, ch *[4]channel) (anyAlpha bool) {
	for x := 0; x < len(dst)/4; x++ {
		var p uint32
		if bytesPerPixel == 2 {
			p = uint32(binary.LittleEndian.Uint16(src[2*x:]))
		} else {
			p = binary.LittleEndian.Uint32(src[4*x:])
		}
		dst[4*x], dst[4*x+1], dst[4*x+2], dst[4*x+3] = ch[0].value(p), ch[1].value(p), ch[2].value(p), 0xff
		if ch[3].mask != 0 {
			dst[4*x+3] = ch[3].value(p)
			anyAlpha = anyAlpha || p&ch[3].mask != 0
		}
	}
	return anyAlpha
}

// channel extracts one colour from a pixel through its mask and scales it
// to 0..255, whatever the mask's width and position.
type channel struct {
	mask  uint32
	shift int
	max   uint32
}

func newChannel(mask uint32) channel {
	if mask == 0 {
		return channel{}
	}
	shift := bits.TrailingZeros32(mask)
	return channel{mask: mask, shift: shift, max: mask >> shift}
}

func (c channel) value(p uint32) uint8 {
	if c.max == 0 {
		return 0
	}
	return uint8(uint64((p&c.mask)>>c.shift) * 255 / uint64(c.max))
}
