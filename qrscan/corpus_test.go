package qrscan

import (
	"bytes"
	"encoding/base32"
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
	"net/url"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// The corpus is generated, not committed: every image comes from a seeded
// generator, so the same index always gives the same picture, and the small
// subset `go test` runs is a prefix of what the benchmark runs.

// corpusImage is one generated test image with the payloads it holds.
type corpusImage struct {
	category string
	index    int
	img      image.Image // as a reader sees it (after JPEG round trip)
	file     []byte      // the same image as a file
	ext      string      // "png" or "jpg"
	want     []string
}

// corpusCategory generates the index-th image of one kind.
type corpusCategory struct {
	name string
	gen  func(r *rand.Rand, i int) (img image.Image, want []string, jpegQuality int)
}

func corpusCategories() []corpusCategory {
	return []corpusCategory{
		{"clean", genClean},
		{"screen1080", func(r *rand.Rand, i int) (image.Image, []string, int) { return genScreen(r, 1920, 1080, 1) }},
		{"screen4k", func(r *rand.Rand, i int) (image.Image, []string, int) { return genScreen(r, 3840, 2160, 2) }},
		{"tiny", genTiny},
		{"rotated", genRotated},
		{"perspective", genPerspective},
		{"blur", genBlur},
		{"salt", genSalt},
		{"lowcontrast", genLowContrast},
		{"inverted", genInverted},
		{"jpeg", genJPEG},
		{"two", genTwo},
		{"migration", genMigration},
		{"nocode", genNoCode},
		{"inverted4k", genInverted4K},
	}
}

// makeCorpus builds n images of every category (or only of the named ones).
func makeCorpus(n int, only map[string]bool) ([]corpusImage, error) {
	var out []corpusImage
	for ci, c := range corpusCategories() {
		if only != nil && !only[c.name] {
			continue
		}
		for i := 0; i < n; i++ {
			r := rand.New(rand.NewPCG(0x9a7e4e7, uint64(ci*1000+i)))
			img, want, q := c.gen(r, i)
			ci := corpusImage{category: c.name, index: i, want: want}
			var buf bytes.Buffer
			if q > 0 {
				if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q}); err != nil {
					return nil, err
				}
				dec, err := jpeg.Decode(bytes.NewReader(buf.Bytes()))
				if err != nil {
					return nil, err
				}
				ci.img, ci.ext = dec, "jpg"
			} else {
				if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, img); err != nil {
					return nil, err
				}
				ci.img, ci.ext = img, "png"
			}
			ci.file = buf.Bytes()
			out = append(out, ci)
		}
	}
	return out, nil
}

// --- payloads

var issuers = []string{"GitHub", "Google", "Example Bank", "DrayTek", "Proton", "AWS", "Mastodon", "Cloudflare"}

func randSecret(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
	return b
}

func totpURI(r *rand.Rand) string {
	iss := issuers[r.IntN(len(issuers))]
	user := fmt.Sprintf("user%d@example.com", r.IntN(10000))
	secret := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(randSecret(r, 10+r.IntN(11)))
	return "otpauth://totp/" + url.PathEscape(iss+":"+user) + "?secret=" + secret + "&issuer=" + url.QueryEscape(iss)
}

// migrationURI is a Google Authenticator export batch of count accounts,
// encoded as that app does (protobuf, standard Base64, then URL escaping).
func migrationURI(r *rand.Rand, count int) string {
	var payload []byte
	field := func(buf []byte, num int, data []byte) []byte {
		buf = append(buf, byte(num<<3|2))
		buf = appendVarint(buf, len(data))
		return append(buf, data...)
	}
	for i := 0; i < count; i++ {
		var p []byte
		p = field(p, 1, randSecret(r, 10+r.IntN(11)))
		iss := issuers[r.IntN(len(issuers))]
		p = field(p, 2, fmt.Appendf(nil, "%s:user%d@example.com", iss, r.IntN(10000)))
		p = field(p, 3, []byte(iss))
		p = append(p, 4<<3, 1, 5<<3, 1, 6<<3, 2) // SHA1, six digits, TOTP
		payload = field(payload, 1, p)
	}
	payload = append(payload, 2<<3, 1, 3<<3, 1, 4<<3, 0, 5<<3)
	payload = appendVarint(payload, int(r.Uint32()>>1))
	return "otpauth-migration://offline?data=" + url.QueryEscape(base64.StdEncoding.EncodeToString(payload))
}

func appendVarint(b []byte, v int) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

// --- drawing

var (
	white = color.RGBA{255, 255, 255, 255}
	black = color.RGBA{0, 0, 0, 255}
)

