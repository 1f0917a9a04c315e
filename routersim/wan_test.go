package routersim

import (
	"bytes"
	"image/png"
	"net/http"
	"net/url"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"github.com/gatekey/gatekey/internal/testenv"
)

func TestWANManagementRules(t *testing.T) {
	t.Parallel()
	r := startRouter(t, Options{})
	wan := newClient(t, r, r.URLs().WANHTTPS)
	wan.source = "198.51.100.20"

	// Management from the Internet off: the page loads, the login fails like
	// a wrong password.
	if rep := wan.get("/weblogin.htm"); rep.status != http.StatusOK {
		t.Fatalf("WAN login page with management off: %d", rep.status)
	}
	if rep := wan.login("admin", "admin", nil); rep.status != http.StatusFound || rep.loc != "/weblogin.htm" {
		t.Fatalf("WAN login with management off: %d to %q", rep.status, rep.loc)
	}
	// The LAN side is not affected.
	newClient(t, r, r.URLs().LANHTTP).mustLogin("admin", "admin", nil)

	// On, with HTTPS only: HTTPS logs in, WAN HTTP closes the connection.
	if err := r.Update(func(s *State) {
		s.Management.Internet, s.Management.HTTPS, s.Management.HTTP = true, true, false
	}); err != nil {
		t.Fatal(err)
	}
	wan.mustLogin("admin", "admin", nil)
	wanHTTP := newClient(t, r, r.URLs().WANHTTP)
	if rep, err := wanHTTP.try(http.MethodGet, "/weblogin.htm", nil); err == nil {
		t.Fatalf("WAN HTTP answered %d although the service is off", rep.status)
	}
	// Enforce HTTPS: WAN HTTP redirects to WAN HTTPS instead.
	if err := r.Update(func(s *State) { s.Management.EnforceHTTPS = true }); err != nil {
		t.Fatal(err)
	}
	rep := wanHTTP.get("/weblogin.htm?x=1")
	if want := r.URLs().WANHTTPS + "/weblogin.htm?x=1"; rep.status != http.StatusFound || rep.loc != want {
		t.Fatalf("enforce HTTPS: %d to %q, want %q", rep.status, rep.loc, want)
	}
	// The LAN HTTP listener never redirects.
	if rep := newClient(t, r, r.URLs().LANHTTP).get("/weblogin.htm"); rep.status != http.StatusOK {
		t.Fatalf("LAN HTTP under enforce HTTPS: %d", rep.status)
	}
	// WAN HTTPS off: that listener closes connections too.
	if err := r.Update(func(s *State) { s.Management.HTTPS = false }); err != nil {
		t.Fatal(err)
	}
	if _, err := newClient(t, r, r.URLs().WANHTTPS).try(http.MethodGet, "/weblogin.htm", nil); err == nil {
		t.Fatal("WAN HTTPS answered although the service is off")
	}

	// Access list: only sources that a listed object allows may log in from
	// the WAN.
	if err := r.Update(func(s *State) {
		s.Management.HTTPS, s.Management.EnforceHTTPS = true, false
		s.Objects[0] = IPObject{Name: "office", Type: ObjectSubnet, Start: "203.0.113.0", Mask: "255.255.255.0"}
		s.Objects[1] = IPObject{Name: "home", Type: ObjectSingle, Start: "192.0.2.5"}
		s.Management.AccessList = [10]string{"1", "2"}
	}); err != nil {
		t.Fatal(err)
	}
	outside := newClient(t, r, r.URLs().WANHTTPS)
	outside.source = "198.51.100.20"
	if rep := outside.login("admin", "admin", nil); rep.loc != "/weblogin.htm" {
		t.Fatalf("source outside the access list: %d to %q", rep.status, rep.loc)
	}
	for _, src := range []string{"203.0.113.77", "192.0.2.5"} {
		in := newClient(t, r, r.URLs().WANHTTPS)
		in.source = src
		in.mustLogin("admin", "admin", nil)
		in.page("2041")
	}
}

