//go:build linux

package qrscan

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gatekey/gatekey/internal/desktoptest"
	"github.com/gatekey/gatekey/internal/testenv"
)

// TestScanScreenBrowser is the end-to-end check: a real browser window
// (Debian's chromium, not headless) on the test display shows a page with
// the code as an <img> among text, and the screen scan reads it.
func TestScanScreenBrowser(t *testing.T) {
	testenv.Display(t)
	const text = "otpauth://totp/Browser:erin@example.com?secret=NBSWY3DPO5XXE3DE&issuer=Browser"
	data, err := RenderPNG(text, 220)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "code.png"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(dir, "enrol.html")
	html := `<!doctype html><title>Enrol</title><body style="font-family:sans-serif;margin:40px">
<h1>Set up two-factor authentication</h1>
<p>Scan this code with your authenticator app, then enter the six-digit code it shows.</p>
<img src="code.png" width="220" height="220" alt="QR code">
<p>Can't scan it? Enter the key by hand.</p><input placeholder="123456"> <button>Verify</button>`
	if err := os.WriteFile(page, []byte(html), 0o600); err != nil {
		t.Fatal(err)
	}
	desktoptest.Chromium(t, "file://"+page, "--window-position=0,0", "--window-size=1200,900")
	scanScreenUntil(t, text, 60*time.Second)
}
