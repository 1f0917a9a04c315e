package app

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gatekey/gatekey/routerclient"
	"github.com/gatekey/gatekey/routersim"
	"github.com/google/go-cmp/cmp"
)

// startRouter runs a simulated router with LAN and WAN HTTPS listeners.
func startRouter(t *testing.T, opts routersim.Options) *routersim.Router {
	t.Helper()
	opts.LANHTTPS, opts.WANHTTPS = "127.0.0.1:0", "127.0.0.1:0"
	if opts.RebootDelay == 0 {
		opts.RebootDelay = 200 * time.Millisecond
	}
	r, err := routersim.Start(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// routerDesktop is a Desktop with an open vault in memory-keychain mode.
func routerDesktop(t *testing.T) *Desktop {
	t.Helper()
	d := NewDesktop(t.TempDir(), newMemKeychain())
	if err := d.Create(nil, UnlockDefault); err != nil {
		t.Fatal(err)
	}
	return d
}

// addSim adds a simulated router the way the Add router form does: probe,
// accept the fingerprint shown, save with one login.
func addSim(t *testing.T, d *Desktop, name string, r *routersim.Router) {
	t.Helper()
	addSimWith(t, d, name, r, "admin")
}

func addSimWith(t *testing.T, d *Desktop, name string, r *routersim.Router, password string) {
	t.Helper()
	p, err := d.Routers().Probe(t.Context(), r.URLs().LANHTTPS, false)
	if err != nil || p.Fingerprint == nil || *p.Fingerprint != r.Fingerprint() {
		t.Fatalf("probe: %+v, %v", p, err)
	}
	err = d.Routers().Add(t.Context(), NewRouter{Name: name, URL: r.URLs().LANHTTPS, WANURL: r.URLs().WANHTTPS,
		User: "admin", Password: password, Fingerprint: *p.Fingerprint})
	if err != nil {
		t.Fatalf("adding %s: %v", name, err)
	}
}

// Adding checks the login first and keeps nothing when it fails; the list
// shows what was learnt; forgetting removes the record and the password.
func TestAddListForget(t *testing.T) {
	d := routerDesktop(t)
	r := startRouter(t, routersim.Options{Model: "Vigor2927", Firmware: "4.4.2"})
	bad := NewRouter{Name: "x", URL: r.URLs().LANHTTPS, User: "admin", Password: "wrong", Fingerprint: r.Fingerprint()}
	if err := d.Routers().Add(t.Context(), bad); !errors.Is(err, routerclient.ErrBadCredentials) {
		t.Fatalf("wrong password: %v", err)
	}
	if list, _ := d.Routers().Summaries(); len(list) != 0 {
		t.Fatalf("a router whose login failed was kept: %+v", list)
	}
	for _, n := range []NewRouter{
		{Name: "", URL: "https://192.0.2.1", User: "a", Password: "b"},
		{Name: "n", URL: "ftp://192.0.2.1", User: "a", Password: "b"},
		{Name: "n", URL: "http://203.0.113.9", User: "a", Password: "b"},
		{Name: "n", URL: "https://192.0.2.1", User: "a", Password: ""},
	} {
		if err := d.Routers().Add(t.Context(), n); err == nil {
			t.Errorf("%+v accepted", n)
		}
	}
	addSim(t, d, "office", r)
	if _, err := d.Routers().ProbeSaved(t.Context(), "office"); err != nil {
		t.Fatal(err)
	}
	list, _ := d.Routers().Summaries()
	if len(list) != 1 || !list[0].Reachable || list[0].Model != "Vigor2927" || list[0].Firmware != "4.4.2" || list[0].TOTPEnrolled() || list[0].Badge() != BadgeUnknown {
		t.Fatalf("list: %+v", list)
	}
	det, err := d.Routers().Details(t.Context(), "office")
	if err != nil || !det.Status.BelowSafeMinimum || !det.Clock.Known() || list[0].WANURL == "" {
		t.Fatalf("details: %+v %v", det, err)
	}
	if list, _ = d.Routers().Summaries(); list[0].Badge() == BadgeUnknown {
		t.Fatal("the details' audit did not reach the list")
	}
	if err := d.Routers().Forget("office"); err != nil {
		t.Fatal(err)
	}
	if _, err := d.keychain.Get(routerKeychainService, "office"); err == nil {
		t.Fatal("the password stayed in the keychain")
	}
}

// The harden preview lists every change with TR-069 off unless an ACS is
// used; applying reads back; a reboot waits until the router is back.
func TestHardenAndReboot(t *testing.T) {
	d := routerDesktop(t)
	r := startRouter(t, routersim.Options{})
	r.Update(func(st *routersim.State) {
		st.Management.Internet, st.Management.HTTP, st.Management.Telnet, st.Management.TR069 = true, true, true, true
	})
	addSim(t, d, "office", r)
	p, err := d.Routers().PlanHarden(t.Context(), "office", HardenChoices{})
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	for _, c := range p.Changes {
		keys[c.Key] = true
	}
	for _, k := range []string{"http", "telnet", "tr069", "enforce_https", "brute_force"} {
		if !keys[k] {
			t.Errorf("the preview lacks %s: %v", k, p.Changes)
		}
	}
	if keys["internet"] {
		t.Error("harden switched management from the Internet off")
	}
	if p2, _ := PlanHarden(p.Current, false, HardenChoices{KeepTR069: true}); p2.Target.TR069 != true {
		t.Error("TR-069 switched off although an ACS is used")
	}
	// Allowing the Internet needs a linked TOTP account.
	if p3, _ := d.Routers().PlanHarden(t.Context(), "office", HardenChoices{Allow: []string{"198.51.100.0/24"}}); !errors.Is(p3.Blocked, routerclient.ErrTOTPNotLinked) {
		t.Errorf("allow without TOTP: %v", p3.Blocked)
	}
	res, err := d.Routers().Harden(t.Context(), "office", HardenChoices{}, ChangeOptions{})
	if err != nil || len(res.Result.NotTaken) > 0 || res.Backup == "" {
		t.Fatalf("apply: %+v %v", res, err)
	}
	if m := r.Snapshot().Management; m.HTTP || m.Telnet || m.TR069 || !m.BruteForce.Enabled || !m.Internet {
		t.Fatalf("router after harden: %+v", m)
	}
	var stages []string
	m, err := d.Routers().Reboot(t.Context(), "office", func(s string) { stages = append(stages, s) })
	if err != nil || m.HTTP || len(stages) != 3 {
		t.Fatalf("reboot: %v, stages %q", err, stages)
	}
}

// A fleet audit reports each router, a dead one as an error, and the
// export carries every check in CSV and HTML, escaped.
func TestFleetAuditAndExport(t *testing.T) {
	d := routerDesktop(t)
	weak := startRouter(t, routersim.Options{Firmware: "4.4.2"})
	weak.Update(func(st *routersim.State) { st.Management.Internet, st.Management.Telnet = true, true })
	good := startRouter(t, routersim.Options{AdminPassword: "a long router password"})
	addSim(t, d, "weak <b>", weak)
	addSimWith(t, d, "good", good, "a long router password")
	addSim(t, d, "gone", startRouter(t, routersim.Options{}))
	// Closing the third one makes it unreachable.
	sims := map[string]bool{}
	var names []string
	list, _ := d.Routers().Summaries()
	for _, s := range list {
		names = append(names, s.Name)
	}
	rs, _ := d.Routers().Records()
	gone, _ := rs.Get("gone")
	gone.URL = "https://127.0.0.1:1"
	rs.Update(gone)

	var progress []FleetProgress
	done := make(chan struct{})
	go func() {
		defer close(done)
		outcomes := d.Routers().FleetAudit(t.Context(), names, func(p FleetProgress) { progress = append(progress, p); sims[p.Name] = true })
		ex := NewAuditExport(outcomes, time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
		if len(ex.Routers) != 3 {
			t.Errorf("export of %d routers", len(ex.Routers))
			return
		}
		byName := map[string]AuditExportRouter{}
		for _, r := range ex.Routers {
			byName[r.Name] = r
		}
		if byName["gone"].Err == "" || byName["weak <b>"].Badge() != BadgeCritical || byName["good"].Badge() == BadgeCritical {
			t.Errorf("badges: gone %q weak %s good %s", byName["gone"].Err, byName["weak <b>"].Badge(), byName["good"].Badge())
		}
		var html, csvOut bytes.Buffer
		if err := ex.WriteHTML(&html); err != nil {
			t.Error(err)
		}
		if strings.Contains(html.String(), "weak <b>") || !strings.Contains(html.String(), "weak &lt;b&gt;") || !strings.Contains(html.String(), "factory password") {
			t.Errorf("HTML report not escaped or incomplete")
		}
		if err := ex.WriteCSV(&csvOut); err != nil {
			t.Error(err)
		}
		rows, err := csv.NewReader(&csvOut).ReadAll()
		if err != nil || len(rows) < 4 || rows[0][0] != "router" {
			t.Errorf("CSV: %v %v", rows, err)
		}
		if os.Getenv("GATEKEY_REPORT_SAMPLE") != "" {
			os.WriteFile(os.Getenv("GATEKEY_REPORT_SAMPLE"), html.Bytes(), 0o600)
		}
	}()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("fleet audit did not finish")
	}
	if len(sims) != 3 {
		t.Errorf("progress for %d routers: %+v", len(sims), progress)
	}
	// A cancelled fleet reports the context's error for every router.
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	for _, o := range d.Routers().FleetAudit(ctx, names, nil) {
		if !errors.Is(o.Err, context.Canceled) {
			t.Errorf("%s after cancel: %v", o.Name, o.Err)
		}
	}
}

// CSV cells that a spreadsheet would run as formulas are defused.
func TestCSVFormulaCells(t *testing.T) {
	ex := AuditExport{Routers: []AuditExportRouter{{Name: "=HYPERLINK(\"x\")", Checks: []routerclient.Check{{ID: "a", Severity: "ok", Title: "+1", Fix: "-"}}}}}
	var b bytes.Buffer
	ex.WriteCSV(&b)
	if !strings.Contains(b.String(), `'=HYPERLINK`) || !strings.Contains(b.String(), "'+1") {
		t.Fatalf("formula not defused:\n%s", b.String())
	}
}

// The WAN login check follows the rule of every other router request:
// plain HTTP to an address outside the private networks is refused unless
// the person allowed it for that address, so the password never crosses
// the Internet unencrypted by default. The test routes the public-looking
// address to the simulator's WAN HTTP listener.
func TestWANCheckRefusesPlainHTTPToPublicAddress(t *testing.T) {
	d := routerDesktop(t)
	r, err := routersim.Start(t.Context(), routersim.Options{LANHTTPS: "127.0.0.1:0", WANHTTP: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	r.Update(func(st *routersim.State) { st.Management.Internet, st.Management.HTTP = true, true })
	wanAddr := strings.TrimPrefix(r.URLs().WANHTTP, "http://")
	dialer := &net.Dialer{}
	transport := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		if addr == "203.0.113.9:8080" {
			addr = wanAddr
		}
		return dialer.DialContext(ctx, network, addr)
	}}
	d.Routers().testOnlyOptions = []routerclient.Option{routerclient.WithHTTPClient(&http.Client{Transport: transport})}
	addSim(t, d, "office", r)
	if err := d.Routers().SetWANURL("office", "http://203.0.113.9:8080", false); err != nil {
		t.Fatal(err)
	}
	before := r.RequestsByPath()["/cgi-bin/wlogin.cgi"]
	res := d.Routers().VerifyWANLogin(t.Context(), "office")
	if !errors.Is(res.Err, routerclient.ErrPlainHTTP) {
		t.Fatalf("plain HTTP to a public WAN address: %v, want ErrPlainHTTP", res.Err)
	}
	if after := r.RequestsByPath()["/cgi-bin/wlogin.cgi"]; after != before {
		t.Fatalf("the password was posted over plain HTTP to a public address (%d logins)", after-before)
	}
	// Once the person allows it for that address, the login goes ahead.
	if err := d.Routers().SetWANURL("office", "http://203.0.113.9:8080", true); err != nil {
		t.Fatal(err)
	}
	if res := d.Routers().VerifyWANLogin(t.Context(), "office"); res.Err != nil {
		t.Fatalf("allowed plain HTTP: %v", res.Err)
	}
}

// A router whose login page shows a validation code: without a person to
// read it, Gatekey sends no login at all; the window's question answered
// with the picture's characters logs in with one attempt.
func TestValidationCodeAskedOnce(t *testing.T) {
	d := routerDesktop(t)
	r := startRouter(t, routersim.Options{})
	addSim(t, d, "office", r)
	if err := r.Update(func(st *routersim.State) { st.Management.ValidationCode = true }); err != nil {
		t.Fatal(err)
	}
	svc := d.Routers()
	before := r.LoginAttempts()
	if err := svc.TestLogin(t.Context(), "office"); !errors.Is(err, routerclient.ErrValidationCode) {
		t.Fatalf("without an answer: %v, want ErrValidationCode", err)
	}
	if n := r.LoginAttempts() - before; n != 0 {
		t.Fatalf("%d login attempts without the validation code", n)
	}
	var shown int
	svc.AskValidationCodes(func(_ context.Context, router string, pic *ValidationPicture) (string, error) {
		shown++
		if router != "office" || len(pic.Data) == 0 || !strings.HasPrefix(pic.ContentType, "image/") {
			t.Errorf("asked for %q with a %d-byte %q picture", router, len(pic.Data), pic.ContentType)
		}
		return r.ValidationCodeChars(), nil
	})
	if err := svc.TestLogin(t.Context(), "office"); err != nil {
		t.Fatalf("with the characters: %v", err)
	}
	if n := r.LoginAttempts() - before; n != 1 || shown != 1 {
		t.Fatalf("%d login attempts and %d questions, want 1 and 1", n, shown)
	}
	svc.AskValidationCodes(func(context.Context, string, *ValidationPicture) (string, error) {
		return "", ErrValidationCodeNotGiven
	})
	if err := svc.TestLogin(t.Context(), "office"); !errors.Is(err, ErrValidationCodeNotGiven) || r.LoginAttempts()-before != 1 {
		t.Fatalf("a question left unanswered: %v, %d attempts", err, r.LoginAttempts()-before)
	}
}

// advice.json in the Gatekey folder replaces the built-in firmware advice,
// and the audit says which copy and date it used; a damaged one is an
// error that names it.
func TestAdviceFileOverrides(t *testing.T) {
	d := routerDesktop(t)
	r := startRouter(t, routersim.Options{Model: "Vigor2927", Firmware: "4.5.2.2"})
	addSim(t, d, "office", r)
	embedded, err := d.Routers().Audit(t.Context(), "office")
	if err != nil {
		t.Fatal(err)
	}
	var unresolved bool
	for _, c := range embedded.Checks {
		unresolved = unresolved || (c.ID == "advisories_fix_unknown" && c.Severity == SeverityWarning)
	}
	if !unresolved {
		t.Fatal("the built-in advice reports no advisory with an unknown fix, so replacing it proves nothing")
	}
	file := filepath.Join(d.Home(), AdviceFile)
	advice := `{"date": "2027-01", "totp_documented": [], "safe_minimum": [], "newest_firmware": [], "advisories": []}`
	if err := os.WriteFile(file, []byte(advice), 0o600); err != nil {
		t.Fatal(err)
	}
	fresh := NewRouterService(d.Home(), d.keychain, d)
	rep, err := fresh.Audit(t.Context(), "office")
	if err != nil {
		t.Fatalf("audit with advice.json: %v", err)
	}
	var source string
	for _, c := range rep.Checks {
		if c.ID == "advisories_fix_unknown" && c.Severity != SeverityOK {
			t.Errorf("advice.json lists no advisory, yet the audit warns: %s", c.Title)
		}
		if c.ID == "advice_source" {
			source = c.Title
		}
	}
	if !strings.Contains(source, file) || !strings.Contains(source, "2027-01") {
		t.Errorf("the audit names its advice as %q, want %s dated 2027-01", source, file)
	}
	// The details screen judges with the same advice as the audit.
	det, err := fresh.Details(t.Context(), "office")
	if err != nil {
		t.Fatal(err)
	}
	if !cmp.Equal(det.Audit.Checks, rep.Checks) {
		t.Errorf("the details screen's audit differs from the audit:\n%s", cmp.Diff(rep.Checks, det.Audit.Checks))
	}
	os.WriteFile(file, []byte(`{"date": "soon"`), 0o600)
	if _, err := NewRouterService(d.Home(), d.keychain, d).Audit(t.Context(), "office"); err == nil || !strings.Contains(err.Error(), file) {
		t.Errorf("a damaged advice.json: %v, want an error naming it", err)
	}
}
