package qrscan

import (
	"fmt"
	"image"
	"math"

	"github.com/makiuchi-d/gozxing"
	multiqr "github.com/makiuchi-d/gozxing/multi/qrcode"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// Decode finds every QR code in img. It returns ErrNoCode when there is
// none, ErrTooLarge for images over MaxPixels, and never panics on odd
// input: a panic inside the decoder comes back as an error.
//
// gozxing alone misses many codes a person can read, so Decode runs a
// cascade of stages and stops at the first that finds something; each stage
// exists because some kind of image fails without it (see cascade).
func Decode(img image.Image) ([]Code, error) {
	if img == nil {
		return nil, fmt.Errorf("decoding QR code: no image")
	}
	b := img.Bounds()
	if b.Empty() {
		return nil, fmt.Errorf("decoding QR code: empty image: %w", ErrNoCode)
	}
	if b.Dx() > MaxPixels/b.Dy() {
		return nil, fmt.Errorf("decoding QR code: %dx%d pixels: %w", b.Dx(), b.Dy(), ErrTooLarge)
	}
	codes, err := decodeLuma(lumaFromImage(img))
	if err != nil {
		return nil, err
	}
	for i := range codes {
		codes[i].Bounds = codes[i].Bounds.Add(b.Min)
	}
	return codes, nil
}

// decodeLuma runs the cascade on a luminance plane.
func decodeLuma(l *luma) (codes []Code, err error) {
	defer func() {
		if r := recover(); r != nil {
			codes, err = nil, fmt.Errorf("decoding QR code: decoder failed on this image: %v", r)
		}
	}()
	st := &cascadeState{orig: l}
	for _, s := range cascade {
		if found := s.run(st); len(found) > 0 {
			return dedupe(found), nil
		}
	}
	return nil, ErrNoCode
}

// stage is one step of the cascade.
type stage struct {
	name string
	run  func(*cascadeState) []Code
}

// cascadeState carries what stages share, such as the binarized original,
// so that the plain reader does not binarize it again.
type cascadeState struct {
	orig    *luma
	bitmap  *gozxing.BinaryBitmap
	cands   []image.Rectangle // regions that look like a code, once asked for
	candsOK bool              // whether cands has been computed
	half    *luma             // orig at half size, for large images only
}

// candidates are the regions of the original that look like a code; the
// search is a full pass over the image, so it runs once for all stages.
func (s *cascadeState) candidates() []image.Rectangle {
	if !s.candsOK {
		s.cands, s.candsOK = candidates(s.orig, 6), true
	}
	return s.cands
}

// largeImage is the size from which the whole-image retries (inverted,
// stretched) run on a half-size copy: a 4K screenshot costs four times a
// 1080p one in every pass, and its codes are drawn at twice the scale, so
// halving keeps modules of two pixels and more. 1920x1200 and below are
// read at full size.
const largeImage = 1920 * 1200

// reduced returns the plane the whole-image retries work on and the factor
// that maps its coordinates back to the original.
func (s *cascadeState) reduced() (*luma, int) {
	if s.orig.w*s.orig.h <= largeImage {
		return s.orig, 1
	}
	if s.half == nil {
		s.half = halve(s.orig)
	}
	return s.half, 2
}

// scaled maps codes found on a plane reduced by f back to the original.
func scaled(codes []Code, f int) []Code {
	for i := range codes {
		b := codes[i].Bounds
		codes[i].Bounds = image.Rect(b.Min.X*f, b.Min.Y*f, b.Max.X*f, b.Max.Y*f)
	}
	return codes
}

// cascade is the order of the stages: cheap and common first.
var cascade = []stage{
	// Screenshots: text and boxes throw off the plain reader; the multi
	// reader with TRY_HARDER finds the codes, and finds two where there are
	// two.
	{"multi", func(s *cascadeState) []Code {
		s.bitmap = bitmapOf(s.orig)
		return readMulti(s.bitmap)
	}},
	// Dark page themes: gozxing ignores its ALSO_INVERTED hint, so light
	// modules on a dark page are only found on the inverted luminance.
	// On a large screenshot the whole-image pass runs at half size, where
	// modules of 3 to 5 pixels blur into 1.5 to 2.5 and a light code on
	// black is lost; the regions that look like a code there are read
	// again from the full-size image. (They are looked for at half size
	// because at full size the search's cells are too small to bridge the
	// gap between a code and the text around it, and a code merged with
	// its text is no longer square.)
	{"inverted", func(s *cascadeState) []Code {
		l, f := s.reduced()
		if c := scaled(readMulti(bitmapOf(invert(l))), f); len(c) > 0 || f == 1 {
			return c
		}
		cands := candidates(l, 4)
		for i := range cands {
			cands[i] = image.Rect(cands[i].Min.X*f, cands[i].Min.Y*f, cands[i].Max.X*f, cands[i].Max.Y*f)
		}
		return readInvertedRegions(s.orig, cands)
	}},
	// Grey on light: the binarizer treats blocks with less than 24 levels of
	// range as flat, so a faint code is stretched to full range first.
	{"stretched", func(s *cascadeState) []Code {
		l, f := s.reduced()
		if st := stretch(l); st != nil {
			return scaled(readBoth(st), f)
		}
		return nil
	}},
	// Salt-and-pepper noise breaks finder-pattern run lengths; a 3x3 median
	// removes isolated dots while keeping modules of 2 pixels and more.
	{"median", func(s *cascadeState) []Code {
		if !noisy(s.orig) {
			return nil
		}
		// Heavy noise leaves clumps after one pass; a second pass removes
		// most of them and still keeps modules of 3 pixels.
		m := s.orig
		for range 2 {
			m = median3(m)
			if c := readBoth(m); len(c) > 0 {
				return c
			}
			if c := readSweep(bitmapOf(m)); len(c) > 0 {
				return c
			}
			// Enlarging smooths the clumps one pass leaves into the
			// modules' grey, which the binarizer then reads.
			if c := readCandidates(m, candidates(m, 6)); len(c) > 0 {
				return c
			}
		}
		return nil
	}},
	// Strong perspective: the multi reader's stricter finder-pattern
	// grouping gives up where the plain reader still decodes.
	{"plain", func(s *cascadeState) []Code { return readPlain(s.bitmap) }},
	// Stronger perspective: finder patterns of clearly different sizes and
	// a fourth corner far from the parallelogram's (see readTilted).
	{"tilted", func(s *cascadeState) []Code { return readTilted(s.bitmap) }},
	// Strongest perspective: the finder patterns are too skewed to be
	// found at all; undo the perspective of the code's outline first.
	{"rectified", func(s *cascadeState) []Code {
		return readRectified(s.orig, s.candidates()[:min(4, len(s.candidates()))])
	}},
	// Dense codes with fractional modules: gozxing's version estimate is
	// off by one or two; try the neighbouring versions.
	{"sweep", func(s *cascadeState) []Code { return readSweep(s.bitmap) }},
	// Tiny anti-aliased modules: cut out the regions that look like a code
	// and enlarge them so that each module spans several pixels.
	{"upscaled", func(s *cascadeState) []Code { return readCandidates(s.orig, s.candidates()) }},
}

var tryHarder = map[gozxing.DecodeHintType]interface{}{
	gozxing.DecodeHintType_TRY_HARDER: true,
	// Authenticator URIs are ASCII and labels are UTF-8 in practice; the
	// QR default of ISO-8859-1 would garble non-ASCII issuers.
	gozxing.DecodeHintType_CHARACTER_SET: "UTF-8",
}

func bitmapOf(l *luma) *gozxing.BinaryBitmap {
	bmp, _ := gozxing.NewBinaryBitmap(gozxing.NewHybridBinarizer(l.source()))
	return bmp
}

func readBoth(l *luma) []Code {
	bmp := bitmapOf(l)
	if c := readMulti(bmp); len(c) > 0 {
		return c
	}
	return readPlain(bmp)
}

func readMulti(bmp *gozxing.BinaryBitmap) []Code {
	results, _ := multiqr.NewQRCodeMultiReader().DecodeMultiple(bmp, tryHarder)
	codes := make([]Code, 0, len(results))
	for _, r := range results {
		codes = append(codes, codeOf(r))
	}
	return codes
}

func readPlain(bmp *gozxing.BinaryBitmap) []Code {
	r, err := qrcode.NewQRCodeReader().Decode(bmp, tryHarder)
	if err != nil || r == nil {
		return nil
	}
	return []Code{codeOf(r)}
}

// codeOf turns a result into a Code. The result points are the centres of
// the finder patterns (and the alignment pattern); the rectangle around them
// is widened by half a finder pattern so that it covers the whole code.
func codeOf(r *gozxing.Result) Code {
	pts := r.GetResultPoints()
	if len(pts) == 0 {
		return Code{Text: r.GetText()}
	}
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	for _, p := range pts {
		minX, maxX = math.Min(minX, p.GetX()), math.Max(maxX, p.GetX())
		minY, maxY = math.Min(minY, p.GetY()), math.Max(maxY, p.GetY())
	}
	pad := math.Max(maxX-minX, maxY-minY) / 6
	return Code{Text: r.GetText(), Bounds: image.Rect(
		int(minX-pad), int(minY-pad), int(math.Ceil(maxX+pad)), int(math.Ceil(maxY+pad)))}
}

// dedupe keeps the first code of each text.
func dedupe(codes []Code) []Code {
	seen := make(map[string]bool, len(codes))
	out := codes[:0]
	for _, c := range codes {
		if !seen[c.Text] {
			seen[c.Text] = true
			out = append(out, c)
		}
	}
	return out
}
