package qrscan

import (
	"math"
	"sort"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/common"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// readTilted decodes a code seen at a strong angle.
//
// gozxing groups three finder patterns only when their module sizes differ
// by less than 1.4x and then assumes the code is a parallelogram: it guesses
// the fourth corner as tl + (tr-tl) + (bl-tl). A code photographed at an
// angle breaks both: the near finder pattern looks twice the size of the far
// one, and the fourth corner is far from the parallelogram's. This stage
// takes the finder patterns gozxing's scan found, groups them with a
// tolerant test, and completes the fourth corner projectively, using the
// apparent size of each finder pattern as its depth cue (see projective).
func readTilted(bmp *gozxing.BinaryBitmap) []Code {
	matrix, err := bmp.GetBlackMatrix()
	if err != nil {
		return nil
	}
	finder := detector.NewFinderPatternFinder(matrix, nil)
	_, _ = finder.Find(tryHarder) // the candidates stay even when grouping fails
	for _, t := range tolerantTriples(finder.GetPossibleCenters(), 6) {
		if c := decodeTriple(matrix, t); c != nil {
			return []Code{*c}
		}
	}
	return nil
}

// triple is three finder patterns ordered as in the code.
type triple struct {
	bl, tl, tr *detector.FinderPattern
	score      float64
}

// tolerantTriples returns up to limit groupings of the candidate finder
// patterns that could be the corners of one code, most plausible first: the
// module sizes may differ up to 2.5x, the two arms from the top-left pattern
// up to 2.5x in length and their angle 45 to 135 degrees (a right angle
// seen at a slant).
func tolerantTriples(centers []*detector.FinderPattern, limit int) []triple {
	// Patterns confirmed on several rows come first; a few dozen stray
	// candidates are possible in a busy image, so keep the best dozen.
	cs := append([]*detector.FinderPattern(nil), centers...)
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].GetCount() > cs[j].GetCount() })
	if len(cs) > 12 {
		cs = cs[:12]
	}
	var out []triple
	for i := 0; i < len(cs); i++ {
		for j := i + 1; j < len(cs); j++ {
			for k := j + 1; k < len(cs); k++ {
				if t, ok := plausibleTriple(cs[i], cs[j], cs[k]); ok {
					out = append(out, t)
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].score < out[j].score })
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

func plausibleTriple(a, b, c *detector.FinderPattern) (triple, bool) {
	lo := math.Min(a.GetEstimatedModuleSize(), math.Min(b.GetEstimatedModuleSize(), c.GetEstimatedModuleSize()))
	hi := math.Max(a.GetEstimatedModuleSize(), math.Max(b.GetEstimatedModuleSize(), c.GetEstimatedModuleSize()))
	if hi > 2.5*lo {
		return triple{}, false
	}
	bl, tl, tr := gozxing.ResultPoint_OrderBestPatterns(a, b, c)
	t := triple{bl: bl.(*detector.FinderPattern), tl: tl.(*detector.FinderPattern), tr: tr.(*detector.FinderPattern)}
	ax, ay := tr.GetX()-tl.GetX(), tr.GetY()-tl.GetY()
	bx, by := bl.GetX()-tl.GetX(), bl.GetY()-tl.GetY()
	la, lb := math.Hypot(ax, ay), math.Hypot(bx, by)
	// Centres of finder patterns are at least 14 modules apart.
	if la < 10*hi || lb < 10*hi || la > 2.5*lb || lb > 2.5*la {
		return triple{}, false
	}
	cos := (ax*bx + ay*by) / (la * lb)
	if math.Abs(cos) > math.Cos(math.Pi/4) {
		return triple{}, false
	}
	t.score = math.Abs(cos) + math.Abs(math.Log(la/lb)) + 0.5*math.Log(hi/lo)
	return t, true
}

// projective completes a code from its three finder patterns.
//
// Under a perspective map the homogeneous image coordinates (w*x, w*y, w)
// are affine in the code's grid coordinates, so with w known at the three
// finder patterns any point of the code follows. The apparent area of a
// module scales as 1/w^3, so a pattern's module size m (a length) gives w up
// to a common factor as m^(-2/3); equal sizes give back gozxing's
// parallelogram.
type projective struct {
	p [3][3]float64 // tl, tr, bl as (w*x, w*y, w)
}

func newProjective(t triple) projective {
	var pr projective
	for i, fp := range []*detector.FinderPattern{t.tl, t.tr, t.bl} {
		w := math.Pow(fp.GetEstimatedModuleSize()/t.tl.GetEstimatedModuleSize(), -2.0/3)
		pr.p[i] = [3]float64{w * fp.GetX(), w * fp.GetY(), w}
	}
	return pr
}

// at maps (u, v), 0 at the top-left centre and 1 at the top-right
// (u) or bottom-left (v) centre, to the image, and gives the module size
// there relative to the top-left pattern's.
func (pr projective) at(u, v float64) (x, y, scale float64) {
	var h [3]float64
	for i := range h {
		h[i] = pr.p[0][i] + u*(pr.p[1][i]-pr.p[0][i]) + v*(pr.p[2][i]-pr.p[0][i])
	}
	return h[0] / h[2], h[1] / h[2], math.Pow(h[2], -1.5)
}

// decodeTriple tries the versions whose size fits the triple, each with the
// alignment pattern where the projective completion puts it, and without.
func decodeTriple(matrix *gozxing.BitMatrix, t triple) *Code {
	pr := newProjective(t)
	msTL := t.tl.GetEstimatedModuleSize()
	_, _, sTR := pr.at(1, 0)
	_, _, sBL := pr.at(0, 1)
	// Module counts between the centres, each arm measured with the mean
	// module size along it.
	nA := gozxing.ResultPoint_Distance(t.tl, t.tr) / (msTL * (1 + sTR) / 2)
	nB := gozxing.ResultPoint_Distance(t.tl, t.bl) / (msTL * (1 + sBL) / 2)
	est := (nA+nB)/2 + 7
	var dims []int
	for d := 21; d <= 177; d += 4 {
		if math.Abs(float64(d)-est) <= math.Max(est*0.2, 4.5) {
			dims = append(dims, d)
		}
	}
	sort.Slice(dims, func(i, j int) bool { return math.Abs(float64(dims[i])-est) < math.Abs(float64(dims[j])-est) })
	for _, dim := range dims {
		span := float64(dim - 7)
		brX, brY, _ := pr.at(1, 1)
		var transforms []*common.PerspectiveTransform
		if dim > 21 {
			f := 1 - 3/span
			ax, ay, s := pr.at(f, f)
			if ap := findAlignment(matrix, ax, ay, msTL*s); ap != nil {
				transforms = append(transforms, detector.Detector_createTransform(t.tl, t.tr, t.bl, ap, dim))
			}
		}
		d := float64(dim)
		transforms = append(transforms, common.PerspectiveTransform_QuadrilateralToQuadrilateral(
			3.5, 3.5, d-3.5, 3.5, d-3.5, d-3.5, 3.5, d-3.5,
			t.tl.GetX(), t.tl.GetY(), t.tr.GetX(), t.tr.GetY(), brX, brY, t.bl.GetX(), t.bl.GetY()))
		for _, tf := range transforms {
			bits, err := detector.Detector_sampleGrid(matrix, tf, dim)
			if err != nil {
				continue
			}
			res, err := decoder.NewDecoder().Decode(bits, tryHarder)
			if err != nil {
				continue
			}
			points := []gozxing.ResultPoint{t.bl, t.tl, t.tr, gozxing.NewResultPoint(brX, brY)}
			c := codeOf(gozxing.NewResult(res.GetText(), res.GetRawBytes(), points, gozxing.BarcodeFormat_QR_CODE))
			return &c
		}
	}
	return nil
}

// findAlignment looks for an alignment pattern of module size ms near
// (x, y), ever wider.
func findAlignment(matrix *gozxing.BitMatrix, x, y, ms float64) *detector.AlignmentPattern {
	for _, allowance := range []float64{4, 8, 16} {
		a := int(allowance * ms)
		left, top := max(int(x)-a, 0), max(int(y)-a, 0)
		right, bottom := min(int(x)+a, matrix.GetWidth()-1), min(int(y)+a, matrix.GetHeight()-1)
		if float64(right-left) < 3*ms || float64(bottom-top) < 3*ms {
			return nil
		}
		ap, err := detector.NewAlignmentPatternFinder(matrix, left, top, right-left, bottom-top, ms, nil).Find()
		if err == nil {
			return ap
		}
	}
	return nil
}
