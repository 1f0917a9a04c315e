package qrscan

import (
	"image"
	"sort"
)

// invert swaps light and dark.
func invert(l *luma) *luma {
	out := newLuma(l.w, l.h)
	for i, v := range l.pix {
		out.pix[i] = 255 - v
	}
	return out
}

// stretch maps the 1st-99th percentile of levels to 0-255, or returns nil
// when the image already spans most of the range (or none of it), where
// stretching would change nothing the binarizer cares about.
func stretch(l *luma) *luma {
	var hist [256]int
	for _, v := range l.pix {
		hist[v]++
	}
	n := len(l.pix)
	lo, hi := percentile(&hist, n/100), percentile(&hist, n-n/100-1)
	if hi-lo >= 200 || hi-lo < 2 {
		return nil
	}
	var table [256]byte
	for v := range table {
		s := (v - lo) * 255 / (hi - lo)
		table[v] = byte(min(max(s, 0), 255))
	}
	out := newLuma(l.w, l.h)
	for i, v := range l.pix {
		out.pix[i] = table[v]
	}
	return out
}

// percentile is the level below which rank pixels lie.
func percentile(hist *[256]int, rank int) int {
	sum := 0
	for v, c := range hist {
		sum += c
		if sum > rank {
			return v
		}
	}
	return 255
}

// noisy reports whether the image has salt-and-pepper noise: single pixels
// far brighter or darker than all four neighbours. Anti-aliased text and
// photographs have few of them; a median filter costs a full pass, so it
// only runs when they are common enough to break a code.
func noisy(l *luma) bool {
	const jump = 80
	impulses, seen := 0, 0
	for y := 1; y < l.h-1; y += 2 {
		row := l.pix[y*l.w : (y+1)*l.w]
		up, down := l.pix[(y-1)*l.w:y*l.w], l.pix[(y+1)*l.w:(y+2)*l.w]
		for x := 1; x < l.w-1; x++ {
			v := int(row[x])
			seen++
			if v-int(row[x-1]) > jump && v-int(row[x+1]) > jump && v-int(up[x]) > jump && v-int(down[x]) > jump ||
				int(row[x-1])-v > jump && int(row[x+1])-v > jump && int(up[x])-v > jump && int(down[x])-v > jump {
				impulses++
			}
		}
	}
	return seen > 0 && impulses*1000 > seen
}

// median3 is a 3x3 median filter; the border rows and columns are copied.
func median3(l *luma) *luma {
	out := newLuma(l.w, l.h)
	copy(out.pix, l.pix)
	var p [9]byte
	for y := 1; y < l.h-1; y++ {
		a, b, c := l.pix[(y-1)*l.w:], l.pix[y*l.w:], l.pix[(y+1)*l.w:]
		dst := out.pix[y*l.w:]
		for x := 1; x < l.w-1; x++ {
			p = [9]byte{a[x-1], a[x], a[x+1], b[x-1], b[x], b[x+1], c[x-1], c[x], c[x+1]}
			dst[x] = median9(&p)
		}
	}
	return out
}

// median9 is the classic 19-exchange median-of-9 network.
func median9(p *[9]byte) byte {
	for _, e := range median9Network {
		if p[e[0]] > p[e[1]] {
			p[e[0]], p[e[1]] = p[e[1]], p[e[0]]
		}
	}
	return p[4]
}

var median9Network = [19][2]uint8{
	{1, 2}, {4, 5}, {7, 8}, {0, 1}, {3, 4}, {6, 7}, {1, 2}, {4, 5}, {7, 8},
	{0, 3}, {5, 8}, {4, 7}, {3, 6}, {1, 4}, {2, 5}, {4, 7}, {4, 2}, {6, 4}, {4, 2},
}

// crop copies a rectangle of l.
func crop(l *luma, r image.Rectangle) *luma {
	out := newLuma(r.Dx(), r.Dy())
	for y := 0; y < out.h; y++ {
		off := (r.Min.Y+y)*l.w + r.Min.X
		copy(out.pix[y*out.w:(y+1)*out.w], l.pix[off:off+out.w])
	}
	return out
}

// upscale enlarges l by an integer factor with bilinear interpolation, which
// turns anti-aliased one-pixel modules into runs the finder-pattern scan can
// measure.
func upscale(l *luma, f int) *luma {
	out := newLuma(l.w*f, l.h*f)
	for oy := 0; oy < out.h; oy++ {
		fy := (float32(oy)+0.5)/float32(f) - 0.5
		y0 := int(max(fy, 0))
		y1 := min(y0+1, l.h-1)
		wy := max(fy-float32(y0), 0)
		r0, r1 := l.pix[y0*l.w:(y0+1)*l.w], l.pix[y1*l.w:(y1+1)*l.w]
		dst := out.pix[oy*out.w : (oy+1)*out.w]
		for ox := range dst {
			fx := (float32(ox)+0.5)/float32(f) - 0.5
			x0 := int(max(fx, 0))
			x1 := min(x0+1, l.w-1)
			wx := max(fx-float32(x0), 0)
			top := float32(r0[x0])*(1-wx) + float32(r0[x1])*wx
			bot := float32(r1[x0])*(1-wx) + float32(r1[x1])*wx
			dst[ox] = byte(top*(1-wy) + bot*wy + 0.5)
		}
	}
	return out
}

// candidateBlock is the side of the cells candidates are assembled from.
const candidateBlock = 8

