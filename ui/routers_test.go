package ui

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/zalando/go-keyring"

	"github.com/gatekey/gatekey/app"
	"github.com/gatekey/gatekey/routerclient"
	"github.com/gatekey/gatekey/routersim"
)

// The app's router service is what the Routers tab calls.
var _ RouterService = (*app.RouterService)(nil)

// memKeychain keeps the test desktop's keys in memory.
type memKeychain struct {
	mu sync.Mutex
	m  map[string]string
}

func (k *memKeychain) Get(s, u string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if v, ok := k.m[s+"/"+u]; ok {
		return v, nil
	}
	return "", keyring.ErrNotFound
}
func (k *memKeychain) Set(s, u, v string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.m[s+"/"+u] = v
	return nil
}
func (k *memKeychain) Delete(s, u string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.m, s+"/"+u)
	return nil
}

// routerWindow opens the main window on a real Desktop (vault in a temporary
// folder, keys in memory) and returns its Routers tab.
func routerWindow(t *testing.T) (*MainWindow, *app.Desktop, *routersView) {
	t.Helper()
	d := app.NewDesktop(t.TempDir(), &memKeychain{m: map[string]string{}})
	if err := d.Create(nil, app.UnlockDefault); err != nil {
		t.Fatal(err)
	}
	a := test.NewTempApp(t)
	g := NewMainWindow(a, Options{Service: d, Routers: d.Routers(), Settings: app.DefaultSettings(), Now: time.Now, Ticks: make(chan time.Time)})
	headless(t, g)
	g.win.Resize(fyne.NewSize(720, 800))
	if g.routerTabs == nil {
		t.Fatal("no Routers tab although the service manages routers")
	}
	if _, ok := g.win.Content().(*container.AppTabs); !ok {
		t.Fatalf("window content is %T, want tabs", g.win.Content())
	}
	return g, d, g.routerTabs.routers
}

func startSim(t *testing.T, opts routersim.Options) *routersim.Router {
	t.Helper()
	opts.LANHTTPS, opts.WANHTTPS = "127.0.0.1:0", "127.0.0.1:0"
	opts.RebootDelay = 200 * time.Millisecond
	r, err := routersim.Start(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// Add router: the form probes, shows the fingerprint in full with the
// explanation and TOTP support, then adds after one login; the list shows
// model, firmware, reachability, TOTP and the badge.
func TestAddRouterScreen(t *testing.T) {
	_, _, v := routerWindow(t)
	if v.body.Objects[0] != v.empty {
		t.Fatal("an empty routers list does not say so")
	}
	r := startSim(t, routersim.Options{Model: "Vigor2927", Firmware: "4.4.2"})
	a := newAddRouterView(v)
	v.show(a.content)
	a.name.SetText("office")
	a.url.SetText(r.URLs().LANHTTPS)
	a.wan.SetText(r.URLs().WANHTTPS)
	a.password.SetText("admin")
	a.onCheck()
	texts := labelsIn(a.result)
	fp := r.Fingerprint()
	if !strings.Contains(texts, fp[:4]+" "+fp[4:8]) || !strings.Contains(texts, fp[60:]) || !strings.Contains(texts, "made themselves") {
		t.Fatalf("fingerprint not shown in full with its explanation:\n%s", texts)
	}
	if !strings.Contains(texts, "Vigor2927, firmware 4.4.2") || !strings.Contains(texts, "TOTP for logins from the Internet: supported") || !strings.Contains(texts, "safe minimum") {
		t.Fatalf("probe result:\n%s", texts)
	}
	if a.addBtn.Hidden {
		t.Fatal("no add button after a good probe")
	}
	a.password.SetText("wrong")
	a.onAdd()
	if !strings.Contains(a.status.Text, "Not added") || len(v.summaries) != 0 {
		t.Fatalf("wrong password: %q, %d routers", a.status.Text, len(v.summaries))
	}
	a.password.SetText("admin")
	a.onAdd()
	if len(v.summaries) != 1 || len(v.content.Objects) != 1 {
		t.Fatalf("after add: %d routers, %d screens; %q", len(v.summaries), len(v.content.Objects), a.status.Text)
	}
	row := v.rows[v.list.CreateItem()]
	v.updateRow(0, findRowObject(v, row))
	if row.detail.Text != "Vigor2927, firmware 4.4.2" || row.state.Text != "reachable · no TOTP" || row.badge.Text != "Not audited" {
		t.Fatalf("row: %q %q %q", row.detail.Text, row.state.Text, row.badge.Text)
	}
	// Details read status and audit; the badge follows.
	det := newRouterDetailView(v, "office")
	if !strings.Contains(det.status.Text, "Below DrayTek's known safe minimum") || !strings.Contains(det.status.Text, "Clock:") {
		t.Fatalf("details: %q", det.status.Text)
	}
	if !strings.Contains(labelsIn(det.audit), "Critical") {
		t.Fatalf("audit: %s", labelsIn(det.audit))
	}
	v.reload()
	v.updateRow(0, findRowObject(v, row))
	if row.badge.Text != "Critical" || row.badge.Importance != widget.DangerImportance {
		t.Fatalf("badge after audit: %q", row.badge.Text)
	}
}

func findRowObject(v *routersView, r *routerRow) fyne.CanvasObject {
	for o, x := range v.rows {
		if x == r {
			return o
		}
	}
	return nil
}

// labelsIn joins the text of every label under obj.
func labelsIn(obj fyne.CanvasObject) string {
	var b strings.Builder
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *widget.Label:
			b.WriteString(w.Text + "\n")
		case *widget.Card:
			b.WriteString(w.Subtitle + "\n")
			if w.Content != nil {
				walk(w.Content)
			}
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		case *widget.Button:
			b.WriteString("[" + w.Text + "]\n")
		}
	}
	walk(obj)
	return b.String()
}