func TestTOTPEnrolmentAndWANLogin(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	r := startRouter(t, Options{Now: clock.Now, Model: "Vigor2927", Firmware: "4.4.5.8"})
	if err := r.Update(func(s *State) { s.Management.Internet, s.Management.HTTPS = true, true }); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, r, r.URLs().LANHTTPS)
	c.mustLogin("admin", "admin", nil)
	page := c.page("2029")
	for _, label := range []string{"Enable Advanced Authentication method when login from WAN", "Time-based One-time Password (TOTP)", "Secret", "QR code", "Verify", `value="OK"`} {
		if !strings.Contains(page.body, label) {
			t.Errorf("Administrator Password page lacks %q", label)
		}
	}
	f := readForm(t, page.body)
	secret := f.values.Get("sTotpSecret")
	if !regexp.MustCompile(`^[A-Z2-7]{32}$`).MatchString(secret) || !strings.Contains(page.body, ">"+secret+"<") {
		t.Fatalf("secret %q not shown as text and field", secret)
	}

	// The QR image carries the otpauth:// URI of the same secret.
	img := c.get("/doc/qrcode.png")
	if img.status != http.StatusOK || img.header.Get("Content-Type") != "image/png" {
		t.Fatalf("QR image: %d %s", img.status, img.header.Get("Content-Type"))
	}
	text := decodeQR(t, []byte(img.body))
	u, err := url.Parse(text)
	if err != nil || u.Scheme != "otpauth" || u.Host != "totp" || u.Query().Get("secret") != secret || u.Query().Get("issuer") != "DrayTek" {
		t.Fatalf("QR text %q", text)
	}

	// OK with the box checked but no verified code enables nothing.
	f.check(t, "sAdvAuth", true)
	c.submit("/doc/chglog.sht", f)
	if r.Snapshot().TOTP.Enabled {
		t.Fatal("TOTP enabled without a verified code")
	}
	// Verify with a wrong code, then with the right one (one step late).
	verify := readForm(t, c.page("2029").body)
	verify.values.Set("sTotpCode", "000000")
	verify.values.Set("sTotpVerify", "Verify")
	c.submit("/doc/chglog.sht", verify)
	if p := c.page("2029").body; !strings.Contains(p, "Invalid validation code") {
		t.Fatalf("wrong code not reported")
	}
	verify.values.Set("sTotpCode", codeAt(t, secret, r.Clock().Add(-30*time.Second)))
	rep := c.submit("/doc/chglog.sht", verify)
	if !strings.Contains(rep.loc, "fid=2029") {
		t.Fatalf("verify answered %d to %q", rep.status, rep.loc)
	}
	if p := c.page("2029").body; !strings.Contains(p, "Validation code verified") {
		t.Fatalf("right code not verified: %s", p)
	}
	ok := readForm(t, c.page("2029").body)
	ok.check(t, "sAdvAuth", true)
	c.submit("/doc/chglog.sht", ok)
	if st := r.Snapshot().TOTP; !st.Enabled || st.Secret != secret || !r.Committed().TOTP.Enabled {
		t.Fatalf("TOTP after OK: %+v", st)
	}

	// WAN: the login page asks for the code; without it or with a wrong one
	// the login fails; with it it succeeds, once.
	wan := newClient(t, r, r.URLs().WANHTTPS)
	if p := wan.get("/weblogin.htm").body; !regexp.MustCompile(`(?s)<form[^>]*>.*name="sOtpCode".*</form>`).MatchString(p) {
		t.Fatalf("WAN login page has no code field:\n%s", p)
	}
	if p := newClient(t, r, r.URLs().LANHTTPS).get("/weblogin.htm").body; strings.Contains(p, "sOtpCode") {
		t.Fatal("LAN login page asks for a code")
	}
	if rep := wan.login("admin", "admin", nil); rep.loc != "/weblogin.htm" {
		t.Fatalf("WAN login without code: %d to %q", rep.status, rep.loc)
	}
	clock.Add(90 * time.Second) // a new time step, unused by the enrolment
	code := codeAt(t, secret, r.Clock())
	if rep := wan.login("admin", "wrong", url.Values{"sOtpCode": {code}}); rep.loc != "/weblogin.htm" {
		t.Fatalf("WAN login with code but wrong password: %q", rep.loc)
	}
	if rep := wan.login("admin", "admin", url.Values{"sOtpCode": {"123456"}}); rep.loc != "/weblogin.htm" && code != "123456" {
		t.Fatalf("WAN login with a wrong code: %q", rep.loc)
	}
	if n := r.WANLoginsWithCode(); n != 0 {
		t.Fatalf("%d WAN logins with a code counted before any succeeded", n)
	}
	wan.mustLogin("admin", "admin", url.Values{"sOtpCode": {code}})
	wan.page("2041")
	// The same code never serves twice.
	if rep := newClient(t, r, r.URLs().WANHTTPS).login("admin", "admin", url.Values{"sOtpCode": {code}}); rep.loc != "/weblogin.htm" {
		t.Fatalf("replayed code accepted: %q", rep.loc)
	}
	// The LAN side needs no code.
	newClient(t, r, r.URLs().LANHTTP).mustLogin("admin", "admin", nil)
	if n := r.WANLoginsWithCode(); n != 1 {
		t.Fatalf("WAN logins with a code: %d, want 1 (the LAN login and the refused ones do not count)", n)
	}

	// A clock ahead by two steps refuses the code of the real time.
	clock.Add(60 * time.Second)
	real := codeAt(t, secret, clock.Now())
	r.SetClockOffset(61 * time.Second)
	if rep := newClient(t, r, r.URLs().WANHTTPS).login("admin", "admin", url.Values{"sOtpCode": {real}}); rep.loc != "/weblogin.htm" {
		t.Fatal("a code two steps off was accepted")
	}
}