// candidates returns up to max rectangles that look like a QR code: compact,
// roughly square clusters of cells with strong light-dark transitions in
// both directions. Text lines are wide and thin, photographs lack the
// transitions, so neither crowds out the code for long.
func candidates(l *luma, limit int) []image.Rectangle {
	bw, bh := l.w/candidateBlock, l.h/candidateBlock
	if bw < 2 || bh < 2 {
		return nil
	}
	busy := make([]bool, bw*bh)
	for by := 0; by < bh; by++ {
		for bx := 0; bx < bw; bx++ {
			busy[by*bw+bx] = busyCell(l, bx*candidateBlock, by*candidateBlock)
		}
	}
	type blob struct {
		r     image.Rectangle
		cells int
	}
	var blobs []blob
	seen := make([]bool, len(busy))
	stack := []int{}
	for i := range busy {
		if !busy[i] || seen[i] {
			continue
		}
		seen[i] = true
		stack = append(stack[:0], i)
		r := image.Rect(i%bw, i/bw, i%bw+1, i/bw+1)
		cells := 0
		for len(stack) > 0 {
			j := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			cells++
			x, y := j%bw, j/bw
			r = r.Union(image.Rect(x, y, x+1, y+1))
			for _, n := range [4][2]int{{x - 1, y}, {x + 1, y}, {x, y - 1}, {x, y + 1}} {
				if n[0] >= 0 && n[0] < bw && n[1] >= 0 && n[1] < bh {
					k := n[1]*bw + n[0]
					if busy[k] && !seen[k] {
						seen[k] = true
						stack = append(stack, k)
					}
				}
			}
		}
		w, h := r.Dx(), r.Dy()
		if w < 2 || h < 2 || w > 3*h || h > 3*w || cells*2 < w*h {
			continue
		}
		blobs = append(blobs, blob{image.Rect(r.Min.X*candidateBlock, r.Min.Y*candidateBlock, r.Max.X*candidateBlock, r.Max.Y*candidateBlock), cells})
	}
	sort.Slice(blobs, func(i, j int) bool { return blobs[i].cells > blobs[j].cells })
	var out []image.Rectangle
	for _, b := range blobs {
		if len(out) == limit {
			break
		}
		out = append(out, b.r)
	}
	return out
}

// busyCell reports whether the cell at (x0, y0) has contrast and at least
// two transitions across it both horizontally and vertically.
func busyCell(l *luma, x0, y0 int) bool {
	lo, hi := byte(255), byte(0)
	for y := y0; y < y0+candidateBlock; y++ {
		for _, v := range l.pix[y*l.w+x0 : y*l.w+x0+candidateBlock] {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	if hi-lo < 12 {
		return false
	}
	mid := (int(lo) + int(hi)) / 2
	horiz, vert := 0, 0
	for i := 1; i < candidateBlock; i += 3 {
		row := l.pix[(y0+i)*l.w+x0:]
		for x := 1; x < candidateBlock; x++ {
			if (int(row[x-1]) < mid) != (int(row[x]) < mid) {
				horiz++
			}
		}
		for y := 1; y < candidateBlock; y++ {
			a, b := l.pix[(y0+y-1)*l.w+x0+i], l.pix[(y0+y)*l.w+x0+i]
			if (int(a) < mid) != (int(b) < mid) {
				vert++
			}
		}
	}
	return horiz >= 2 && vert >= 2
}

// readCandidates crops each candidate region (and a small image whole) with a margin, enlarges it so
// that the region is a few hundred pixels across, stretches its levels and
// reads it; codes come back in the coordinates of l.
func readCandidates(l *luma, cands []image.Rectangle) []Code {
	var rects []image.Rectangle
	if l.w*l.h <= 1<<20 {
		rects = append(rects, image.Rect(0, 0, l.w, l.h))
	}
	rects = append(rects, cands...)
	bounds := image.Rect(0, 0, l.w, l.h)
	for _, r := range rects {
		m := max(r.Dx(), r.Dy())/8 + 2*candidateBlock
		r = r.Inset(-m).Intersect(bounds)
		f := min(max(600/max(r.Dx(), r.Dy()), 2), 6)
		for f > 2 && r.Dx()*r.Dy()*f*f > 4<<20 {
			f--
		}
		if r.Dx()*r.Dy()*f*f > 4<<20 {
			continue
		}
		c := crop(l, r)
		if st := stretch(c); st != nil {
			c = st
		}
		codes := readBoth(upscale(c, f))
		if len(codes) == 0 {
			continue
		}
		for i := range codes {
			b := codes[i].Bounds
			codes[i].Bounds = image.Rect(b.Min.X/f, b.Min.Y/f, (b.Max.X+f-1)/f, (b.Max.Y+f-1)/f).Add(r.Min)
		}
		return codes
	}
	return nil
}

// readInvertedRegions reads each candidate region of l, with a margin for
// the quiet zone, light and dark swapped, at its own scale; codes come back
// in the coordinates of l.
func readInvertedRegions(l *luma, cands []image.Rectangle) []Code {
	bounds := image.Rect(0, 0, l.w, l.h)
	for _, r := range cands {
		r = r.Inset(-(max(r.Dx(), r.Dy())/8 + 2*candidateBlock)).Intersect(bounds)
		codes := readBoth(invert(crop(l, r)))
		for i := range codes {
			codes[i].Bounds = codes[i].Bounds.Add(r.Min)
		}
		if len(codes) > 0 {
			return codes
		}
	}
	return nil
}

// halve shrinks l to half its size, each pixel the mean of a 2x2 block.
func halve(l *luma) *luma {
	out := newLuma(l.w/2, l.h/2)
	for y := 0; y < out.h; y++ {
		a, b := l.pix[2*y*l.w:], l.pix[(2*y+1)*l.w:]
		dst := out.pix[y*out.w : (y+1)*out.w]
		for x := range dst {
			dst[x] = byte((int(a[2*x]) + int(a[2*x+1]) + int(b[2*x]) + int(b[2*x+1]) + 2) / 4)
		}
	}
	return out
}