// The wizard follows the documented steps: check, open the page (through
// GATEKEY_BROWSER), paste the secret, show the code, the person presses
// Verify and OK, harden with an access list, and log in from outside.
func TestEnrolWizard(t *testing.T) {
	urls := t.TempDir() + "/urls"
	script := t.TempDir() + "/browser"
	os.WriteFile(script, []byte("#!/bin/sh\necho \"$1\" >> "+urls+"\n"), 0o755)
	t.Setenv(BrowserEnv, script)
	g, d, v := routerWindow(t)
	r := startSim(t, routersim.Options{AdminPassword: "a long router password"})
	if err := d.Routers().Add(t.Context(), app.NewRouter{Name: "office", URL: r.URLs().LANHTTPS, WANURL: r.URLs().WANHTTPS,
		User: "admin", Password: "a long router password", Fingerprint: r.Fingerprint()}); err != nil {
		t.Fatal(err)
	}
	v.reload()
	w, err := newEnrolView(v, "office")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.stopTicker)
	v.show(w.content)
	if !strings.Contains(w.title.Text, "step 1 of 6") {
		t.Fatalf("title %q", w.title.Text)
	}
	w.onCheck()
	if w.e.Step() != app.EnrolOpenPage || !strings.Contains(labelsIn(w.page), "Enrol automatically") {
		t.Fatalf("after check: %v %q", w.e.Step(), w.status.Text)
	}
	w.onOpenPage()
	if !waitUntil(func() bool { b, _ := os.ReadFile(urls); return strings.TrimSpace(string(b)) == r.URLs().LANHTTPS }) {
		t.Fatalf("the browser was not asked to open %s", r.URLs().LANHTTPS)
	}
	w.onPageOpened()
	// The person's browser session shows the secret; they paste it.
	browser, _ := routerclient.New(r.URLs().LANHTTPS, routerclient.WithPin(r.Fingerprint()))
	bs, err := browser.Login(t.Context(), routerclient.Credentials{Username: "admin", Password: "a long router password"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := bs.ReadTOTPEnrolment(t.Context())
	w.paste.SetText("not a secret!")
	w.onPaste()
	if w.e.Step() != app.EnrolCapture || !strings.Contains(w.status.Text, "No secret captured") {
		t.Fatalf("a bad paste: %v %q", w.e.Step(), w.status.Text)
	}
	w.paste.SetText(strings.ToLower(page.Secret[:8]) + " " + page.Secret[8:])
	w.onPaste()
	if w.e.Step() != app.EnrolCode {
		t.Fatalf("paste: %q", w.status.Text)
	}
	code, _, _ := w.e.Code(g.now())
	if strings.ReplaceAll(w.code.Text, " ", "") != code {
		t.Fatalf("code shown %q, want %q", w.code.Text, code)
	}
	w.onCopy()
	if g.app.Clipboard().Content() != code {
		t.Fatal("Copy did not put the code on the clipboard")
	}
	if _, err := bs.EnableTOTP(t.Context(), page.Secret, func(_ context.Context, at time.Time) (string, error) {
		c, _, err := w.e.Code(at)
		return c, err
	}); err != nil {
		t.Fatal(err)
	}
	w.onConfirmed()
	if w.e.Step() != app.EnrolHarden {
		t.Fatalf("confirm: %q", w.status.Text)
	}
	h := w.harden
	h.allow.SetText("127.0.0.0/8")
	h.onPreview()
	preview := labelsIn(h.preview)
	for _, want := range []string{"Allow management from the Internet: off → on", "Telnet", "Access list: none → 127.0.0.0/8"} {
		if !strings.Contains(preview, want) && !(want == "Telnet" && !r.Snapshot().Management.Telnet) {
			t.Errorf("preview lacks %q:\n%s", want, preview)
		}
	}
	h.onApply()
	if !strings.Contains(h.status.Text, "Applied") || !r.Snapshot().Management.Internet {
		t.Fatalf("apply: %q", h.status.Text)
	}
	if w.e.Step() != app.EnrolVerify {
		t.Fatalf("after harden: %v", w.e.Step())
	}
	h.onSkip() // Continue
	w.onVerify()
	if w.e.Step() != app.EnrolDone || !strings.Contains(w.status.Text, "with the code") {
		t.Fatalf("verify: %v %q", w.e.Step(), w.status.Text)
	}
}

func waitUntil(cond func() bool) bool {
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return false
}

// The fleet screen audits the ticked routers with a result each, skips the
// unticked, and exports the report.
func TestFleetScreen(t *testing.T) {
	_, d, v := routerWindow(t)
	for i, name := range []string{"a", "b", "c"} {
		r := startSim(t, routersim.Options{Firmware: []string{"4.4.2", "4.5.2.2", "4.5.2.2"}[i]})
		if err := d.Routers().Add(t.Context(), app.NewRouter{Name: name, URL: r.URLs().LANHTTPS, User: "admin", Password: "admin", Fingerprint: r.Fingerprint()}); err != nil {
			t.Fatal(err)
		}
	}
	v.reload()
	f := newFleetView(v)
	f.rows["c"].pick.SetChecked(false)
	f.onAudit()
	if f.rows["a"].bar.Value != 1 || f.rows["a"].result.Text != "Critical" || f.rows["c"].result.Text != "" || f.export.Disabled() {
		t.Fatalf("fleet: a %v %q, c %q, %q", f.rows["a"].bar.Value, f.rows["a"].result.Text, f.rows["c"].result.Text, f.status.Text)
	}
	var html, csv strings.Builder
	if err := f.writeExport(&html, ".html", time.Now()); err != nil || !strings.Contains(html.String(), "<h2>a ") {
		t.Fatalf("HTML export: %v", err)
	}
	if err := f.writeExport(&csv, ".csv", time.Now()); err != nil || strings.Count(csv.String(), "\nb,") < 3 {
		t.Fatalf("CSV export: %v\n%s", err, csv.String())
	}
}

// When the router answers a save with its Reboot page, the harden panel asks
// before rebooting, and only the person's yes reboots it; the panel then
// waits until the router is back. The simulator asks for a reboot only after
// a port change, which the preset never makes, so the test hands the panel
// such an answer.
func TestHardenRebootsOnlyWhenAskedAndAgreed(t *testing.T) {
	_, d, v := routerWindow(t)
	r := startSim(t, routersim.Options{})
	if err := d.Routers().Add(t.Context(), app.NewRouter{Name: "office", URL: r.URLs().LANHTTPS, User: "admin", Password: "admin", Fingerprint: r.Fingerprint()}); err != nil {
		t.Fatal(err)
	}
	h := newHardenPanel(v, "office", func() {}, nil)
	h.showApplied(&app.HardenOutcome{Result: &app.HardenResult{}}, nil)
	if h.rebootRequired || h.confirmRebootNow != nil {
		t.Fatal("a save without a reboot request asked for a reboot")
	}
	reboots := func() int { return r.RequestsByPath()["/cgi-bin/reboot.cgi"] }
	h.showApplied(&app.HardenOutcome{Result: &app.HardenResult{RebootRequired: true}}, nil)
	if !h.rebootRequired || h.confirmRebootNow == nil {
		t.Fatal("the router's reboot request was not put to the person")
	}
	if reboots() != 0 {
		t.Fatal("rebooted before the person agreed")
	}
	h.confirmRebootNow()
	if reboots() != 1 {
		t.Fatalf("%d reboot requests after the person agreed, want 1", reboots())
	}
	if h.rebootRequired || !strings.Contains(h.status.Text, "is back") {
		t.Fatalf("after agreeing: reboot still required %v, status %q", h.rebootRequired, h.status.Text)
	}
}