func canvas(w, h int, bg color.RGBA) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), &image.Uniform{bg}, image.Point{}, draw.Src)
	return img
}

func grey(v int) color.RGBA { return color.RGBA{uint8(v), uint8(v), uint8(v), 255} }

// quad is the four corners (top-left, top-right, bottom-right, bottom-left)
// of a code including its quiet zone.
type quad [4][2]float64

// square is an upright quad of side s at (x, y) turned by angle radians
// around its centre.
func square(x, y, s, angle float64) quad {
	cx, cy := x+s/2, y+s/2
	var q quad
	for i, c := range [4][2]float64{{-1, -1}, {1, -1}, {1, 1}, {-1, 1}} {
		dx, dy := c[0]*s/2, c[1]*s/2
		q[i] = [2]float64{cx + dx*math.Cos(angle) - dy*math.Sin(angle), cy + dx*math.Sin(angle) + dy*math.Cos(angle)}
	}
	return q
}

// homography maps the unit square onto q (ZXing's squareToQuadrilateral);
// h[0..8] row-major, acting on column vectors (u, v, 1).
func homography(q quad) [9]float64 {
	x0, y0, x1, y1 := q[0][0], q[0][1], q[1][0], q[1][1]
	x2, y2, x3, y3 := q[2][0], q[2][1], q[3][0], q[3][1]
	dx3, dy3 := x0-x1+x2-x3, y0-y1+y2-y3
	if math.Abs(dx3) < 1e-9 && math.Abs(dy3) < 1e-9 {
		return [9]float64{x1 - x0, x3 - x0, x0, y1 - y0, y3 - y0, y0, 0, 0, 1}
	}
	dx1, dx2, dy1, dy2 := x1-x2, x3-x2, y1-y2, y3-y2
	den := dx1*dy2 - dx2*dy1
	a13 := (dx3*dy2 - dx2*dy3) / den
	a23 := (dx1*dy3 - dx3*dy1) / den
	return [9]float64{x1 - x0 + a13*x1, x3 - x0 + a23*x3, x0, y1 - y0 + a13*y1, y3 - y0 + a23*y3, y0, a13, a23, 1}
}

func invert3(m [9]float64) [9]float64 {
	a, b, c, d, e, f, g, h, i := m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8]
	det := a*(e*i-f*h) - b*(d*i-f*g) + c*(d*h-e*g)
	return [9]float64{
		(e*i - f*h) / det, (c*h - b*i) / det, (b*f - c*e) / det,
		(f*g - d*i) / det, (a*i - c*g) / det, (c*d - a*f) / det,
		(d*h - e*g) / det, (b*g - a*h) / det, (a*e - b*d) / det,
	}
}

// drawCode draws text as a QR code into q with anti-aliasing (4x4 samples a
// pixel), modules fg on bg, as a browser or an image viewer scales it.
func drawCode(dst *image.RGBA, text string, q quad, fg, bg color.RGBA) {
	grid, err := modules(text)
	if err != nil {
		panic(err)
	}
	n := float64(len(grid))
	total := n + 2*QuietZone
	inv := invert3(homography(q))
	minX, minY, maxX, maxY := q[0][0], q[0][1], q[0][0], q[0][1]
	for _, p := range q {
		minX, maxX = math.Min(minX, p[0]), math.Max(maxX, p[0])
		minY, maxY = math.Min(minY, p[1]), math.Max(maxY, p[1])
	}
	r := image.Rect(int(minX), int(minY), int(maxX)+2, int(maxY)+2).Intersect(dst.Bounds())
	const ss = 4
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			darkN, lightN := 0, 0
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					px, py := float64(x)+(float64(sx)+0.5)/ss, float64(y)+(float64(sy)+0.5)/ss
					w := inv[6]*px + inv[7]*py + inv[8]
					u := (inv[0]*px + inv[1]*py + inv[2]) / w
					v := (inv[3]*px + inv[4]*py + inv[5]) / w
					if u < 0 || u >= 1 || v < 0 || v >= 1 {
						continue
					}
					mx, my := int(u*total)-QuietZone, int(v*total)-QuietZone
					if mx >= 0 && my >= 0 && mx < len(grid) && my < len(grid) && grid[my][mx] {
						darkN++
					} else {
						lightN++
					}
				}
			}
			if darkN+lightN == 0 {
				continue
			}
			old := dst.RGBAAt(x, y)
			mix := func(f, b, o uint8) uint8 {
				return uint8((darkN*int(f) + lightN*int(b) + (ss*ss-darkN-lightN)*int(o) + ss*ss/2) / (ss * ss))
			}
			dst.SetRGBA(x, y, color.RGBA{mix(fg.R, bg.R, old.R), mix(fg.G, bg.G, old.G), mix(fg.B, bg.B, old.B), 255})
		}
	}
}

