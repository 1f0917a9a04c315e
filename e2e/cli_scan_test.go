//go:build linux

package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"testing"

	"github.com/gatekey/gatekey/internal/desktoptest"
)

// TestScanScreenCommand reads a QR code that a real browser window shows,
// with `gatekey scan --screen` as a script would run it.
func TestScanScreenCommand(t *testing.T) {
	desktoptest.Connect(t)
	const uri = "otpauth://totp/Example:dana@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example"
	startBrowser(t, uri)
	cmd := exec.Command(desktoptest.Binary(t), "scan", "--screen", "--json")
	cmd.Env = append(os.Environ(), "GATEKEY_HOME="+t.TempDir())
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("gatekey scan --screen: %v\n%s", err, out)
	}
	var codes []struct{ Source, Text string }
	if err := json.Unmarshal(out, &codes); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if len(codes) != 1 || codes[0].Source != "screen" || codes[0].Text != uri {
		t.Errorf("scanned %+v, want one code from the screen with %q", codes, uri)
	}
}
