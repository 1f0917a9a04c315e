package qrscan

import (
	"bytes"
	"errors"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"strings"
	"testing"

	"golang.org/x/image/bmp"
)

// testEncoders write an image in each format DecodeFile reads, except WebP,
// which Go can only decode (TestDecodeWebP covers it).
var testEncoders = map[string]func(io.Writer, image.Image) error{
	"png":  png.Encode,
	"jpeg": func(w io.Writer, m image.Image) error { return jpeg.Encode(w, m, &jpeg.Options{Quality: 90}) },
	"gif":  func(w io.Writer, m image.Image) error { return gif.Encode(w, m, nil) },
	"bmp":  bmp.Encode,
}

// TestRender decodes its own renderings back and checks what a scanner
// needs: black modules on white, and a white quiet zone of at least four
// modules on every side.
func TestRender(t *testing.T) {
	r := newTestRand()
	for _, tc := range []struct {
		name string
		text string
		size int
	}{
		{"account", "otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example", 256},
		{"utf-8 label", "otpauth://totp/Bänk:jörg@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Bänk", 300},
		{"migration batch", migrationURI(r, 10), 600},
		// A size smaller than the code: one pixel a module, grown to fit.
		{"too small", "otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP", 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img, err := Render(tc.text, tc.size)
			if err != nil {
				t.Fatal(err)
			}
			g := img.(*image.Gray)
			if g.Bounds().Dx() < tc.size || g.Bounds().Dx() != g.Bounds().Dy() {
				t.Errorf("image is %v, want at least %dx%d and square", g.Bounds(), tc.size, tc.size)
			}
			grid, _ := modules(tc.text)
			// The dark bounding box gives the module size.
			minX, minY, maxX, maxY := g.Rect.Dx(), g.Rect.Dy(), -1, -1
			for y := 0; y < g.Rect.Dy(); y++ {
				for x := 0; x < g.Rect.Dx(); x++ {
					switch v := g.Pix[y*g.Stride+x]; v {
					case 0:
						minX, minY, maxX, maxY = min(minX, x), min(minY, y), max(maxX, x), max(maxY, y)
					case 255:
					default:
						t.Fatalf("pixel (%d,%d) is %d, want pure black or white", x, y, v)
					}
				}
			}
			scale := (maxX - minX + 1) / len(grid)
			if scale < 1 || (maxX-minX+1)%len(grid) != 0 {
				t.Fatalf("code spans %d pixels for %d modules", maxX-minX+1, len(grid))
			}
			// The top-left finder pattern is dark at its corner: not inverted.
			if g.Pix[minY*g.Stride+minX] != 0 {
				t.Error("top-left module is light: the code is inverted")
			}
			for side, gap := range map[string]int{"left": minX, "top": minY, "right": g.Rect.Dx() - 1 - maxX, "bottom": g.Rect.Dy() - 1 - maxY} {
				if gap < QuietZone*scale {
					t.Errorf("quiet zone on the %s is %d pixels, want at least %d (4 modules of %d)", side, gap, QuietZone*scale, scale)
				}
			}
			codes, err := Decode(img)
			if err != nil || len(codes) != 1 || codes[0].Text != tc.text {
				t.Errorf("decoding the rendering: %v, %v", codes, err)
			}
			data, err := RenderPNG(tc.text, tc.size)
			if err != nil {
				t.Fatal(err)
			}
			if codes, err := DecodeReader(bytes.NewReader(data)); err != nil || codes[0].Text != tc.text {
				t.Errorf("decoding the PNG: %v, %v", codes, err)
			}
		})
	}
}

// TestRenderErrors: text that cannot be drawn.
func TestRenderErrors(t *testing.T) {
	if _, err := Render("", 100); err == nil {
		t.Error("empty text: no error")
	}
	if _, err := Render(strings.Repeat("x", 5000), 100); !errors.Is(err, ErrTooLong) {
		t.Errorf("5000 bytes: %v, want ErrTooLong", err)
	}
	if _, err := Render("abc", MaxRenderSize+1); !errors.Is(err, ErrTooLarge) {
		t.Errorf("size over MaxRenderSize: %v, want ErrTooLarge", err)
	}
	if _, err := Render("bad \xff utf-8", 100); err == nil {
		t.Error("invalid UTF-8: no error")
	}
}
