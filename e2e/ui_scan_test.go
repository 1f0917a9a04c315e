//go:build linux

package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gatekey/gatekey/internal/desktoptest"
	"github.com/gatekey/gatekey/qrscan"
)

// TestScanScreenFromBrowser adds an account the way a person enrolling on
// a website does: the site shows a QR code in a browser window, and
// Add > Scan the screen reads it into the vault.
func TestScanScreenFromBrowser(t *testing.T) {
	home := t.TempDir()
	makeVault(t, home, 3)
	const uri = "otpauth://totp/Browser:erin@example.com?secret=NBSWY3DPO5XXE3DE&issuer=Browser"
	startBrowser(t, uri)
	s := startGatekey(t, home)
	s.shot("before-scan", 32)

	s.key("ctrl+n")
	time.Sleep(400 * time.Millisecond)
	s.shot("add-menu", 32)
	s.key("Down", "Return")
	if !waitFor(60*time.Second, func() bool { return strings.Contains(s.cli("list"), "Browser:erin@example.com") }) {
		t.Fatalf("the scanned account is not in the vault; gatekey list:\n%s", s.cli("list"))
	}
	s.win = s.x.WaitWindow(t, "Gatekey", 10*time.Second)
	time.Sleep(500 * time.Millisecond)
	s.shot("after-scan", 32)
	s.closeAndWait()
}

// startBrowser shows an enrolment page with the QR code of uri in chromium
// on the test display, on the right of the screen.
func startBrowser(t *testing.T, uri string) {
	t.Helper()
	data, err := qrscan.RenderPNG(uri, 240)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "code.png"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(dir, "enrol.html")
	html := `<!doctype html><title>Enrol</title><body style="font-family:sans-serif;margin:40px">
<h1>Set up two-factor authentication</h1><p>Scan this code with your authenticator app.</p>
<img src="code.png" width="240" height="240" alt="QR code">`
	if err := os.WriteFile(page, []byte(html), 0o600); err != nil {
		t.Fatal(err)
	}
	desktoptest.Chromium(t, "file://"+page, "--window-position=600,0", "--window-size=900,700")
	// Wait until the code is on the screen, so that the test checks the
	// window's scan and not the browser's start-up time.
	ok := waitFor(60*time.Second, func() bool {
		codes, err := qrscan.ScanScreen(t.Context())
		return err == nil && len(codes) > 0
	})
	if !ok {
		t.Fatal("the browser did not show the QR code within 60 s")
	}
}
