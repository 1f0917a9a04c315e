package qrscan

import (
	"math"
	"sort"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// readSweep decodes the best-looking code in bmp trying several grid sizes.
//
// gozxing derives the code's size (its version) from the distance between
// finder patterns divided by a module size measured on the finder patterns
// themselves. With anti-aliased fractional modules that measure is off by a
// few percent, which on a dense code (a Google migration batch is version 20
// or more) lands on the wrong version and fails the whole decode. The finder
// patterns are usually right, so this tries the neighbouring versions too,
// each with its own alignment-pattern search and a wider one.
func readSweep(bmp *gozxing.BinaryBitmap) []Code {
	matrix, err := bmp.GetBlackMatrix()
	if err != nil {
		return nil
	}
	info, err := detector.NewFinderPatternFinder(matrix, nil).Find(tryHarder)
	if err != nil {
		return nil
	}
	tl, tr, bl := info.GetTopLeft(), info.GetTopRight(), info.GetBottomLeft()
	ms := (tl.GetEstimatedModuleSize() + tr.GetEstimatedModuleSize() + bl.GetEstimatedModuleSize()) / 3
	between := (gozxing.ResultPoint_Distance(tl, tr) + gozxing.ResultPoint_Distance(tl, bl)) / 2
	if ms < 1 || between < 14*ms {
		return nil
	}
	est := between/ms + 7
	var dims []int
	for d := 21; d <= 177; d += 4 {
		if math.Abs(float64(d)-est) <= math.Max(est*0.15, 4.5) {
			dims = append(dims, d)
		}
	}
	sort.Slice(dims, func(i, j int) bool { return math.Abs(float64(dims[i])-est) < math.Abs(float64(dims[j])-est) })
	for _, dim := range dims {
		moduleSize := between / float64(dim-7)
		for _, ap := range alignmentCandidates(matrix, tl, tr, bl, dim, moduleSize) {
			bits, err := detector.Detector_sampleGrid(matrix, detector.Detector_createTransform(tl, tr, bl, ap, dim), dim)
			if err != nil {
				continue
			}
			res, err := decoder.NewDecoder().Decode(bits, tryHarder)
			if err != nil {
				continue
			}
			points := []gozxing.ResultPoint{bl, tl, tr}
			if ap != nil {
				points = append(points, ap)
			}
			return []Code{codeOf(gozxing.NewResult(res.GetText(), res.GetRawBytes(), points, gozxing.BarcodeFormat_QR_CODE))}
		}
	}
	return nil
}

// alignmentCandidates returns the alignment patterns found near where a
// code of dim modules would have its bottom-right one, searched ever
// wider (perspective moves it), followed by nil: sampling without one.
func alignmentCandidates(matrix *gozxing.BitMatrix, tl, tr, bl gozxing.ResultPoint, dim int, moduleSize float64) []*detector.AlignmentPattern {
	var out []*detector.AlignmentPattern
	if dim > 21 {
		correction := 1 - 3/float64(dim-7)
		brX := tr.GetX() - tl.GetX() + bl.GetX()
		brY := tr.GetY() - tl.GetY() + bl.GetY()
		estX := tl.GetX() + correction*(brX-tl.GetX())
		estY := tl.GetY() + correction*(brY-tl.GetY())
		for _, allowance := range []float64{4, 8, 16, 32} {
			a := int(allowance * moduleSize)
			left, top := max(int(estX)-a, 0), max(int(estY)-a, 0)
			right, bottom := min(int(estX)+a, matrix.GetWidth()-1), min(int(estY)+a, matrix.GetHeight()-1)
			if float64(right-left) < 3*moduleSize || float64(bottom-top) < 3*moduleSize {
				break
			}
			ap, err := detector.NewAlignmentPatternFinder(matrix, left, top, right-left, bottom-top, moduleSize, nil).Find()
			if err == nil {
				out = append(out, ap)
				break
			}
		}
	}
	return append(out, nil)
}
