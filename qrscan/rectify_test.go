package qrscan

import (
	"image"
	"math"
	"testing"

	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// TestLargestQuad checks the corner search on hulls with known corners:
// points inside and on the edges must not be picked.
func TestLargestQuad(t *testing.T) {
	for _, tc := range []struct {
		name    string
		corners [4][2]float64
	}{
		// An upright square.
		{"square", [4][2]float64{{10, 10}, {110, 10}, {110, 110}, {10, 110}}},
		// A trapezoid, as a code seen from below.
		{"trapezoid", [4][2]float64{{30, 10}, {90, 10}, {120, 100}, {0, 100}}},
		// A turned, skewed quadrilateral.
		{"skewed", [4][2]float64{{50, 0}, {140, 40}, {100, 150}, {5, 90}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var pts [][2]float64
			for i, a := range tc.corners {
				b := tc.corners[(i+1)%4]
				for f := 0.0; f < 1; f += 0.1 { // edge points
					pts = append(pts, [2]float64{a[0] + f*(b[0]-a[0]), a[1] + f*(b[1]-a[1])})
				}
			}
			pts = append(pts, [2]float64{60, 60}, [2]float64{70, 50}) // inside
			q, _ := largestQuad(convexHull(pts))
			for _, want := range tc.corners {
				found := false
				for _, got := range q {
					found = found || math.Hypot(got[0]-want[0], got[1]-want[1]) < 1e-6
				}
				if !found {
					t.Errorf("corner %v missing from %v", want, q)
				}
			}
		})
	}
}

// TestDarkQuad draws a code under perspective and checks that the outline
// found lies within two modules of the code's true corners.
func TestDarkQuad(t *testing.T) {
	text := "otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example"
	grid, err := modules(text)
	if err != nil {
		t.Fatal(err)
	}
	img := canvas(400, 400, white)
	q := quad{{60, 50}, {330, 90}, {350, 340}, {40, 300}}
	drawCode(img, text, q, black, white)
	// The dark pixels end where the quiet zone begins.
	total := float64(len(grid) + 2*QuietZone)
	h := homography(q)
	var want [4][2]float64
	for i, uv := range [4][2]float64{{0, 0}, {1, 0}, {1, 1}, {0, 1}} {
		u := (QuietZone + uv[0]*float64(len(grid))) / total
		v := (QuietZone + uv[1]*float64(len(grid))) / total
		w := h[6]*u + h[7]*v + h[8]
		want[i] = [2]float64{(h[0]*u + h[1]*v + h[2]) / w, (h[3]*u + h[4]*v + h[5]) / w}
	}
	got, ok := darkQuad(lumaFromImage(img), image.Rect(0, 0, 400, 400))
	if !ok {
		t.Fatal("no outline found")
	}
	module := 270.0 / total
	for _, w := range want {
		best := math.Inf(1)
		for _, g := range got {
			best = math.Min(best, math.Hypot(g[0]-w[0], g[1]-w[1]))
		}
		if best > 2*module {
			t.Errorf("corner %v: nearest found %v px away (module %.1f px); outline %v", w, best, module, got)
		}
	}
	// Reading the rectified outline gives the code, with bounds back in
	// the image's coordinates around the drawn code.
	codes := readQuad(lumaFromImage(img), got)
	if len(codes) != 1 || codes[0].Text != text {
		t.Fatalf("readQuad = %v, want the code", codes)
	}
	drawn := quadRect(q)
	if b := codes[0].Bounds; !b.In(drawn.Inset(-10)) || b.Dx()*b.Dy() < drawn.Dx()*drawn.Dy()/3 {
		t.Errorf("bounds %v, want within and most of %v", b, drawn)
	}
}

// TestDarkQuadRejects checks that flat regions and lines of text are not
// taken for a code.
func TestDarkQuadRejects(t *testing.T) {
	flat := canvas(100, 100, white)
	if _, ok := darkQuad(lumaFromImage(flat), flat.Bounds()); ok {
		t.Error("a blank region gave an outline")
	}
	line := canvas(400, 40, white)
	drawText(line, 5, 10, "authentication settings", 1, black)
	if _, ok := darkQuad(lumaFromImage(line), line.Bounds()); ok {
		t.Error("a line of text gave an outline")
	}
}

// TestProjective checks the fourth-corner completion: with equal module
// sizes it is gozxing's parallelogram, and it passes through the three
// finder patterns whatever their sizes.
func TestProjective(t *testing.T) {
	pts := func(ms [3]float64) triple {
		return triple{
			tl: detector.NewFinderPattern1(100, 100, ms[0]),
			tr: detector.NewFinderPattern1(300, 120, ms[1]),
			bl: detector.NewFinderPattern1(90, 280, ms[2]),
		}
	}
	near := func(x, y, wx, wy float64) bool { return math.Hypot(x-wx, y-wy) < 1e-6 }
	pr := newProjective(pts([3]float64{4, 4, 4}))
	if x, y, s := pr.at(1, 1); !near(x, y, 290, 300) || math.Abs(s-1) > 1e-9 {
		t.Errorf("equal sizes: fourth corner (%v, %v) scale %v, want (290, 300) scale 1", x, y, s)
	}
	pr = newProjective(pts([3]float64{4, 7, 5}))
	for _, c := range [][4]float64{{0, 0, 100, 100}, {1, 0, 300, 120}, {0, 1, 90, 280}} {
		if x, y, _ := pr.at(c[0], c[1]); !near(x, y, c[2], c[3]) {
			t.Errorf("at(%v, %v) = (%v, %v), want (%v, %v)", c[0], c[1], x, y, c[2], c[3])
		}
	}
	// A bigger top-right pattern is nearer the camera, so the far corner
	// moves towards it (right of the parallelogram's).
	if x, _, _ := pr.at(1, 1); x <= 290 {
		t.Errorf("nearer top-right: fourth corner x = %v, want right of 290", x)
	}
}
