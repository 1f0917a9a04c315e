package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatekey/gatekey/internal/testenv"
	"github.com/gatekey/gatekey/otp"
	"github.com/gatekey/gatekey/transfer"
)

type expectedEntry = testenv.InteropAccount

// bySecret indexes an accounts file's accounts by their secret.
func bySecret(list []expectedEntry) map[string]expectedEntry {
	m := map[string]expectedEntry{}
	for _, e := range list {
		m[e.Secret] = e
	}
	return m
}

// exportedAccounts reads back what a vault holds through a plain URI export.
func exportedAccounts(t *testing.T, home string) []otp.Account {
	t.Helper()
	out := filepath.Join(t.TempDir(), "accounts.txt")
	if code, _, errOut := run(t, "export", home, "--format", "uri", "--plain", out); code != ExitOK {
		t.Fatalf("export: exit %d stderr %q", code, errOut)
	}
	b, err := transfer.ReadFile(out, transfer.ReadOptions{Format: transfer.FormatURI})
	if err != nil {
		t.Fatal(err)
	}
	return b.Accounts
}

// Every interop file imports through `gatekey import` to exactly the
// accounts of expected.json it holds.
func TestImportInteropFiles(t *testing.T) {
	testenv.SecretService(t)
	files := map[string]int{ // how many of the seven accounts each app's file holds
		"aegis_plain.json": 7, "aegis_encrypted.json": 7,
		"2fas_authenticator_plain_v4.2fas": 5, "2fas_authenticator_encrypted_v4.2fas": 5,
		"plain.txt": 7, "ente_auth.txt": 7, "andotp_plain.json": 7,
		"freeotp_plus.json": 6, "proton_authenticator.json": 3, "bitwarden.json": 4,
	}
	// Bitwarden's Steam item carries its own labels, not Boeing:Sophia.
	importFiles(t, files, bySecret(testenv.InteropAccounts(t)), "bitwarden.json",
		func(t *testing.T, file string) string { return testenv.Shared(t, "interop", file) })
}

// Every sample file imports through `gatekey import` to exactly the
// accounts of accounts.json it holds.
func TestImportSampleFiles(t *testing.T) {
	testenv.SecretService(t)
	files := map[string]int{ // how many of the seven accounts each sample holds
		"aegis_plain.json": 7, "aegis_encrypted.json": 7, "2fas_plain.2fas": 5, "2fas_encrypted.2fas": 5,
		"uris.txt": 7, "ente.txt": 7, "andotp.json": 7, "freeotp_plus.json": 6, "proton.json": 3,
		"bitwarden.json": 4, "google_migration.txt": 3,
	}
	importFiles(t, files, bySecret(testenv.SampleAccounts(t)), "",
		func(t *testing.T, file string) string { return testenv.Testdata(t, "samples", file) })
}

