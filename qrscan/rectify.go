package qrscan

import (
	"image"
	"math"
	"sort"

	"github.com/makiuchi-d/gozxing/common"
)

// readRectified finds the outline of each candidate region (and of a small
// image whole), maps the
// quadrilateral around its dark pixels back to a square and reads that.
//
// Under strong perspective the finder patterns themselves are too skewed
// for gozxing's scan (its cross-checks expect the 1:1:3:1:1 runs to agree
// vertically, horizontally and diagonally), so nothing is found to group.
// The code as a whole is still a convex quadrilateral: its corners are the
// corners of the largest quadrilateral inside the convex hull of its dark
// pixels. Undoing that perspective leaves a nearly upright code, which the
// plain readers decode.
func readRectified(l *luma, cands []image.Rectangle) []Code {
	var rects []image.Rectangle
	if l.w*l.h <= 1<<20 {
		rects = append(rects, image.Rect(0, 0, l.w, l.h))
	}
	rects = append(rects, cands...)
	for _, r := range rects {
		q, ok := darkQuad(l, r)
		if !ok {
			continue
		}
		if codes := readQuad(l, q); len(codes) > 0 {
			return codes
		}
	}
	return nil
}

// darkQuad returns the largest quadrilateral inside the convex hull of the
// dark pixels in r, corners in hull order, or false when the region is too
// small or too thin to be a code.
func darkQuad(l *luma, r image.Rectangle) ([4][2]float64, bool) {
	var hist [256]int
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for _, v := range l.pix[y*l.w+r.Min.X : y*l.w+r.Max.X] {
			hist[v]++
		}
	}
	n := r.Dx() * r.Dy()
	lo, hi := percentile(&hist, n/100), percentile(&hist, n-n/100-1)
	if hi-lo < 24 {
		return [4][2]float64{}, false
	}
	mid := byte((lo + hi) / 2)
	// The hull depends only on the first and last dark pixel of each row.
	var pts [][2]float64
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := l.pix[y*l.w : (y+1)*l.w]
		first, last := -1, -1
		for x := r.Min.X; x < r.Max.X; x++ {
			if row[x] < mid {
				if first < 0 {
					first = x
				}
				last = x
			}
		}
		if first >= 0 {
			pts = append(pts, [2]float64{float64(first), float64(y)}, [2]float64{float64(last), float64(y)})
		}
	}
	hull := convexHull(pts)
	if len(hull) < 4 {
		return [4][2]float64{}, false
	}
	q, area := largestQuad(hull)
	// A code is at least 21 modules of a pixel a side, and even at a
	// steep angle no side is under a quarter of another; a sliver is a
	// line of text.
	shortest, longest := math.Inf(1), 0.0
	for i := range q {
		d := math.Hypot(q[i][0]-q[(i+1)%4][0], q[i][1]-q[(i+1)%4][1])
		shortest, longest = math.Min(shortest, d), math.Max(longest, d)
	}
	if shortest < 20 || shortest < longest/4 || area < 0.25*quadBoxArea(q) {
		return q, false
	}
	return q, true
}

func quadBoxArea(q [4][2]float64) float64 {
	minX, minY, maxX, maxY := q[0][0], q[0][1], q[0][0], q[0][1]
	for _, p := range q {
		minX, maxX = math.Min(minX, p[0]), math.Max(maxX, p[0])
		minY, maxY = math.Min(minY, p[1]), math.Max(maxY, p[1])
	}
	return (maxX - minX) * (maxY - minY)
}

// convexHull is Andrew's monotone chain, counter-clockwise in image
// coordinates' sense of the cross product, without collinear points.
func convexHull(pts [][2]float64) [][2]float64 {
	if len(pts) < 3 {
		return nil
	}
	sort.Slice(pts, func(i, j int) bool {
		return pts[i][0] < pts[j][0] || pts[i][0] == pts[j][0] && pts[i][1] < pts[j][1]
	})
	cross := func(o, a, b [2]float64) float64 {
		return (a[0]-o[0])*(b[1]-o[1]) - (a[1]-o[1])*(b[0]-o[0])
	}
	hull := make([][2]float64, 0, 2*len(pts))
	for _, p := range pts {
		for len(hull) >= 2 && cross(hull[len(hull)-2], hull[len(hull)-1], p) <= 0 {
			hull = hull[:len(hull)-1]
		}
		hull = append(hull, p)
	}
	lower := len(hull) + 1
	for i := len(pts) - 2; i >= 0; i-- {
		p := pts[i]
		for len(hull) >= lower && cross(hull[len(hull)-2], hull[len(hull)-1], p) <= 0 {
			hull = hull[:len(hull)-1]
		}
		hull = append(hull, p)
	}
	return hull[:len(hull)-1]
}

