package qrscan

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// stageRuns reports which stages of the cascade decode want from img, each
// run on its own.
func stageRuns(img image.Image, want string) map[string]bool {
	st := &cascadeState{orig: lumaFromImage(img)}
	out := map[string]bool{}
	for _, s := range cascade {
		for _, c := range s.run(st) {
			if c.Text == want {
				out[s.name] = true
			}
		}
	}
	return out
}

// TestCascadeStages shows that each stage is needed: for a generated image
// of the kind the stage exists for, the first stage (the multi reader on
// the original) fails, the stage itself succeeds, and so does Decode.
func TestCascadeStages(t *testing.T) {
	for _, tc := range []struct {
		stage, category string
		index           int
	}{
		// Light on dark needs the inverted luminance.
		{"inverted", "inverted", 0},
		// A faint grey code needs its levels stretched.
		{"stretched", "lowcontrast", 0},
		// Salt-and-pepper noise needs the median filter.
		{"median", "salt", 0},
		// A dense migration batch with fractional modules needs the
		// version sweep.
		{"sweep", "migration", 0},
		// Finder patterns of clearly different sizes need the tolerant
		// grouping and the projective fourth corner.
		{"tilted", "perspective", 7},
		// Finder patterns too skewed to be found need the outline
		// rectified.
		{"rectified", "perspective", 2},
		// Tiny anti-aliased modules need the region enlarged.
		{"upscaled", "tiny", 10},
	} {
		t.Run(tc.stage, func(t *testing.T) {
			img, want := corpusOne(t, tc.category, tc.index)
			runs := stageRuns(img, want)
			if runs["multi"] {
				t.Errorf("the multi reader alone decodes %s/%d, so it does not show the %s stage is needed", tc.category, tc.index, tc.stage)
			}
			if !runs[tc.stage] {
				t.Errorf("stage %s does not decode %s/%d (stages that do: %v)", tc.stage, tc.category, tc.index, runs)
			}
			codes, err := Decode(img)
			if err != nil || len(codes) != 1 || codes[0].Text != want {
				t.Errorf("Decode = %v, %v; want the code", codes, err)
			}
		})
	}
}

// corpusOne generates one corpus image with a single code.
func corpusOne(t *testing.T, category string, index int) (image.Image, string) {
	t.Helper()
	for ci, c := range corpusCategories() {
		if c.name == category {
			r := rand.New(rand.NewPCG(0x9a7e4e7, uint64(ci*1000+index)))
			img, want, _ := c.gen(r, index)
			return img, want[0]
		}
	}
	t.Fatalf("no category %s", category)
	return nil, ""
}

// TestDecodeTwoCodes finds both codes of a page, with bounds around each.
func TestDecodeTwoCodes(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	a, b := totpURI(r), totpURI(r)
	img := canvas(900, 400, white)
	drawCode(img, a, square(50, 50, codeSide(a, 6), 0), black, white)
	drawCode(img, b, square(500, 60, codeSide(b, 6), 0), black, white)
	codes, err := Decode(img)
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]image.Rectangle{}
	for _, c := range codes {
		found[c.Text] = c.Bounds
	}
	for text, at := range map[string]image.Rectangle{a: image.Rect(50, 50, 50+int(codeSide(a, 6)), 50+int(codeSide(a, 6))),
		b: image.Rect(500, 60, 500+int(codeSide(b, 6)), 60+int(codeSide(b, 6)))} {
		got, ok := found[text]
		if !ok {
			t.Errorf("code at %v not found (got %d codes)", at, len(codes))
			continue
		}
		if !got.In(at) || got.Dx() < at.Dx()/2 {
			t.Errorf("code at %v reported at %v", at, got)
		}
	}
}

