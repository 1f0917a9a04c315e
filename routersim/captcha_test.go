package routersim

import (
	"bytes"
	"image/png"
	mrand "math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// validCodeImgRE finds the Validation Code picture of a login page.
var validCodeImgRE = regexp.MustCompile(`<img src="([^"]*validcode[^"]*)"`)

func TestValidationCodeLogin(t *testing.T) {
	t.Parallel()
	r := startRouter(t, Options{ValidationCode: true})
	if err := r.Update(func(s *State) {
		s.Management.BruteForce = BruteForce{Enabled: true, HTTP: true, HTTPS: true, Failures: 3, PenaltySeconds: 600}
	}); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, r, r.URLs().LANHTTPS)
	c.source = "192.0.2.30"
	checkValidCodePage(t, c)
	code := r.ValidationCodeChars()
	if !regexp.MustCompile(`^[` + validCodeAlphabet + `]{5}$`).MatchString(code) {
		t.Fatalf("code %q", code)
	}

	// Without the code, or with a wrong one, the right password fails like a
	// wrong password, and both count towards brute-force protection.
	if rep := c.login("admin", "admin", nil); rep.loc != "/weblogin.htm" || r.LoggedIn() {
		t.Fatalf("login without the code: %d to %q", rep.status, rep.loc)
	}
	c.get("/weblogin.htm")
	if rep := c.login("admin", "admin", url.Values{"sValidCode": {"AAAAA"}}); rep.loc != "/weblogin.htm" {
		t.Fatalf("login with a wrong code: %d to %q", rep.status, rep.loc)
	}
	// With the characters (any case) it succeeds; the code then is used up.
	c.get("/weblogin.htm")
	code = r.ValidationCodeChars()
	c.mustLogin("admin", "admin", url.Values{"sValidCode": {strings.ToLower(code)}})
	other := newClient(t, r, r.URLs().LANHTTPS)
	other.source = "192.0.2.31"
	if rep := other.login("admin", "admin", url.Values{"sValidCode": {code}}); rep.loc != "/weblogin.htm" {
		t.Fatal("a used code served a second login")
	}
	if n := r.LoginAttempts(); n != 4 {
		t.Fatalf("LoginAttempts() = %d, want 4", n)
	}
	// Two failures with the right password and the code missing, then a
	// third: the source is blocked.
	for i := 0; i < 3; i++ {
		other.get("/weblogin.htm")
		other.login("admin", "admin", nil)
	}
	if rep := other.get("/weblogin.htm"); rep.status != http.StatusForbidden {
		t.Fatalf("Validation Code failures did not count towards brute-force protection: %d", rep.status)
	}
}

// checkValidCodePage checks that the login page shows the Validation Code
// picture and input, and that the picture is a PNG.
func checkValidCodePage(t *testing.T, c *client) {
	t.Helper()
	page := c.get("/weblogin.htm").body
	m := validCodeImgRE.FindStringSubmatch(page)
	if m == nil || !regexp.MustCompile(`(?s)<form name="login".*name="sValidCode".*</form>`).MatchString(page) ||
		!strings.Contains(page, `<label for="sValidCode">Validation Code</label>`) {
		t.Fatalf("login page lacks the picture or the input:\n%s", page)
	}
	// The picture is a PNG of the current code.
	img := c.get(strings.ReplaceAll(m[1], "&amp;", "&"))
	if img.status != http.StatusOK || img.header.Get("Content-Type") != "image/png" {
		t.Fatalf("picture: %d %s", img.status, img.header.Get("Content-Type"))
	}
	if pic, err := png.Decode(strings.NewReader(img.body)); err != nil || pic.Bounds().Dx() != validCodeWidth {
		t.Fatalf("picture does not decode as the expected PNG: %v", err)
	}
}

func TestValidationCodeSwitchAndLoginAttempts(t *testing.T) {
	t.Parallel()
	r := startRouter(t, Options{})
	c := newClient(t, r, r.URLs().LANHTTP)
	// Reading the login page is no login attempt.
	c.get("/weblogin.htm")
	if n := r.LoginAttempts(); n != 0 {
		t.Fatalf("LoginAttempts() = %d after reading the page", n)
	}
	if rep := c.get("/cgi-bin/validcode.cgi"); rep.status != http.StatusNotFound {
		t.Fatalf("picture while Validation Code is off: %d", rep.status)
	}
	c.mustLogin("admin", "admin", nil)
	if n := r.LoginAttempts(); n != 1 {
		t.Fatalf("LoginAttempts() = %d, want 1", n)
	}
	// The Management page turns it on and shows it back.
	f := readForm(t, c.page("2041").body)
	if f.values.Get("sValidatedCode") != "" {
		t.Fatal("Validation Code on by default")
	}
	f.check(t, "sValidatedCode", true)
	c.submit("/doc/acontrol.sht", f)
	if !r.Snapshot().Management.ValidationCode || readForm(t, c.page("2041").body).values.Get("sValidatedCode") != "1" {
		t.Fatal("sValidatedCode not saved or not shown")
	}
	if p := newClient(t, r, r.URLs().LANHTTP).get("/weblogin.htm").body; !validCodeImgRE.MatchString(p) {
		t.Fatal("login page without the picture after turning it on")
	}
	// And off again.
	f = readForm(t, c.page("2041").body)
	f.check(t, "sValidatedCode", false)
	c.submit("/doc/acontrol.sht", f)
	if p := newClient(t, r, r.URLs().LANHTTP).get("/weblogin.htm").body; strings.Contains(p, "sValidCode") {
		t.Fatal("login page still asks for the code")
	}
	r.ResetRequests()
	if n := r.LoginAttempts(); n != 0 {
		t.Fatalf("LoginAttempts() = %d after ResetRequests", n)
	}
}

func TestValidationCodePicture(t *testing.T) {
	t.Parallel()
	for _, ch := range []byte(validCodeAlphabet) {
		g, ok := glyphs[ch]
		if !ok {
			t.Fatalf("no glyph for %c", ch)
		}
		for _, row := range g {
			if len(row) != 5 || strings.Trim(row, "#.") != "" {
				t.Fatalf("glyph %c has a bad row %q", ch, row)
			}
		}
	}
	draw := func(code string, seed uint64) []byte {
		var buf bytes.Buffer
		if err := png.Encode(&buf, drawValidCode(code, mrand.New(mrand.NewPCG(seed, 1)))); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	// Randomness decides the distortion: the same seed draws the same
	// picture, another seed or another code a different one.
	if !bytes.Equal(draw("ACE34", 7), draw("ACE34", 7)) {
		t.Fatal("the same code and seed drew different pictures")
	}
	if bytes.Equal(draw("ACE34", 7), draw("ACE34", 8)) || bytes.Equal(draw("ACE34", 7), draw("ACE35", 7)) {
		t.Fatal("the picture does not depend on the randomness or the code")
	}
	// Every character leaves ink in its own column.
	img := drawValidCode("HHHHH", mrand.New(mrand.NewPCG(1, 2)))
	for i := 0; i < validCodeLength; i++ {
		dark := 0
		for x := cellLeft + i*cellWidth; x < cellLeft+i*cellWidth+cellWidth-5; x++ {
			for y := 0; y < validCodeHeight; y++ {
				if c := img.RGBAAt(x, y); int(c.R)+int(c.G)+int(c.B) < 3*130 {
					dark++
				}
			}
		}
		if dark < 14*glyphScale*glyphScale {
			t.Errorf("character %d: %d dark pixels, want the glyph's", i+1, dark)
		}
	}
}
