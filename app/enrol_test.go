package app

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gatekey/gatekey/otp"
	"github.com/gatekey/gatekey/routerclient"
	"github.com/gatekey/gatekey/routersim"
)

// The documented path: check, open the page, capture the QR the page shows,
// the person types the code and presses Verify and OK, harden with an
// access list, and a WAN login with the code. Actions out of order fail.
func TestEnrolmentByHand(t *testing.T) {
	d := routerDesktop(t)
	r := startRouter(t, routersim.Options{AdminPassword: "a long router password"})
	addSimWith(t, d, "office", r, "a long router password")
	e, err := d.Routers().NewEnrolment("office")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.PageOpened(); !errors.Is(err, ErrWrongStep) {
		t.Fatalf("page before check: %v", err)
	}
	res, err := e.Check(t.Context())
	if err != nil || !res.OK() || !res.Automatic || !res.ClockOK || e.Step() != EnrolOpenPage {
		t.Fatalf("check: %+v %v, step %v", res, err, e.Step())
	}
	if err := e.PageOpened(); err != nil {
		t.Fatal(err)
	}
	// The person's browser: its own session shows the secret and its QR.
	browser, err := routerclient.New(r.URLs().LANHTTPS, routerclient.WithPin(r.Fingerprint()))
	if err != nil {
		t.Fatal(err)
	}
	bs, err := browser.Login(t.Context(), routerclient.Credentials{Username: "admin", Password: "a long router password"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	page, err := bs.ReadTOTPEnrolment(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Capture(ScanTexts("not a link")); err == nil || e.Step() != EnrolCapture {
		t.Fatalf("a scan without a code moved on: %v", err)
	}
	uri := "otpauth://totp/DrayTek:admin@Vigor2927?secret=" + page.Secret + "&issuer=DrayTek&algorithm=SHA1&digits=6&period=30"
	acc, err := e.Capture(ScanTexts(uri, "otpauth://totp/Other:bob?secret=JBSWY3DPEHPK3PXP&issuer=Other"))
	if err != nil || acc.Issuer != "DrayTek" || acc.Name != "office" || e.Step() != EnrolCode {
		t.Fatalf("capture: %+v %v", acc, err)
	}
	if rec, _ := d.Routers().Summaries(); rec[0].TOTP != acc.UUID {
		t.Fatal("the account is not linked to the router")
	}
	code, left, err := e.Code(time.Now())
	if err != nil || len(code) != 6 || left <= 0 || left > 30*time.Second {
		t.Fatalf("code %q left %v err %v", code, left, err)
	}
	if _, err := bs.EnableTOTP(t.Context(), page.Secret, func(ctx context.Context, at time.Time) (string, error) {
		c, _, err := e.Code(at)
		return c, err
	}); err != nil {
		t.Fatalf("the person's Verify and OK: %v", err)
	}
	if err := e.Confirmed(t.Context()); err != nil || e.Step() != EnrolHarden {
		t.Fatalf("confirm: %v", err)
	}
	choices := HardenChoices{Allow: []string{"127.0.0.0/8"}}
	p, err := e.PreviewHarden(t.Context(), choices)
	if err != nil || p.Blocked != nil || !p.Target.Internet || !p.Target.HTTPS || p.Target.HTTP {
		t.Fatalf("preview: %+v %v", p, err)
	}
	if _, err := e.ApplyHarden(t.Context(), p); err != nil || e.Step() != EnrolVerify {
		t.Fatalf("harden: %v, step %v", err, e.Step())
	}
	wan, err := e.Verify(t.Context())
	if err != nil || wan.Err != nil || !wan.Tested || !wan.UsedCode || e.Step() != EnrolDone {
		t.Fatalf("verify: %+v %v", wan, err)
	}
}

// The automatic path does steps 2 to 4 over HTTP; a skewed clock or a
// router without TOTP stops at the check with a fix to follow.
func TestEnrolmentAutomaticAndRefusals(t *testing.T) {
	d := routerDesktop(t)
	r := startRouter(t, routersim.Options{})
	addSim(t, d, "auto", r)
	e, _ := d.Routers().NewEnrolment("auto")
	if res, err := e.Check(t.Context()); err != nil || !res.Automatic {
		t.Fatalf("check: %+v %v", res, err)
	}
	acc, err := e.Automatic(t.Context())
	if err != nil || e.Step() != EnrolHarden || !r.Snapshot().TOTP.Enabled || otp.EncodeBase32(acc.Secret) != r.Snapshot().TOTP.Secret {
		t.Fatalf("automatic: %v, step %v", err, e.Step())
	}
	e.SkipHarden()
	if wan, _ := e.Verify(t.Context()); wan.Err == nil || e.Step() == EnrolDone {
		t.Fatalf("WAN login with management from the Internet off: %+v", wan)
	}

	skewed := startRouter(t, routersim.Options{ClockOffset: 3 * time.Minute})
	addSim(t, d, "skewed", skewed)
	e2, _ := d.Routers().NewEnrolment("skewed")
	res, err := e2.Check(t.Context())
	if err != nil || res.OK() || !strings.Contains(strings.Join(res.Problems, " "), "NTP") || e2.Step() != EnrolCheck {
		t.Fatalf("skewed clock: %+v %v", res, err)
	}
	no := false
	old := startRouter(t, routersim.Options{Model: "Vigor2860", Firmware: "3.9.1", TOTPSupported: &no})
	addSim(t, d, "old", old)
	e3, _ := d.Routers().NewEnrolment("old")
	if res, _ := e3.Check(t.Context()); res.OK() || !strings.Contains(res.Problems[0], "upgrade") {
		t.Fatalf("router without TOTP: %+v", res)
	}
	if _, err := e3.Automatic(t.Context()); err == nil {
		t.Fatal("automatic path on a router without the fields")
	}
}

// The demo starts two routers in a throwaway home: the weak one audits
// critical, the hardened one takes a WAN login with the demo vault's code.
func TestDemo(t *testing.T) {
	demo, err := StartDemo(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	list, err := demo.Desktop.Routers().Summaries()
	if err != nil || len(list) != 2 {
		t.Fatalf("demo routers: %+v %v", list, err)
	}
	weak, err := demo.Desktop.Routers().Audit(t.Context(), DemoWeakRouter)
	if err != nil || BadgeOf(weak) != BadgeCritical {
		t.Fatalf("weak: %v %v", BadgeOf(weak), err)
	}
	// The hardened one passes every check but the advisories whose fixed
	// firmware is not known yet, a warning on every router.
	hard, err := demo.Desktop.Routers().Audit(t.Context(), DemoHardenedRouter)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range hard.Checks {
		if c.Severity != SeverityOK && c.Severity != SeverityInfo && c.ID != "advisories_fix_unknown" {
			t.Errorf("hardened demo router: %s %s: %s", c.Severity, c.ID, c.Title)
		}
	}
	// The weak one shows the factory password, IPv6 and TR-069 findings,
	// each fix naming the router.
	want := map[string]bool{"default_password": false, "ipv6_management": false, "tr069": false}
	for _, c := range weak.Checks {
		if _, ok := want[c.ID]; ok && c.Severity != SeverityOK {
			want[c.ID] = true
			if strings.Contains(c.Fix, "NAME") {
				t.Errorf("%s's fix names no router: %q", c.ID, c.Fix)
			}
		}
	}
	for id, found := range want {
		if !found {
			t.Errorf("the weak demo router shows no %s finding", id)
		}
	}
	if wan := demo.Desktop.Routers().VerifyWANLogin(t.Context(), DemoHardenedRouter); wan.Err != nil || !wan.UsedCode {
		t.Fatalf("WAN login: %+v", wan)
	}
	home := demo.Home
	if err := demo.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(home); !os.IsNotExist(err) {
		t.Fatal("the demo home stayed")
	}
}
