package routersim

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestLoginPagePersonFacingInputs checks the login page as a person sees it
// (drayos-web.md §3.2): a text input sUserName, a password input sSysPass, a
// btnOk button, their labels (one saying "Login Code"), and the script that
// fills aa and ab; the protocol fields stay hidden.
func TestLoginPagePersonFacingInputs(t *testing.T) {
	t.Parallel()
	r := startRouter(t, Options{})
	page := newClient(t, r, r.URLs().LANHTTPS).get("/weblogin.htm").body
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`<input type="text" name="sUserName" id="sUserName"`),
		regexp.MustCompile(`<input type="password" name="sSysPass" id="sSysPass"`),
		regexp.MustCompile(`<button type="submit" id="btnOk"[^>]*>Login</button>`),
		regexp.MustCompile(`<label for="sUserName">Username</label>`),
		regexp.MustCompile(`<label for="sSysPass">[^<]*Login Code[^<]*</label>`),
		regexp.MustCompile(`f\.aa\.value=b64\(f\.sUserName\.value\)`),
		regexp.MustCompile(`f\.ab\.value=b64\(f\.sSysPass\.value\)`),
		regexp.MustCompile(`f\.sUserName\.disabled=true`),
		regexp.MustCompile(`<input type="hidden" name="aa" value="">`),
		regexp.MustCompile(`<input type="hidden" name="ab" value="">`),
		regexp.MustCompile(`<input type="hidden" name="sFormAuthStr" value="">`),
	} {
		if !want.MatchString(page) {
			t.Errorf("login page lacks %s", want)
		}
	}
	f := readFormNamed(t, page, "login")
	if f.action != "/cgi-bin/wlogin.cgi" {
		t.Fatalf("login form posts to %q", f.action)
	}
	// Nothing a client could take for a code field: no TOTP field on the
	// LAN side, no Validation Code while it is off.
	for _, absent := range []string{"sOtpCode", "sValidCode", "validcode"} {
		if strings.Contains(page, absent) {
			t.Errorf("login page shows %s", absent)
		}
	}
	// The posted protocol is still aa/ab: the visible fields are not read.
	c := newClient(t, r, r.URLs().LANHTTPS)
	form := loginForm("admin", "wrong", newToken())
	form.Set("sUserName", "admin")
	form.Set("sSysPass", "admin")
	if rep := c.post("/cgi-bin/wlogin.cgi", form); rep.loc != "/weblogin.htm" {
		t.Fatalf("a login with the right password only in sSysPass: %d to %q", rep.status, rep.loc)
	}
}

// TestFirmwareShapes covers the firmware variants of drayos-web.md §1: a
// version with a suffix, a login page without the model, and the 1000B.
func TestFirmwareShapes(t *testing.T) {
	t.Parallel()
	bt := startRouter(t, Options{Model: "Vigor2927", Firmware: "4.4.2_BT"})
	c := newClient(t, bt, bt.URLs().LANHTTP)
	if p := c.get("/weblogin.htm").body; !strings.Contains(p, `fwver:"4.4.2_BT"`) || !strings.Contains(p, ">Vigor2927<") {
		t.Fatalf("suffixed firmware: login page %s", p)
	}
	if !bt.TOTPSupported() {
		t.Fatal("4.4.2_BT counted as older than 4.3.2 (the numeric part decides)")
	}
	c.mustLogin("admin", "admin", nil)
	if out := c.console("sys version"); !strings.HasPrefix(out, "Router Model: Vigor2927    Version: 4.4.2_BT English\n") {
		t.Fatalf("sys version: %q", out)
	}

	// Without the model on the login page: it is only after login.
	hidden := startRouter(t, Options{Model: "3910", Firmware: "4.4.3.6", LoginPageWithoutModel: true})
	h := newClient(t, hidden, hidden.URLs().LANHTTPS)
	p := h.get("/weblogin.htm")
	if p.status != http.StatusOK || strings.Contains(p.body, "3910") || !strings.Contains(p.body, `fwver:"4.4.3.6"`) ||
		!strings.Contains(p.body, "<title>Vigor Login Page</title>") {
		t.Fatalf("login page without the model: %s", p.body)
	}
	h.mustLogin("admin", "admin", nil)
	if d := h.get("/"); !strings.Contains(d.body, `<td id="modelName">Vigor3910</td>`) {
		t.Fatalf("dashboard lacks the model: %s", d.body)
	}
	if out := h.console("sys version"); !strings.HasPrefix(out, "Router Model: Vigor3910 ") {
		t.Fatalf("sys version: %q", out)
	}

	// A Vigor 1000B is a DrayOS 4 router like the others.
	b := startRouter(t, Options{Model: "1000B", Firmware: "4.4.3.6"})
	bc := newClient(t, b, b.URLs().LANHTTPS)
	if p := bc.get("/weblogin.htm").body; !strings.Contains(p, ">Vigor1000B<") {
		t.Fatalf("1000B login page: %s", p)
	}
	bc.mustLogin("admin", "admin", nil)
	if out := bc.console("sys version"); !strings.HasPrefix(out, "Router Model: Vigor1000B    Version: 4.4.3.6") {
		t.Fatalf("1000B sys version: %q", out)
	}
}

// versionCases are compareVersions cases; they seed FuzzCompareVersions.
var versionCases = []struct {
	a, b string
	want int
}{
	// Plain dotted versions.
	{"4.4.2", "4.4.2", 0},
	{"4.4.2.1", "4.4.2", 1},
	{"4.3.1", "4.4", -1},
	// Suffixes end the numeric part.
	{"4.4.2_BT", "4.4.2", 0},
	{"4.4.2_BT", "4.3.2", 1},
	{"4.4.2_BT", "4.4.2.1", -1},
	{"4.5.1rc2", "4.5.1", 0},
	// Garbage counts as 0.
	{"", "0", 0},
	{"x.y", "0.0", 0},
}

func TestCompareVersions(t *testing.T) {
	t.Parallel()
	for _, tc := range versionCases {
		if got := compareVersions(tc.a, tc.b); got != tc.want {
			t.Errorf("compareVersions(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func FuzzCompareVersions(f *testing.F) {
	for _, tc := range versionCases {
		f.Add(tc.a, tc.b)
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		// Antisymmetric and reflexive, whatever the text.
		if x, y := compareVersions(a, b), compareVersions(b, a); x != -y {
			t.Fatalf("compareVersions(%q, %q) = %d but reversed %d", a, b, x, y)
		}
		if compareVersions(a, a) != 0 {
			t.Fatalf("compareVersions(%q, itself) != 0", a)
		}
	})
}
