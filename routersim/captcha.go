package routersim

import (
	"bytes"
	"crypto/rand"
	"crypto/subtle"
	"image"
	"image/color"
	"image/png"
	mrand "math/rand/v2"
	"net/http"
	"strings"
)

// The Validation Code (CAPTCHA) of the login page (drayos-web.md §3.2): the
// picture's URL contains "validcode" and the input is Names.ValidCodeField
// [A]. The router keeps one code: each load of the login page makes a new
// one, the picture shows it, and every login attempt uses it up.
const (
	validCodeCGI    = "validcode.cgi"
	validCodeLength = 5
	// validCodeAlphabet leaves out characters that look alike when distorted
	// (0/O/D/Q, 1/I, 2/Z, 5/S, 8/B, G/6).
	validCodeAlphabet = "ACEFHJKLMNPRTUVWXY34679"
)

// newValidCode returns a random code from the unambiguous alphabet.
func newValidCode() string {
	b := make([]byte, validCodeLength)
	rand.Read(b)
	for i := range b {
		b[i] = validCodeAlphabet[int(b[i])%len(validCodeAlphabet)]
	}
	return string(b)
}

// currentValidCodeLocked returns the code the picture shows, making one when
// there is none.
func (r *Router) currentValidCodeLocked() string {
	if r.validCode == "" {
		r.validCode = newValidCode()
	}
	return r.validCode
}

// validCodeMatchesLocked checks the characters a login sent and uses the code
// up. With Validation Code off every login passes this check.
func (r *Router) validCodeMatchesLocked(given string) bool {
	if !r.running.Management.ValidationCode {
		return true
	}
	want := r.validCode
	r.validCode = ""
	given = strings.ToUpper(strings.TrimSpace(given))
	return want != "" && subtle.ConstantTimeCompare([]byte(given), []byte(want)) == 1
}

// serveValidCode is the picture: a PNG of the current code, distorted, on a
// noisy background. It exists only while Validation Code is on.
func (r *Router) serveValidCode(c *call) {
	r.mu.Lock()
	on := r.running.Management.ValidationCode
	code := r.currentValidCodeLocked()
	r.mu.Unlock()
	if !on {
		http.NotFound(c.w, c.req)
		return
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, drawValidCode(code, mrand.New(mrand.NewPCG(mrand.Uint64(), mrand.Uint64())))); err != nil {
		http.Error(c.w, "500 Internal Server Error", http.StatusInternalServerError)
		return
	}
	c.w.Header().Set("Content-Type", "image/png")
	c.w.Header().Set("Cache-Control", "no-store")
	c.w.Write(buf.Bytes())
}

// The picture's geometry: each character is a 5x7 glyph drawn in cells of
// glyphScale pixels, in a column of cellWidth pixels.
const (
	validCodeWidth  = 160
	validCodeHeight = 50
	glyphScale      = 4
	cellWidth       = 30
	cellLeft        = 8
)

// drawValidCode renders code with rng's randomness: each character shifted
// up or down and sheared, in a dark colour, over dots and lines of noise.
func drawValidCode(code string, rng *mrand.Rand) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, validCodeWidth, validCodeHeight))
	bg := color.RGBA{uint8(225 + rng.IntN(30)), uint8(225 + rng.IntN(30)), uint8(225 + rng.IntN(30)), 255}
	for y := 0; y < validCodeHeight; y++ {
		for x := 0; x < validCodeWidth; x++ {
			img.SetRGBA(x, y, bg)
		}
	}
	for i := 0; i < len(code); i++ {
		drawGlyph(img, code[i], cellLeft+i*cellWidth+rng.IntN(5), 4+rng.IntN(14), float64(rng.IntN(9)-4)/10, darkColour(rng))
	}
	for i := 0; i < 400; i++ {
		img.SetRGBA(rng.IntN(validCodeWidth), rng.IntN(validCodeHeight), darkColour(rng))
	}
	for i := 0; i < 4; i++ {
		drawLine(img, rng.IntN(validCodeHeight), rng.IntN(validCodeHeight), darkColour(rng))
	}
	return img
}

// darkColour is a random colour dark enough to read on the background.
func darkColour(rng *mrand.Rand) color.RGBA {
	return color.RGBA{uint8(rng.IntN(120)), uint8(rng.IntN(120)), uint8(rng.IntN(120)), 255}
}

// drawGlyph draws one character with its top left at (x0, y0); shear moves
// each row sideways in proportion to its distance from the middle.
func drawGlyph(img *image.RGBA, ch byte, x0, y0 int, shear float64, col color.RGBA) {
	rows := glyphs[ch]
	for gy, row := range rows {
		dx := int(shear * float64((gy-3)*glyphScale))
		for gx := 0; gx < len(row); gx++ {
			if row[gx] != '#' {
				continue
			}
			for py := 0; py < glyphScale; py++ {
				for px := 0; px < glyphScale; px++ {
					img.SetRGBA(x0+gx*glyphScale+px+dx, y0+gy*glyphScale+py, col)
				}
			}
		}
	}
}

// drawLine draws a line across the picture from height y0 to height y1.
func drawLine(img *image.RGBA, y0, y1 int, col color.RGBA) {
	for x := 0; x < validCodeWidth; x++ {
		img.SetRGBA(x, y0+(y1-y0)*x/validCodeWidth, col)
	}
}

// glyphs are 5x7 bitmaps of the alphabet's characters.
var glyphs = map[byte][7]string{
	'A': {".###.", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"},
	'C': {".###.", "#...#", "#....", "#....", "#....", "#...#", ".###."},
	'E': {"#####", "#....", "#....", "####.", "#....", "#....", "#####"},
	'F': {"#####", "#....", "#....", "####.", "#....", "#....", "#...."},
	'H': {"#...#", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"},
	'J': {"..###", "...#.", "...#.", "...#.", "...#.", "#..#.", ".##.."},
	'K': {"#...#", "#..#.", "#.#..", "##...", "#.#..", "#..#.", "#...#"},
	'L': {"#....", "#....", "#....", "#....", "#....", "#....", "#####"},
	'M': {"#...#", "##.##", "#.#.#", "#.#.#", "#...#", "#...#", "#...#"},
	'N': {"#...#", "##..#", "#.#.#", "#..##", "#...#", "#...#", "#...#"},
	'P': {"####.", "#...#", "#...#", "####.", "#....", "#....", "#...."},
	'R': {"####.", "#...#", "#...#", "####.", "#.#..", "#..#.", "#...#"},
	'T': {"#####", "..#..", "..#..", "..#..", "..#..", "..#..", "..#.."},
	'U': {"#...#", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."},
	'V': {"#...#", "#...#", "#...#", "#...#", "#...#", ".#.#.", "..#.."},
	'W': {"#...#", "#...#", "#...#", "#.#.#", "#.#.#", "##.##", "#...#"},
	'X': {"#...#", "#...#", ".#.#.", "..#..", ".#.#.", "#...#", "#...#"},
	'Y': {"#...#", "#...#", ".#.#.", "..#..", "..#..", "..#..", "..#.."},
	'3': {"####.", "....#", "....#", ".###.", "....#", "....#", "####."},
	'4': {"...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#."},
	'6': {".###.", "#....", "#....", "####.", "#...#", "#...#", ".###."},
	'7': {"#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#..."},
	'9': {".###.", "#...#", "#...#", ".####", "....#", "....#", ".###."},
}
