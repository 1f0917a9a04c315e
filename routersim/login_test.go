package routersim

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestLoginPageShowsModelAndFirmware(t *testing.T) {
	t.Parallel()
	r := startRouter(t, Options{Model: "3910", Firmware: "4.4.3.6"})
	for _, base := range []string{r.URLs().LANHTTP, r.URLs().LANHTTPS, r.URLs().WANHTTPS} {
		c := newClient(t, r, base)
		rep := c.get("/weblogin.htm")
		if rep.status != http.StatusOK {
			t.Fatalf("%s: status %d", base, rep.status)
		}
		for _, want := range []string{"<title>Vigor Login Page</title>", `fwver:"4.4.3.6"`, ">Vigor3910<", `action="/cgi-bin/wlogin.cgi"`} {
			if !strings.Contains(rep.body, want) {
				t.Errorf("%s: login page lacks %s", base, want)
			}
		}
		if strings.Contains(rep.body, "sOtpCode") {
			t.Errorf("%s: code field shown although TOTP is off", base)
		}
		if rep.header.Get("Server") == "DWS" {
			t.Errorf("%s: DrayOS 4 must not look like the Linux family", base)
		}
	}
}

func TestLoginSuccessFailureAndCookie(t *testing.T) {
	t.Parallel()
	r := startRouter(t, Options{AdminPassword: "s3cret pässword"})
	c := newClient(t, r, r.URLs().LANHTTPS)

	// Wrong password: back to the login page, no cookie, no session.
	rep := c.login("admin", "wrong", nil)
	if rep.status != http.StatusFound || rep.loc != "/weblogin.htm" {
		t.Fatalf("wrong password: got %d to %q", rep.status, rep.loc)
	}
	if len(rep.header.Values("Set-Cookie")) != 0 || r.LoggedIn() {
		t.Fatal("a failed login set a cookie or made a session")
	}
	// A token that is not 15 alphanumeric characters fails too.
	f := loginForm("admin", "s3cret pässword", "short")
	if rep := c.post("/cgi-bin/wlogin.cgi", f); rep.loc != "/weblogin.htm" {
		t.Fatalf("bad token format: got %d to %q", rep.status, rep.loc)
	}
	// A GET of wlogin.cgi never logs in.
	if rep := c.get("/cgi-bin/wlogin.cgi"); rep.loc != "/weblogin.htm" {
		t.Fatalf("GET wlogin.cgi: got %d to %q", rep.status, rep.loc)
	}

	// Right password (UTF-8, base64 with padding): 302 to / and the cookie.
	rep = c.login("admin", "s3cret pässword", nil)
	if rep.status != http.StatusFound || rep.loc != "/" {
		t.Fatalf("login: got %d to %q", rep.status, rep.loc)
	}
	m := regexp.MustCompile(`^SESSION_ID_VIGOR=([A-Za-z0-9]+)`).FindStringSubmatch(rep.header.Get("Set-Cookie"))
	if m == nil {
		t.Fatalf("no SESSION_ID_VIGOR cookie: %q", rep.header.Get("Set-Cookie"))
	}
	if home := c.get("/"); home.status != http.StatusOK || !strings.Contains(home.body, "Vigor2927") {
		t.Fatalf("home page after login: %d", home.status)
	}
}

func TestTokenAndCookieRules(t *testing.T) {
	t.Parallel()
	r := startRouter(t, Options{})
	c := newClient(t, r, r.URLs().LANHTTP)
	c.mustLogin("admin", "admin", nil)

	// Navigation with the token leads to the page, in either case of the CGI.
	for _, cgi := range []string{"v2x00.cgi", "V2X00.cgi"} {
		rep := c.get("/cgi-bin/" + cgi + "?sFormAuthStr=" + c.token + "&fid=2041")
		if rep.status != http.StatusFound || rep.loc != "/doc/acontrol.sht" {
			t.Fatalf("%s: got %d to %q", cgi, rep.status, rep.loc)
		}
	}
	// The dashboard goes through cgidashboard.cgi.
	rep := c.get("/cgi-bin/v2x00.cgi?sFormAuthStr=" + c.token + "&fid=1")
	if !strings.HasPrefix(rep.loc, "/cgi-bin/cgidashboard.cgi?") {
		t.Fatalf("fid=1: got %q", rep.loc)
	}
	if rep = c.get(rep.loc); rep.loc != "/doc/dashboard.htm" {
		t.Fatalf("cgidashboard.cgi: got %d to %q", rep.status, rep.loc)
	}
	// A wrong or missing token: back to the login page, the session stays.
	for _, q := range []string{"?sFormAuthStr=AAAAAAAAAAAAAAA&fid=2041", "?fid=2041"} {
		if rep := c.get("/cgi-bin/v2x00.cgi" + q); rep.loc != "/weblogin.htm" {
			t.Fatalf("token %q: got %d to %q", q, rep.status, rep.loc)
		}
	}
	// A POST's token counts only in the body.
	rep = c.post("/cgi-bin/v2x00.cgi?sFormAuthStr="+c.token, url.Values{"fid": {"310"}, "cmd": {"sys version"}})
	if rep.loc != "/weblogin.htm" {
		t.Fatalf("POST with the token in the query: got %d to %q", rep.status, rep.loc)
	}
	// /doc/ pages need the cookie only.
	if rep := c.get("/doc/acontrol.sht"); rep.status != http.StatusOK || !strings.Contains(rep.body, `name="sRMC"`) {
		t.Fatalf("/doc/acontrol.sht with the cookie: %d", rep.status)
	}
	// Without the cookie, pages and CGIs send the caller to the login page.
	anon := newClient(t, r, r.URLs().LANHTTP)
	for _, p := range []string{"/doc/acontrol.sht", "/", "/cgi-bin/v2x00.cgi?sFormAuthStr=" + c.token + "&fid=2041"} {
		if rep := anon.get(p); rep.status != http.StatusFound || rep.loc != "/weblogin.htm" {
			t.Fatalf("%s without cookie: got %d to %q", p, rep.status, rep.loc)
		}
	}
	// Logout ends the session.
	if rep := c.get("/cgi-bin/wlogout.cgi?sFormAuthStr=" + c.token); rep.loc != "/weblogin.htm" {
		t.Fatalf("logout: got %d to %q", rep.status, rep.loc)
	}
	if rep := c.get("/doc/acontrol.sht"); rep.loc != "/weblogin.htm" || r.LoggedIn() {
		t.Fatalf("page after logout: got %d to %q", rep.status, rep.loc)
	}
}