// TestDecodeImageTypes reads every common pixel layout the same way, and
// honours an image whose bounds do not start at the origin.
func TestDecodeImageTypes(t *testing.T) {
	const text = "otpauth://totp/Types:carol@example.com?secret=MFRGGZDFMZTWQ2LK"
	src, err := Render(text, 240)
	if err != nil {
		t.Fatal(err)
	}
	b := src.Bounds()
	convert := func(dst interface {
		image.Image
		Set(x, y int, c color.Color)
	}) image.Image {
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				dst.Set(x+dst.Bounds().Min.X, y+dst.Bounds().Min.Y, src.At(x, y))
			}
		}
		return dst
	}
	ycc := image.NewYCbCr(b, image.YCbCrSubsampleRatio420)
	copy(ycc.Y, src.(*image.Gray).Pix)
	for i := range ycc.Cb {
		ycc.Cb[i], ycc.Cr[i] = 128, 128
	}
	// Transparent pixels over white: a dark-on-transparent PNG.
	nrgba := image.NewNRGBA(b)
	for i, v := range src.(*image.Gray).Pix {
		if v == 0 {
			nrgba.Pix[4*i+3] = 255
		}
	}
	for name, img := range map[string]image.Image{
		"gray":     src,
		"rgba":     convert(image.NewRGBA(b)),
		"nrgba":    nrgba,
		"paletted": convert(image.NewPaletted(b, color.Palette{color.White, color.Black})),
		"ycbcr":    ycc,
		"rgba64":   convert(image.NewRGBA64(b)),
		"offset":   convert(image.NewRGBA(b.Add(image.Pt(1000, 500)))),
	} {
		codes, err := Decode(img)
		if err != nil || len(codes) != 1 || codes[0].Text != text {
			t.Errorf("%s: Decode = %v, %v", name, codes, err)
			continue
		}
		if !codes[0].Bounds.Overlaps(img.Bounds()) {
			t.Errorf("%s: bounds %v outside the image %v", name, codes[0].Bounds, img.Bounds())
		}
	}
}

// TestDecodeErrors: what callers branch on.
func TestDecodeErrors(t *testing.T) {
	if _, err := Decode(canvas(300, 200, white)); !errors.Is(err, ErrNoCode) {
		t.Errorf("blank image: %v, want ErrNoCode", err)
	}
	if _, err := Decode(image.NewGray(image.Rect(0, 0, 0, 0))); !errors.Is(err, ErrNoCode) {
		t.Errorf("empty image: %v, want ErrNoCode", err)
	}
	// A huge image is refused before any pixel is read (a Uniform has
	// no pixel buffer, so this costs nothing).
	huge := &boundedUniform{image.Rect(0, 0, 100_000, 100_000)}
	if _, err := Decode(huge); !errors.Is(err, ErrTooLarge) {
		t.Errorf("10^10-pixel image: %v, want ErrTooLarge", err)
	}
	if _, err := Decode(nil); err == nil {
		t.Error("nil image: no error")
	}
}

type boundedUniform struct{ r image.Rectangle }

func (u *boundedUniform) ColorModel() color.Model { return color.GrayModel }
func (u *boundedUniform) Bounds() image.Rectangle { return u.r }
func (u *boundedUniform) At(int, int) color.Color { return color.White }

// TestDecodeFile reads each supported format, and refuses oversized input
// before decoding it.
func TestDecodeFile(t *testing.T) {
	const text = "otpauth://totp/File:dave@example.com?secret=GEZDGNBVGY3TQOJQ"
	data, err := RenderPNG(text, 200)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "code.png")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	codes, err := DecodeFile(path)
	if err != nil || len(codes) != 1 || codes[0].Text != text {
		t.Errorf("DecodeFile(png) = %v, %v", codes, err)
	}
	// The other formats, through the corpus's own encoders.
	img, _ := png.Decode(bytes.NewReader(data))
	for name, enc := range testEncoders {
		var buf bytes.Buffer
		if err := enc(&buf, img); err != nil {
			t.Fatal(err)
		}
		codes, err := DecodeReader(&buf)
		if err != nil || len(codes) != 1 || codes[0].Text != text {
			t.Errorf("DecodeReader(%s) = %v, %v", name, codes, err)
		}
	}

	// A tiny PNG header claiming 100000x100000 pixels.
	var buf bytes.Buffer
	png.Encode(&buf, image.NewGray(image.Rect(0, 0, 1, 1)))
	bomb := buf.Bytes()
	copy(bomb[16:24], []byte{0, 1, 0x86, 0xa0, 0, 1, 0x86, 0xa0})
	binary.BigEndian.PutUint32(bomb[29:33], crc32.ChecksumIEEE(bomb[12:29]))
	if _, err := DecodeReader(bytes.NewReader(bomb)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("PNG claiming 10^10 pixels: %v, want ErrTooLarge", err)
	}
	big := filepath.Join(dir, "big.png")
	if err := os.WriteFile(big, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, MaxFileBytes+1); err != nil {
		t.Fatal(err)
	}
	if _, err := DecodeFile(big); !errors.Is(err, ErrTooLarge) {
		t.Errorf("file over MaxFileBytes: %v, want ErrTooLarge", err)
	}
	if _, err := DecodeReader(strings.NewReader("not an image")); err == nil || errors.Is(err, ErrNoCode) {
		t.Errorf("text file: %v, want a format error", err)
	}
	if _, err := DecodeFile(filepath.Join(dir, "missing.png")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v, want os.ErrNotExist", err)
	}
}