// codeSide is the side in pixels of text's code with its quiet zone at a
// module size of ms pixels.
func codeSide(text string, ms float64) float64 {
	grid, err := modules(text)
	if err != nil {
		panic(err)
	}
	return float64(len(grid)+2*QuietZone) * ms
}

// drawText writes s at (x, y) (top-left) in a 7x13 bitmap font enlarged by
// scale.
func drawText(dst *image.RGBA, x, y int, s string, scale int, col color.RGBA) {
	mask := image.NewAlpha(image.Rect(0, 0, 7*len(s), 13))
	d := font.Drawer{Dst: mask, Src: image.Opaque, Face: basicfont.Face7x13, Dot: fixed.P(0, 11)}
	d.DrawString(s)
	for my := 0; my < 13; my++ {
		for mx := 0; mx < mask.Rect.Dx(); mx++ {
			if mask.AlphaAt(mx, my).A == 0 {
				continue
			}
			fill(dst, image.Rect(x+mx*scale, y+my*scale, x+(mx+1)*scale, y+(my+1)*scale), col)
		}
	}
}

func fill(dst *image.RGBA, r image.Rectangle, c color.RGBA) {
	draw.Draw(dst, r.Intersect(dst.Bounds()), &image.Uniform{c}, image.Point{}, draw.Src)
}

var words = []string{"account", "settings", "security", "two-factor", "authentication", "scan", "the", "code",
	"with", "your", "app", "enter", "token", "backup", "recovery", "password", "login", "continue", "cancel",
	"help", "profile", "device", "router", "firmware", "status", "network", "of", "and", "to", "a"}

// page draws web-page content (a header bar, a sidebar, boxes, buttons and
// paragraphs) over the whole image except keepOut, where a code goes.
func page(r *rand.Rand, dst *image.RGBA, scale int, dark bool, keepOut []image.Rectangle) {
	bg, fg, accent, panel := white, grey(30), color.RGBA{30, 90, 200, 255}, grey(240)
	if dark {
		bg, fg, accent, panel = grey(24), grey(220), color.RGBA{90, 150, 255, 255}, grey(40)
	}
	b := dst.Bounds()
	fill(dst, b, bg)
	clear := func(rc image.Rectangle) bool {
		for _, k := range keepOut {
			if rc.Overlaps(k.Inset(-8 * scale)) {
				return false
			}
		}
		return true
	}
	header := image.Rect(0, 0, b.Dx(), 48*scale)
	if clear(header) {
		fill(dst, header, accent)
		drawText(dst, 16*scale, 16*scale, "Gatekey example portal", scale, white)
	}
	side := image.Rect(0, 48*scale, 220*scale, b.Dy())
	if clear(side) {
		fill(dst, side, panel)
		for i := 0; i < 12; i++ {
			drawText(dst, 16*scale, (70+i*28)*scale, words[r.IntN(len(words))], scale, fg)
		}
	}
	for y := 70 * scale; y < b.Dy()-20*scale; {
		x := 250 * scale
		switch r.IntN(4) {
		case 0: // a bordered box with a title
			rc := image.Rect(x, y, x+(300+r.IntN(600))*scale, y+(60+r.IntN(120))*scale)
			if clear(rc) {
				fill(dst, rc, fg)
				fill(dst, rc.Inset(scale), panel)
				drawText(dst, rc.Min.X+10*scale, rc.Min.Y+10*scale, "Box: "+words[r.IntN(len(words))], scale, fg)
			}
			y = rc.Max.Y + 20*scale
		case 1: // buttons
			for k := 0; k < 3; k++ {
				rc := image.Rect(x, y, x+110*scale, y+32*scale)
				if clear(rc) {
					fill(dst, rc, accent)
					drawText(dst, rc.Min.X+12*scale, rc.Min.Y+10*scale, words[r.IntN(len(words))], scale, white)
				}
				x += 130 * scale
			}
			y += 52 * scale
		default: // a paragraph
			lines := 2 + r.IntN(6)
			for l := 0; l < lines; l++ {
				lx := x
				for lx < b.Dx()-200*scale {
					w := words[r.IntN(len(words))]
					rc := image.Rect(lx, y, lx+7*len(w)*scale, y+13*scale)
					if clear(rc) {
						drawText(dst, lx, y, w, scale, fg)
					}
					lx += (7*len(w) + 7) * scale
				}
				y += 18 * scale
			}
			y += 14 * scale
		}
	}
}