func TestSessionReplacementAndIdleExpiry(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	r := startRouter(t, Options{Now: clock.Now})
	a := newClient(t, r, r.URLs().LANHTTP)
	b := newClient(t, r, r.URLs().LANHTTPS)
	a.mustLogin("admin", "admin", nil)
	a.page("2041")
	b.mustLogin("admin", "admin", nil)
	// One session at a time: b's login ended a's.
	if rep := a.get("/doc/acontrol.sht"); rep.loc != "/weblogin.htm" {
		t.Fatalf("old session after a new login: got %d to %q", rep.status, rep.loc)
	}
	b.page("2041")

	// Activity keeps the session; 300 s idle ends it.
	clock.Add(299 * time.Second)
	b.page("2015")
	clock.Add(299 * time.Second)
	b.page("2015")
	clock.Add(300 * time.Second)
	if rep := b.get("/doc/status.htm"); rep.loc != "/weblogin.htm" {
		t.Fatalf("after 300 s idle: got %d to %q", rep.status, rep.loc)
	}

	// With auto-logout disabled the session survives any idle time.
	if err := r.Update(func(s *State) { s.Management.AutoLogoutOff = true }); err != nil {
		t.Fatal(err)
	}
	b.mustLogin("admin", "admin", nil)
	clock.Add(2 * time.Hour)
	b.page("2015")
}

func TestBruteForceBlocksTheSource(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	r := startRouter(t, Options{Now: clock.Now})
	if err := r.Update(func(s *State) {
		s.Management.BruteForce = BruteForce{Enabled: true, HTTP: true, HTTPS: true, Failures: 3, PenaltySeconds: 60}
	}); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, r, r.URLs().LANHTTPS)
	c.source = "192.0.2.7"
	for i := 0; i < 3; i++ {
		if rep := c.login("admin", "guess", nil); rep.loc != "/weblogin.htm" {
			t.Fatalf("failure %d: got %d to %q", i+1, rep.status, rep.loc)
		}
	}
	// Blocked: 403 with "blocked" for every request, the right password too.
	for _, rep := range []reply{c.get("/weblogin.htm"), c.login("admin", "admin", nil)} {
		if rep.status != http.StatusForbidden || !strings.Contains(rep.body, "blocked") {
			t.Fatalf("blocked source: got %d %q", rep.status, rep.body)
		}
	}
	// Another source is not affected.
	other := newClient(t, r, r.URLs().LANHTTPS)
	other.source = "192.0.2.8"
	other.mustLogin("admin", "admin", nil)

	// After the penalty the source may log in again.
	clock.Add(59 * time.Second)
	if rep := c.get("/weblogin.htm"); rep.status != http.StatusForbidden {
		t.Fatalf("before the penalty ended: %d", rep.status)
	}
	clock.Add(2 * time.Second)
	c.mustLogin("admin", "admin", nil)

	// A service that protection does not cover is never blocked.
	if err := r.Update(func(s *State) { s.Management.BruteForce.HTTP = false }); err != nil {
		t.Fatal(err)
	}
	h := newClient(t, r, r.URLs().LANHTTP)
	h.source = "192.0.2.9"
	for i := 0; i < 5; i++ {
		h.login("admin", "guess", nil)
	}
	h.mustLogin("admin", "admin", nil)
}

func TestDetectionFamilies(t *testing.T) {
	t.Parallel()
	d5 := startRouter(t, Options{Family: FamilyDrayOS5})
	rep := newClient(t, d5, d5.URLs().LANHTTP).get("/weblogin.htm")
	if rep.status != http.StatusOK || !strings.Contains(rep.body, `fwver:"5.2.0"`) || !strings.Contains(rep.body, ">Vigor2767<") {
		t.Fatalf("DrayOS 5 login page: %d %s", rep.status, rep.body)
	}
	if rep := newClient(t, d5, d5.URLs().LANHTTP).post("/cgi-bin/wlogin.cgi", loginForm("admin", "admin", newToken())); rep.status != http.StatusNotFound {
		t.Fatalf("DrayOS 5 must not take a DrayOS 4 login: %d", rep.status)
	}
	lx := startRouter(t, Options{Family: FamilyLinux})
	rep = newClient(t, lx, lx.URLs().LANHTTP).get("/weblogin.htm")
	if rep.header.Get("Server") != "DWS" || !strings.Contains(rep.body, "rsa.js") || !strings.Contains(rep.body, "md5.js") {
		t.Fatalf("Linux family page: Server %q, body %s", rep.header.Get("Server"), rep.body)
	}
	if _, err := Start(t.Context(), Options{Family: "vxworks", LANHTTP: "127.0.0.1:0"}); err == nil {
		t.Fatal("an unknown family started")
	}
	if _, err := Start(t.Context(), Options{}); err == nil {
		t.Fatal("a router without listeners started")
	}
}
