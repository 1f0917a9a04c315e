package app

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"testing"

	"github.com/gatekey/gatekey/otp"
)

func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	img.Set(0, 0, color.NRGBA{R: 200, A: 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// bombPNG is a tiny PNG whose header claims a 100000 x 100000 image.
func bombPNG(t *testing.T) []byte {
	data := pngOf(t, 1, 1)
	ihdr := data[8+8 : 8+8+13]
	binary.BigEndian.PutUint32(ihdr[0:], 100000)
	binary.BigEndian.PutUint32(ihdr[4:], 100000)
	binary.BigEndian.PutUint32(data[8+8+13:], crc32.ChecksumIEEE(data[8+4:8+8+13]))
	return data
}

func TestAccountIcon(t *testing.T) {
	tests := []struct {
		name string
		acc  otp.Account
		want IconKind
	}{
		{"none", otp.Account{}, IconNone},
		{"small PNG", otp.Account{Icon: pngOf(t, 64, 64), IconMime: "image/png"}, IconRaster},
		{"PNG too large on a side", otp.Account{Icon: pngOf(t, 600, 10)}, IconNone},
		{"PNG header claiming 10^10 pixels", otp.Account{Icon: bombPNG(t)}, IconNone},
		{"SVG", otp.Account{Icon: []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>`), IconMime: "image/svg+xml"}, IconSVG},
		{"XML that is not SVG", otp.Account{Icon: []byte(`<?xml version="1.0"?><html/>`)}, IconNone},
		{"garbage", otp.Account{Icon: []byte("not an image")}, IconNone},
		{"too many bytes", otp.Account{Icon: append([]byte("<svg>"), make([]byte, maxIconBytes)...)}, IconNone},
	}
	for _, tt := range tests {
		if got := AccountIcon(tt.acc); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}
