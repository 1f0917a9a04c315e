//go:build linux

package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gatekey/gatekey/app"
	"github.com/gatekey/gatekey/internal/testenv"
	"github.com/gatekey/gatekey/qrscan"
	"github.com/gatekey/gatekey/routersim"
)

// TestRouterEnrolment is the routers window end to end, with the real
// binary against a simulated router whose page shows in a real chromium
// window: add the router and accept its certificate, enrol TOTP by
// scanning the router's QR code from the screen while the person types the
// code on the router's page, harden with an access list, verify with a
// login through the WAN listener, and reboot.
func TestRouterEnrolment(t *testing.T) {
	testenv.Tool(t, "chromium")
	r, err := routersim.Start(t.Context(), routersim.Options{LANHTTPS: "127.0.0.1:0", WANHTTPS: "127.0.0.1:0",
		AdminPassword: "router password", RebootDelay: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	home := t.TempDir()
	makeVault(t, home, 2)
	urls := filepath.Join(t.TempDir(), "opened")
	opener := filepath.Join(t.TempDir(), "browser")
	if err := os.WriteFile(opener, []byte("#!/bin/sh\necho \"$1\" >> "+urls+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GATEKEY_BROWSER", opener)

	settings := app.DefaultSettings()
	settings.Window = app.WindowSize{Width: 760, Height: 1000}
	if err := app.SaveSettings(home, settings); err != nil {
		t.Fatal(err)
	}
	s := startGatekey(t, home)
	time.Sleep(time.Second)
	s.click(160, 21) // Routers tab
	s.click(60, 62)  // Add router
	s.fill(430, 101, "office")
	s.fill(430, 140, r.URLs().LANHTTPS)
	s.fill(430, 203, r.URLs().WANHTTPS)
	s.fill(430, 303, "router password")
	probes := requests(r, "/weblogin.htm")
	s.clickUntil(83, 366, 30*time.Second, "Check the router", func() bool { return requests(r, "/weblogin.htm") > probes })
	time.Sleep(time.Second)
	s.shot("routers-add", 32)
	s.clickUntil(125, 747, 60*time.Second, "Trust this certificate and add", func() bool {
		return strings.Contains(s.cli("router", "list"), "office")
	})
	time.Sleep(time.Second)
	s.shot("routers-list", 32)

	s.click(120, 110) // the router's row
	time.Sleep(3 * time.Second)
	s.shot("routers-details", 32)
	s.click(475, 101) // Enrol TOTP
	time.Sleep(time.Second)
	s.shot("routers-enrol-start", 32)
	s.click(380, 160) // Check the router
	time.Sleep(2 * time.Second)
	s.shot("routers-enrol-check", 32)
	s.click(380, 180) // Open the router's page
	var opened string
	if !waitFor(10*time.Second, func() bool { b, _ := os.ReadFile(urls); opened = strings.TrimSpace(string(b)); return opened != "" }) {
		t.Fatal("Gatekey did not open the router's page")
	}
	browser := startRouterBrowser(t, opened)
	browser.login("admin", "router password")
	browser.open(strings.TrimSuffix(opened, "/") + "/doc/chglog.sht")
	if !waitFor(60*time.Second, func() bool {
		codes, err := qrscan.ScanScreen(t.Context())
		return err == nil && len(codes) > 0
	}) {
		t.Fatal("the router's page did not show its QR code")
	}
	s.click(380, 219) // next: capture
	time.Sleep(time.Second)
	s.shot("routers-enrol-capture", 32)
	s.clickUntil(380, 160, 60*time.Second, "Scan the screen", func() bool { return strings.Contains(s.cli("list"), "DrayTek") })
	time.Sleep(time.Second)
	s.shot("routers-enrol-code", 32)
	code := s.currentCode()
	browser.enableTOTP(code)
	time.Sleep(2 * time.Second)
	browser.shot(t, s, "routers-browser-enabled")
	if !r.Snapshot().TOTP.Enabled {
		t.Fatal("TOTP is not enabled on the router after the person's Verify and OK")
	}
	logins := requests(r, "/cgi-bin/wlogin.cgi")
	s.clickUntil(380, 295, 60*time.Second, "I pressed Verify and OK: next", func() bool { return requests(r, "/cgi-bin/wlogin.cgi") > logins })
	time.Sleep(2 * time.Second)
	s.fill(420, 237, "127.0.0.0/8")
	s.click(95, 339) // Preview the changes
	time.Sleep(2 * time.Second)
	s.shot("routers-enrol-harden", 32)
	hardened := func() bool { m := r.Snapshot().Management; return m.Internet && m.BruteForce.Enabled }
	s.clickUntil(232, 339, 60*time.Second, "Apply the hardening", hardened) // Apply is enabled once the preview is shown
	time.Sleep(time.Second)
	s.shot("routers-enrol-hardened", 32)
	s.click(310, 339) // Continue
	time.Sleep(time.Second)
	s.shot("routers-enrol-verify", 32)
	wanLogins := r.WANLoginsWithCode()
	s.clickUntil(380, 160, 60*time.Second, "Log in from outside", func() bool { return r.WANLoginsWithCode() > wanLogins })
	time.Sleep(time.Second)
	s.shot("routers-enrol-done", 32)

	s.click(715, 62) // Close: back to the details
	time.Sleep(3 * time.Second)
	rebooted := false
	for attempt := 0; attempt < 5 && !rebooted; attempt++ {
		s.click(284, 141) // Reboot
		time.Sleep(time.Second)
		s.shot("routers-reboot-confirm", 32)
		s.click(413, 536) // Yes
		rebooted = waitFor(10*time.Second, func() bool { return r.Rebooting() })
	}
	if !rebooted {
		t.Fatal("the router did not reboot")
	}
	if !waitFor(60*time.Second, func() bool { return !r.Rebooting() }) {
		t.Fatal("the router did not come back")
	}
	time.Sleep(4 * time.Second)
	s.shot("routers-rebooted", 32)
	s.closeAndWait()
}
