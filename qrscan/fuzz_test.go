package qrscan

import (
	"bytes"
	"errors"
	"image"
	"image/gif"
	"image/png"
	"math/rand/v2"
	"testing"
)

func newTestRand() *rand.Rand { return rand.New(rand.NewPCG(3, 4)) }

// FuzzDecodeReader feeds arbitrary bytes to the file reader: small
// renderings, truncated and corrupted images seed it. Nothing may panic;
// any error is fine.
func FuzzDecodeReader(f *testing.F) {
	code, _ := RenderPNG("otpauth://totp/F:z?secret=JBSWY3DPEHPK3PXP", 64)
	f.Add(code)
	f.Add(code[:len(code)/2])
	var g bytes.Buffer
	img, _ := png.Decode(bytes.NewReader(code))
	gif.Encode(&g, img, nil)
	f.Add(g.Bytes())
	f.Add([]byte("GIF89a"))
	f.Add([]byte("\x89PNG\r\n\x1a\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		codes, err := DecodeReader(bytes.NewReader(data))
		if err == nil && len(codes) == 0 {
			t.Error("no error and no code")
		}
	})
}

// FuzzDecode feeds arbitrary pixels, as a small grey image whose width is
// the first byte, straight to the cascade.
func FuzzDecode(f *testing.F) {
	img, _ := Render("otpauth://totp/F:z?secret=JBSWY3DPEHPK3PXP", 40)
	g := img.(*image.Gray)
	f.Add(append([]byte{byte(g.Rect.Dx())}, g.Pix...))
	f.Add([]byte{3, 0, 255, 0, 255, 0, 255})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 2 || data[0] == 0 {
			return
		}
		w := int(data[0])
		h := (len(data) - 1) / w
		if h == 0 {
			return
		}
		m := &image.Gray{Pix: data[1 : 1+w*h], Stride: w, Rect: image.Rect(0, 0, w, h)}
		codes, err := Decode(m)
		if err != nil && !errors.Is(err, ErrNoCode) {
			t.Errorf("Decode: %v", err)
		}
		if err == nil && len(codes) == 0 {
			t.Error("no error and no code")
		}
	})
}