// placeOnPage puts one code of module size ms somewhere right of the
// sidebar, returning its quad.
func placeOnPage(r *rand.Rand, w, h int, side float64, scale int) quad {
	x := float64(260*scale) + r.Float64()*(float64(w-260*scale)-side-20)
	y := float64(60*scale) + r.Float64()*(float64(h-60*scale)-side-20)
	return square(x, y, side, 0)
}

func quadRect(q quad) image.Rectangle {
	minX, minY, maxX, maxY := q[0][0], q[0][1], q[0][0], q[0][1]
	for _, p := range q {
		minX, maxX = math.Min(minX, p[0]), math.Max(maxX, p[0])
		minY, maxY = math.Min(minY, p[1]), math.Max(maxY, p[1])
	}
	return image.Rect(int(minX), int(minY), int(maxX)+1, int(maxY)+1)
}

// onWhite draws one code at module size ms on a light canvas with a random
// margin and returns the canvas.
func onWhite(r *rand.Rand, text string, ms, angle float64, bg, fg color.RGBA) *image.RGBA {
	side := codeSide(text, ms)
	ext := side * (math.Abs(math.Cos(angle)) + math.Abs(math.Sin(angle)))
	margin := 10 + r.Float64()*30
	w := int(ext + 2*margin)
	img := canvas(w, w, bg)
	off := (float64(w) - side) / 2
	drawCode(img, text, square(off, off, side, angle), fg, bg)
	return img
}

// --- categories

func genClean(r *rand.Rand, i int) (image.Image, []string, int) {
	t := totpURI(r)
	return onWhite(r, t, float64(3+r.IntN(6)), 0, white, black), []string{t}, 0
}

func genScreen(r *rand.Rand, w, h, scale int) (image.Image, []string, int) {
	t := totpURI(r)
	ms := float64(scale) * (2.5 + r.Float64()*3)
	q := placeOnPage(r, w, h, codeSide(t, ms), scale)
	img := canvas(w, h, white)
	page(r, img, scale, false, []image.Rectangle{quadRect(q)})
	drawCode(img, t, q, black, white)
	return img, []string{t}, 0
}

// tinyModules cycles through the module sizes a small on-screen code has.
var tinyModules = []float64{1, 1.5, 2, 2.5, 3, 4, 1.25, 1.75, 3.5}

func genTiny(r *rand.Rand, i int) (image.Image, []string, int) {
	t := totpURI(r)
	ms := tinyModules[i%len(tinyModules)]
	side := codeSide(t, ms)
	w := int(side) + 40
	img := canvas(w, w, white)
	off := 20.0
	if ms != math.Trunc(ms) {
		off += r.Float64() // a sub-pixel position, anti-aliased
	}
	drawCode(img, t, square(off, off, side, 0), black, white)
	return img, []string{t}, 0
}

func genRotated(r *rand.Rand, i int) (image.Image, []string, int) {
	t := totpURI(r)
	angle := (1 + r.Float64()*44) * math.Pi / 180
	return onWhite(r, t, 3+r.Float64()*3, angle, white, black), []string{t}, 0
}

func genPerspective(r *rand.Rand, i int) (image.Image, []string, int) {
	t := totpURI(r)
	side := codeSide(t, 4+r.Float64()*2)
	w := int(side*1.6) + 40
	img := canvas(w, w, white)
	q := square(float64(w)/2-side/2, float64(w)/2-side/2, side, (r.Float64()*20-10)*math.Pi/180)
	// Pull the corners in or out by up to a quarter of the side, as a
	// photo taken at an angle does.
	for k := range q {
		q[k][0] += (r.Float64()*2 - 1) * side * 0.25
		q[k][1] += (r.Float64()*2 - 1) * side * 0.25
	}
	drawCode(img, t, q, black, white)
	return img, []string{t}, 0
}

func genBlur(r *rand.Rand, i int) (image.Image, []string, int) {
	t := totpURI(r)
	ms := 4 + r.Float64()*3
	img := onWhite(r, t, ms, 0, white, black)
	radius := 1 + int(r.Float64()*ms/2.5)
	boxBlur(img, radius)
	boxBlur(img, radius)
	return img, []string{t}, 0
}