// largestQuad picks the four hull vertices spanning the largest area. For
// every diagonal (i, k) the best third and fourth corners are the vertices
// farthest from it on either side.
func largestQuad(hull [][2]float64) ([4][2]float64, float64) {
	n := len(hull)
	if n > 120 { // keep the cubic search small; hulls of codes are far below
		step := float64(n) / 120
		var thin [][2]float64
		for f := 0.0; int(f) < n; f += step {
			thin = append(thin, hull[int(f)])
		}
		hull, n = thin, len(thin)
	}
	tri := func(a, b, c [2]float64) float64 {
		return math.Abs((b[0]-a[0])*(c[1]-a[1])-(b[1]-a[1])*(c[0]-a[0])) / 2
	}
	var best [4][2]float64
	bestArea := -1.0
	for i := 0; i < n; i++ {
		for k := i + 2; k < n; k++ {
			a1, j := -1.0, -1
			for m := i + 1; m < k; m++ {
				if t := tri(hull[i], hull[m], hull[k]); t > a1 {
					a1, j = t, m
				}
			}
			a2, l := -1.0, -1
			for m := k + 1; m < n+i; m++ {
				if t := tri(hull[i], hull[k], hull[m%n]); t > a2 {
					a2, l = t, m%n
				}
			}
			if j >= 0 && l >= 0 && a1+a2 > bestArea {
				bestArea = a1 + a2
				best = [4][2]float64{hull[i], hull[j], hull[k], hull[l]}
			}
		}
	}
	return best, bestArea
}

// readQuad samples the quadrilateral q (with a margin for the quiet zone)
// onto an upright square and reads it; codes come back in l's coordinates.
func readQuad(l *luma, q [4][2]float64) []Code {
	sideLen := 0.0
	for i := range q {
		sideLen = math.Max(sideLen, math.Hypot(q[i][0]-q[(i+1)%4][0], q[i][1]-q[(i+1)%4][1]))
	}
	inner := math.Min(math.Max(sideLen, 240), 720)
	margin := math.Round(inner / 10)
	side := int(inner + 2*margin)
	s0, s1 := margin, margin+inner
	tf := common.PerspectiveTransform_QuadrilateralToQuadrilateral(
		s0, s0, s1, s0, s1, s1, s0, s1,
		q[0][0], q[0][1], q[1][0], q[1][1], q[2][0], q[2][1], q[3][0], q[3][1])
	out := newLuma(side, side)
	xs, ys := make([]float64, side), make([]float64, side)
	for y := 0; y < side; y++ {
		for x := range xs {
			xs[x], ys[x] = float64(x)+0.5, float64(y)+0.5
		}
		tf.TransformPointsXY(xs, ys)
		dst := out.pix[y*side : (y+1)*side]
		for x := range dst {
			dst[x] = l.bilinear(xs[x]-0.5, ys[x]-0.5)
		}
	}
	codes := readBoth(out)
	if len(codes) == 0 {
		codes = readTilted(bitmapOf(out))
	}
	for i := range codes {
		b := codes[i].Bounds
		cx := []float64{float64(b.Min.X), float64(b.Max.X), float64(b.Max.X), float64(b.Min.X)}
		cy := []float64{float64(b.Min.Y), float64(b.Min.Y), float64(b.Max.Y), float64(b.Max.Y)}
		tf.TransformPointsXY(cx, cy)
		minX, minY := math.Min(math.Min(cx[0], cx[1]), math.Min(cx[2], cx[3])), math.Min(math.Min(cy[0], cy[1]), math.Min(cy[2], cy[3]))
		maxX, maxY := math.Max(math.Max(cx[0], cx[1]), math.Max(cx[2], cx[3])), math.Max(math.Max(cy[0], cy[1]), math.Max(cy[2], cy[3]))
		codes[i].Bounds = image.Rect(int(minX), int(minY), int(math.Ceil(maxX)), int(math.Ceil(maxY))).Intersect(image.Rect(0, 0, l.w, l.h))
	}
	return codes
}

// bilinear samples l at (x, y) in pixel-centre coordinates; outside the
// image it is white, like a quiet zone.
func (l *luma) bilinear(x, y float64) byte {
	if x < 0 || y < 0 || x > float64(l.w-1) || y > float64(l.h-1) || math.IsNaN(x) || math.IsNaN(y) {
		return 255
	}
	x0, y0 := int(x), int(y)
	x1, y1 := min(x0+1, l.w-1), min(y0+1, l.h-1)
	fx, fy := x-float64(x0), y-float64(y0)
	top := float64(l.pix[y0*l.w+x0])*(1-fx) + float64(l.pix[y0*l.w+x1])*fx
	bot := float64(l.pix[y1*l.w+x0])*(1-fx) + float64(l.pix[y1*l.w+x1])*fx
	return byte(top*(1-fy) + bot*fy + 0.5)
}
