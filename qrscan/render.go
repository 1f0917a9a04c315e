package qrscan

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"
	"unicode/utf8"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/encoder"
)

// QuietZone is the white border, in modules, that Render leaves around a
// code: the minimum the QR specification asks for, so that scanners find
// the finder patterns on any background the image is shown on.
const QuietZone = 4

// MaxRenderSize is the widest image Render draws.
const MaxRenderSize = 8192

// modules encodes text and returns the module grid, true for dark. It uses
// error correction level M where the text fits and L where only that fits:
// M survives a smudged or partly covered screen, L lets a full Google
// migration batch still fit in one code.
func modules(text string) ([][]bool, error) {
	if text == "" {
		return nil, errors.New("rendering QR code: empty text")
	}
	var hints map[gozxing.EncodeHintType]interface{}
	if !isASCII(text) {
		if !utf8.ValidString(text) {
			return nil, errors.New("rendering QR code: text is not valid UTF-8")
		}
		// Without the ECI header, readers assume ISO-8859-1.
		hints = map[gozxing.EncodeHintType]interface{}{gozxing.EncodeHintType_CHARACTER_SET: "UTF-8"}
	}
	var code *encoder.QRCode
	var err error
	for _, level := range []decoder.ErrorCorrectionLevel{decoder.ErrorCorrectionLevel_M, decoder.ErrorCorrectionLevel_L} {
		if code, err = encoder.Encoder_encode(text, level, hints); err == nil {
			break
		}
	}
	if err != nil {
		return nil, fmt.Errorf("rendering QR code of %d bytes: %w", len(text), ErrTooLong)
	}
	m := code.GetMatrix()
	grid := make([][]bool, m.GetHeight())
	for y := range grid {
		grid[y] = make([]bool, m.GetWidth())
		for x := range grid[y] {
			grid[y][x] = m.Get(x, y) == 1
		}
	}
	return grid, nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Render draws text as a QR code, black modules on white, with a quiet zone
// of at least QuietZone modules on every side. The image is size pixels
// square, or larger when the code needs more than size pixels at one pixel
// per module; every module is a whole number of pixels, so the code stays
// sharp, and the spare pixels widen the quiet zone. Render never inverts
// colours: some phone scanners cannot read light-on-dark codes.
func Render(text string, size int) (image.Image, error) {
	if size > MaxRenderSize {
		return nil, fmt.Errorf("rendering QR code: %d pixels wide: %w", size, ErrTooLarge)
	}
	grid, err := modules(text)
	if err != nil {
		return nil, err
	}
	n := len(grid)
	side := max(size, n+2*QuietZone)
	scale := side / (n + 2*QuietZone)
	offset := (side - n*scale) / 2
	img := image.NewGray(image.Rect(0, 0, side, side))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	for y, row := range grid {
		for x, dark := range row {
			if !dark {
				continue
			}
			for py := offset + y*scale; py < offset+(y+1)*scale; py++ {
				line := img.Pix[py*img.Stride:]
				for px := offset + x*scale; px < offset+(x+1)*scale; px++ {
					line[px] = 0
				}
			}
		}
	}
	return img, nil
}

// RenderPNG is Render encoded as a PNG file, for export.
func RenderPNG(text string, size int) ([]byte, error) {
	img, err := Render(text, size)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("encoding QR code as PNG: %w", err)
	}
	return buf.Bytes(), nil
}