// importFiles imports each file into an empty vault, compares what the
// vault then holds with the expected accounts, and imports it again to
// check that nothing is added twice. The Steam account of ownSteamLabels
// may carry labels of its own.
func importFiles(t *testing.T, files map[string]int, expected map[string]expectedEntry, ownSteamLabels string, path func(*testing.T, string) string) {
	pw := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(pw, []byte("test\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for file, want := range files {
		t.Run(file, func(t *testing.T) {
			home := "--home=" + t.TempDir()
			path := path(t, file)
			code, out, errOut := run(t, "import", home, "--password-file", pw, "--json", path)
			if code != ExitOK {
				t.Fatalf("import: exit %d stderr %q", code, errOut)
			}
			var report transfer.Report
			if err := json.Unmarshal([]byte(out), &report); err != nil || report.Imported != want {
				t.Fatalf("report %s (err %v), want %d imported", out, err, want)
			}
			got := exportedAccounts(t, home)
			if len(got) != want {
				t.Fatalf("the vault holds %d accounts, want %d", len(got), want)
			}
			for _, acc := range got {
				checkImported(t, acc, expected, file == ownSteamLabels)
			}
			// The same file again adds nothing.
			code, out, _ = run(t, "import", home, "--password-file", pw, "--json", path)
			if err := json.Unmarshal([]byte(out), &report); err != nil || code != ExitOK || report.Imported != 0 || report.Duplicates != want {
				t.Errorf("second import: exit %d report %s", code, out)
			}
		})
	}
}

// checkImported compares one imported account with the expected account
// of the same secret; ownSteamLabels lets a Steam account differ in labels.
func checkImported(t *testing.T, acc otp.Account, expected map[string]expectedEntry, ownSteamLabels bool) {
	t.Helper()
	e, ok := expected[otp.EncodeBase32(acc.Secret)]
	if !ok {
		t.Errorf("%s:%s has a secret that is not in the accounts file", acc.Issuer, acc.Name)
		return
	}
	sameLabels := acc.Issuer == e.Issuer && acc.Name == e.Name || ownSteamLabels && acc.Type == otp.Steam
	sameCounter := e.Type != "hotp" || acc.Counter == e.Counter
	samePeriod := e.Type == "hotp" || acc.Period == e.Period
	if !sameLabels || string(acc.Type) != e.Type || string(acc.Algorithm) != e.Algorithm || acc.Digits != e.Digits || !sameCounter || !samePeriod {
		t.Errorf("imported %+v, want %+v", acc, e)
	}
}

func TestImportDryRunAndErrors(t *testing.T) {
	testenv.SecretService(t)
	home := t.TempDir()
	path := testenv.Testdata(t, "samples", "uris.txt")
	code, out, _ := run(t, "import", "--home="+home, "--dry-run", path)
	if code != ExitOK || out != "would import 7, already present 0, skipped 0\n" {
		t.Errorf("dry run: exit %d stdout %q", code, out)
	}
	if _, err := os.Stat(filepath.Join(home, "vault.json")); !os.IsNotExist(err) {
		t.Errorf("a dry run created the vault")
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"version": 1, "header": {`), 0o600)
	if code, _, errOut := run(t, "import", "--home="+home, bad); code != ExitUsage || !strings.Contains(errOut, bad) {
		t.Errorf("a damaged file: exit %d stderr %q (should name the file)", code, errOut)
	}
	enc := testenv.Testdata(t, "samples", "aegis_encrypted.json")
	if code, _, errOut := run(t, "import", "--home="+home, enc); code != ExitUsage || !strings.Contains(errOut, "password") {
		t.Errorf("encrypted file off a terminal without a password: exit %d stderr %q", code, errOut)
	}
	wrong := filepath.Join(t.TempDir(), "wrong")
	os.WriteFile(wrong, []byte("nope\n"), 0o600)
	if code, _, errOut := run(t, "import", "--home="+home, "--password-file", wrong, enc); code != ExitFailed || !strings.Contains(errOut, "wrong password") {
		t.Errorf("wrong password: exit %d stderr %q", code, errOut)
	}
}

// checkReimport imports an export into an empty vault: it must give
// count accounts, each identical to one of want.
func checkReimport(t *testing.T, export, pw string, count int, want []otp.Account) {
	t.Helper()
	dst := "--home=" + t.TempDir()
	code, stdout, errOut := run(t, "import", dst, "--password-file", pw, "--json", export)
	var report transfer.Report
	if json.Unmarshal([]byte(stdout), &report) != nil || code != ExitOK || report.Imported != count {
		t.Fatalf("re-import: exit %d %q %q", code, stdout, errOut)
	}
	for _, acc := range exportedAccounts(t, dst) {
		found := false
		for _, w := range want {
			found = found || otp.FormatURI(w) == otp.FormatURI(acc)
		}
		if !found {
			t.Errorf("re-imported %s differs from the original", otp.FormatURI(acc))
		}
	}
}

// Each export format re-imports to the same accounts; unencrypted ones need
// --plain, and accounts a format cannot carry are named.
func TestExportRoundTrips(t *testing.T) {
	testenv.SecretService(t)
	src := "--home=" + t.TempDir()
	if code, _, errOut := run(t, "import", src, testenv.Testdata(t, "samples", "uris.txt")); code != ExitOK {
		t.Fatalf("import: %d %q", code, errOut)
	}
	want := exportedAccounts(t, src)
	pw := filepath.Join(t.TempDir(), "pw")
	os.WriteFile(pw, []byte("export password\n"), 0o600)
	dir := t.TempDir()

	if code, _, errOut := run(t, "export", src, "--format", "uri", filepath.Join(dir, "x.txt")); code != ExitUsage || !strings.Contains(errOut, "--plain") {
		t.Errorf("uri export without --plain: exit %d stderr %q", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "x.txt")); !os.IsNotExist(err) {
		t.Errorf("a refused export wrote a file")
	}

	cases := []struct {
		name, format string
		extra        []string
		reimport     int
	}{
		{"aegis encrypted", "aegis", []string{"--password-file", pw}, 7},
		{"aegis plain", "aegis", []string{"--plain"}, 7},
		{"uri", "uri", []string{"--plain"}, 7},
		{"google", "google", []string{"--plain"}, 3}, // Build Farm (7 digits), Café Crème (50 s), Blue Harbor (7 digits) and Steam cannot go
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-"))
			args := append([]string{"export", src, "--format", tt.format}, tt.extra...)
			code, _, errOut := run(t, append(args, out)...)
			if code != ExitOK {
				t.Fatalf("export: exit %d stderr %q", code, errOut)
			}
			if skipped := strings.Count(errOut, "not exported"); skipped != 7-tt.reimport {
				t.Errorf("%d accounts named as not exported, want %d:\n%s", skipped, 7-tt.reimport, errOut)
			}
			checkReimport(t, out, pw, tt.reimport, want)
		})
	}

	qrDir := filepath.Join(dir, "qr")
	code, stdout, errOut := run(t, "export", src, "--format", "google-qr", "--plain", qrDir)
	if code != ExitOK || strings.Count(stdout, ".png\n") != 1 {
		t.Fatalf("google-qr: exit %d stdout %q stderr %q", code, stdout, errOut)
	}
	code, stdout, _ = run(t, "scan", strings.TrimSpace(stdout))
	if code != ExitOK || !strings.HasPrefix(stdout, "otpauth-migration://offline?data=") {
		t.Errorf("scanning the exported QR: exit %d %q", code, stdout)
	}
}