func TestTOTPFieldNameFromProfile(t *testing.T) {
	t.Parallel()
	r := startRouter(t, Options{Names: Names{TOTPField: "obj3"}})
	if err := r.Update(func(s *State) { s.Management.Internet, s.Management.HTTPS = true, true }); err != nil {
		t.Fatal(err)
	}
	secret, err := r.EnrollTOTP()
	if err != nil {
		t.Fatal(err)
	}
	wan := newClient(t, r, r.URLs().WANHTTPS)
	p := wan.get("/weblogin.htm").body
	if n := strings.Count(p, `name="obj3"`); n != 1 || !strings.Contains(p, `type="text" name="obj3"`) {
		t.Fatalf("obj3 appears %d times, as text: %v", n, strings.Contains(p, `type="text" name="obj3"`))
	}
	wan.mustLogin("admin", "admin", url.Values{"obj3": {codeAt(t, secret, r.Clock())}})
}

func TestTOTPAbsentWhereUndocumented(t *testing.T) {
	t.Parallel()
	r := startRouter(t, Options{Model: "Vigor2927", Firmware: "4.3.1"})
	if r.TOTPSupported() {
		t.Fatal("2927 4.3.1 offers TOTP")
	}
	if _, err := r.EnrollTOTP(); err == nil {
		t.Fatal("EnrollTOTP worked without TOTP support")
	}
	c := newClient(t, r, r.URLs().LANHTTP)
	c.mustLogin("admin", "admin", nil)
	if p := c.page("2029").body; strings.Contains(p, "Advanced Authentication") || !strings.Contains(p, "sOldPasswd") {
		t.Fatal("the page offers TOTP on firmware without it")
	}
	for model, want := range map[string]bool{"Vigor2765": true, "2866": true, "Vigor3910": true, "Vigor2136": false, "Vigor2927Lac": true} {
		if got := totpDocumented(model, "4.4.5.8"); got != want {
			t.Errorf("totpDocumented(%s) = %v", model, got)
		}
	}
}

func TestPasswordChange(t *testing.T) {
	t.Parallel()
	r := startRouter(t, Options{})
	c := newClient(t, r, r.URLs().LANHTTP)
	c.mustLogin("admin", "admin", nil)
	f := readForm(t, c.page("2029").body)
	f.values.Set("sOldPasswd", "nope")
	f.values.Set("sPasswd", "n3w")
	f.values.Set("sConfirmPasswd", "n3w")
	c.submit("/doc/chglog.sht", f)
	if r.Snapshot().AdminPassword != "admin" {
		t.Fatal("password changed with a wrong old password")
	}
	f = readForm(t, c.page("2029").body)
	f.values.Set("sOldPasswd", "admin")
	f.values.Set("sPasswd", "n3w")
	f.values.Set("sConfirmPasswd", "n3w")
	c.submit("/doc/chglog.sht", f)
	c.mustLogin("admin", "n3w", nil)
}

// TestTOTPMatchesOathtool checks the router's codes against an independent
// implementation.
func TestTOTPMatchesOathtool(t *testing.T) {
	tool := testenv.Tool(t, "oathtool")
	secret, err := newTOTPSecret()
	if err != nil {
		t.Fatal(err)
	}
	at := time.Unix(1_800_000_015, 0).UTC()
	out, err := exec.Command(tool, "--totp", "-b", "--now", at.Format("2006-01-02 15:04:05 UTC"), secret).Output()
	if err != nil {
		t.Fatalf("oathtool: %v", err)
	}
	code := strings.TrimSpace(string(out))
	step, ok := matchTOTP(secret, code, at.Add(30*time.Second))
	if !ok || step != at.Unix()/30 {
		t.Fatalf("oathtool's code %s not matched one step later (step %d, ok %v)", code, step, ok)
	}
	if _, ok := matchTOTP(secret, code, at.Add(61*time.Second)); ok {
		t.Fatal("code matched two steps later")
	}
}

// decodeQR reads the text of a QR code PNG. The simulator draws a clean code
// on white, which is what PURE_BARCODE expects; without that hint gozxing's
// finder-pattern search misses about one clean code in three hundred.
func decodeQR(t *testing.T, data []byte) string {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("QR PNG: %v", err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	pure := map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, pure)
	if err != nil {
		t.Fatalf("decoding the QR image: %v", err)
	}
	return res.GetText()
}