// boxBlur blurs img in place with a (2r+1)-square box; twice is close to a
// Gaussian.
func boxBlur(img *image.RGBA, r int) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	tmp := make([]uint8, len(img.Pix))
	pass := func(src, dst []uint8, n, m int, at func(i, j int) int) {
		for j := 0; j < m; j++ {
			for i := 0; i < n; i++ {
				for c := 0; c < 3; c++ {
					sum, cnt := 0, 0
					for k := max(i-r, 0); k <= min(i+r, n-1); k++ {
						sum += int(src[at(k, j)+c])
						cnt++
					}
					dst[at(i, j)+c] = uint8(sum / cnt)
				}
				dst[at(i, j)+3] = 255
			}
		}
	}
	pass(img.Pix, tmp, w, h, func(x, y int) int { return y*img.Stride + 4*x })
	pass(tmp, img.Pix, h, w, func(y, x int) int { return y*img.Stride + 4*x })
}

func genSalt(r *rand.Rand, i int) (image.Image, []string, int) {
	t := totpURI(r)
	img := onWhite(r, t, float64(3+r.IntN(4)), 0, white, black)
	p := 0.02 + r.Float64()*0.08
	for k := 0; k < len(img.Pix); k += 4 {
		if r.Float64() < p {
			v := uint8(255 * r.IntN(2))
			img.Pix[k], img.Pix[k+1], img.Pix[k+2] = v, v, v
		}
	}
	return img, []string{t}, 0
}

func genLowContrast(r *rand.Rand, i int) (image.Image, []string, int) {
	t := totpURI(r)
	bg := 225 + r.IntN(30)
	fg := bg - 12 - r.IntN(18)
	return onWhite(r, t, float64(3+r.IntN(4)), 0, grey(bg), grey(fg)), []string{t}, 0
}

func genInverted(r *rand.Rand, i int) (image.Image, []string, int) {
	t := totpURI(r)
	const w, h = 1280, 720
	bg := grey(24)
	q := placeOnPage(r, w, h, codeSide(t, 3+r.Float64()*3), 1)
	img := canvas(w, h, bg)
	page(r, img, 1, true, []image.Rectangle{quadRect(q)})
	drawCode(img, t, q, grey(200+r.IntN(50)), bg)
	return img, []string{t}, 0
}

// genInverted4K is a 4K screenshot of a dark page with a light code on
// black, 4 pixels a module: halving the screenshot leaves modules of 2
// pixels, and the page's text beside the code.
func genInverted4K(r *rand.Rand, i int) (image.Image, []string, int) {
	t := totpURI(r)
	const w, h = 3840, 2160
	q := placeOnPage(r, w, h, codeSide(t, 3.5+r.Float64()), 2)
	img := canvas(w, h, grey(24))
	page(r, img, 2, true, []image.Rectangle{quadRect(q)})
	bg := grey(r.IntN(8))
	fill(img, quadRect(q).Inset(-8), bg)
	drawCode(img, t, q, grey(210+r.IntN(20)), bg)
	return img, []string{t}, 0
}

func genJPEG(r *rand.Rand, i int) (image.Image, []string, int) {
	t := totpURI(r)
	const w, h = 1024, 768
	q := placeOnPage(r, w, h, codeSide(t, 3+r.Float64()*3), 1)
	img := canvas(w, h, white)
	page(r, img, 1, false, []image.Rectangle{quadRect(q)})
	drawCode(img, t, q, black, white)
	return img, []string{t}, 30 + r.IntN(31)
}

func genTwo(r *rand.Rand, i int) (image.Image, []string, int) {
	a, b := totpURI(r), totpURI(r)
	const w, h = 1280, 720
	sa, sb := codeSide(a, 3+r.Float64()*2), codeSide(b, 3+r.Float64()*2)
	qa := square(280+r.Float64()*80, 80+r.Float64()*(h-sa-100), sa, 0)
	qb := square(w-sb-40-r.Float64()*80, 80+r.Float64()*(h-sb-100), sb, 0)
	img := canvas(w, h, white)
	page(r, img, 1, false, []image.Rectangle{quadRect(qa), quadRect(qb)})
	drawCode(img, a, qa, black, white)
	drawCode(img, b, qb, black, white)
	return img, []string{a, b}, 0
}

func genMigration(r *rand.Rand, i int) (image.Image, []string, int) {
	t := migrationURI(r, 6+r.IntN(7))
	return onWhite(r, t, 2.5+r.Float64()*2, 0, white, black), []string{t}, 0
}

func genNoCode(r *rand.Rand, i int) (image.Image, []string, int) {
	img := canvas(3840, 2160, white)
	page(r, img, 2, i%2 == 1, nil)
	return img, nil, 0
}
