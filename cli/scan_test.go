package cli

import (
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatekey/gatekey/internal/testenv"
)

// qr draws an account's code and scan reads it back; scan --add puts it into
// another vault, where it gives the same codes.
func TestQRThenScan(t *testing.T) {
	testenv.SecretService(t)
	home, other := "--home="+t.TempDir(), "--home="+t.TempDir()
	uri := "otpauth://totp/ACME:alice?secret=" + rfcSecret + "&issuer=ACME&digits=8"
	if code, _, errOut := run(t, "add", home, uri); code != ExitOK {
		t.Fatalf("add: %d %q", code, errOut)
	}
	out := filepath.Join(t.TempDir(), "alice.png")
	code, _, errOut := run(t, "qr", home, "alice", out)
	if code != ExitOK || !strings.Contains(errOut, "secret") {
		t.Fatalf("qr: exit %d stderr %q", code, errOut)
	}
	if st, err := os.Stat(out); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("qr output: %v, mode %v (want 0600: it holds a secret)", err, st.Mode())
	}

	code, stdout, _ := run(t, "scan", "--json", out)
	var got []scanJSON
	if err := json.Unmarshal([]byte(stdout), &got); err != nil || code != ExitOK || len(got) != 1 || got[0].Source != out {
		t.Fatalf("scan --json: exit %d, %q, %v", code, stdout, err)
	}
	if !strings.HasPrefix(got[0].Text, "otpauth://totp/ACME:alice?") || !strings.Contains(got[0].Text, "secret="+rfcSecret) {
		t.Errorf("scanned %q", got[0].Text)
	}

	if code, stdout, _ := run(t, "scan", "--add", other, out); code != ExitOK || stdout != "added ACME:alice\n" {
		t.Fatalf("scan --add: exit %d stdout %q", code, stdout)
	}
	if code, stdout, _ := run(t, "code", other, "--at", "59", "alice"); code != ExitOK || !strings.HasPrefix(stdout, "94287082\t") {
		t.Errorf("code of the scanned account: exit %d stdout %q", code, stdout)
	}
}

func TestScanExitCodes(t *testing.T) {
	dir := t.TempDir()
	blank := filepath.Join(dir, "blank.png")
	img := image.NewGray(image.Rect(0, 0, 200, 200))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	img.Set(10, 10, color.Black)
	f, err := os.Create(blank)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	f.Close()
	notImage := filepath.Join(dir, "notes.png")
	if err := os.WriteFile(notImage, []byte("not an image at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"no code in the image", []string{"scan", blank}, ExitFailed},
		{"not an image", []string{"scan", notImage}, ExitUsage},
		{"missing file", []string{"scan", filepath.Join(dir, "absent.png")}, ExitUsage},
		{"no source", []string{"scan"}, ExitUsage},
		{"screen and files", []string{"scan", "--screen", blank}, ExitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, errOut := run(t, tt.args...)
			if code != tt.want || stdout != "" || !strings.HasPrefix(errOut, "gatekey: ") {
				t.Errorf("exit %d (want %d), stdout %q, stderr %q", code, tt.want, stdout, errOut)
			}
		})
	}
}
