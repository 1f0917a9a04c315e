//go:build linux

package qrscan

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

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
	// The profile lives outside t.TempDir: chromium's helper processes may
	// still be writing to it for a moment after they are stopped.
	profile, err := os.MkdirTemp("", "gatekey-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(testenv.Tool(t, "chromium"), "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+profile, "--window-position=0,0", "--window-size=1200,900",
		fmt.Sprintf("file://%s", page))
	// Its own process group, so that stopping it stops the renderer and
	// GPU helpers it started too, and nothing else.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		cmd.Wait()
		time.Sleep(200 * time.Millisecond)
		os.RemoveAll(profile)
	})
	scanScreenUntil(t, text, 60*time.Second)
}
