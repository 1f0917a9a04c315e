package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatekey/gatekey/internal/testenv"
)

// RFC 6238's SHA-1 seed "12345678901234567890" in Base32.
const rfcSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

func TestCodeFromURINeedsNoVault(t *testing.T) {
	home := t.TempDir()
	t.Setenv("GATEKEY_HOME", home)
	uri := "otpauth://totp/ACME:alice?secret=" + rfcSecret + "&digits=8"
	code, out, errOut := run(t, "code", "--at", "59", uri)
	if code != ExitOK || out != "94287082\n" || errOut != "" {
		t.Fatalf("code %d stdout %q stderr %q", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(home, "vault.json")); !os.IsNotExist(err) {
		t.Errorf("code with a URI created or touched a vault: %v", err)
	}
	code, out, _ = run(t, "code", "--json", "--at", "1111111109", uri)
	var got []codeJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil || code != ExitOK {
		t.Fatalf("code --json: %d %q %v", code, out, err)
	}
	if len(got) != 1 || got[0].Code != "07081804" || got[0].Remaining == nil || *got[0].Remaining != 1 || got[0].UUID != "" {
		t.Errorf("code --json = %+v", got)
	}
	if code, _, errOut := run(t, "code", "otpauth://totp/x?secret=!!!"); code != ExitUsage || !strings.HasPrefix(errOut, "gatekey: ") {
		t.Errorf("bad URI: exit %d, stderr %q", code, errOut)
	}
}

func TestAccountsLifecycle(t *testing.T) {
	testenv.SecretService(t)
	home := t.TempDir()
	h := "--home=" + home

	if code, _, errOut := run(t, "list", h); code != ExitFailed || !strings.Contains(errOut, "no vault") {
		t.Fatalf("list before any vault: exit %d, stderr %q", code, errOut)
	}
	code, out, errOut := run(t, "add", h, "otpauth://totp/ACME%20Co:alice@example.com?secret="+rfcSecret+"&issuer=ACME+Co&digits=8")
	if code != ExitOK || out != "added ACME Co:alice@example.com\n" || errOut != "" {
		t.Fatalf("add URI: exit %d stdout %q stderr %q", code, out, errOut)
	}
	if code, _, errOut := run(t, "add", h, "otpauth://totp/ACME%20Co:alice@example.com?secret="+rfcSecret+"&issuer=ACME+Co&digits=8"); code != ExitFailed || !strings.Contains(errOut, "already in the vault") {
		t.Errorf("adding it twice: exit %d stderr %q", code, errOut)
	}
	code, _, errOut = run(t, "add", h, "--issuer", "Example", "--name", "bob", "--secret", "jbsw y3dp ehpk 3pxp", "--type", "hotp", "--counter", "0")
	if code != ExitOK {
		t.Fatalf("add with flags: exit %d stderr %q", code, errOut)
	}
	if code, _, _ := run(t, "add", h, "--issuer", "X", "--name", "y", "--secret", "not base32!"); code != ExitUsage {
		t.Errorf("add with a bad secret: exit %d, want 2", code)
	}

	code, out, _ = run(t, "list", "--json", h)
	var list []listJSON
	if err := json.Unmarshal([]byte(out), &list); err != nil || code != ExitOK {
		t.Fatalf("list --json: %d %q %v", code, out, err)
	}
	if len(list) != 2 || list[0].Issuer != "ACME Co" || list[0].Period == nil || *list[0].Period != 30 ||
		list[1].Type != "hotp" || list[1].Counter == nil || *list[1].Counter != 0 || list[0].UUID == "" {
		t.Fatalf("list --json = %s", out)
	}
	if strings.Contains(out, rfcSecret) || strings.Contains(out, "secret") {
		t.Errorf("list shows secrets: %s", out)
	}

	if code, out, _ := run(t, "code", h, "--at", "59", "acme"); code != ExitOK || out != "94287082\tACME Co:alice@example.com\n" {
		t.Errorf("code acme: exit %d stdout %q", code, out)
	}
	// HOTP "JBSWY3DPEHPK3PXP": counter 1 gives 996554, 2 gives 602287.
	if code, out, _ := run(t, "next", h, "bob"); code != ExitOK || out != "996554\n" {
		t.Errorf("next bob: exit %d stdout %q", code, out)
	}
	if code, out, _ := run(t, "next", h, "bob"); code != ExitOK || out != "602287\n" {
		t.Errorf("next bob again: exit %d stdout %q", code, out)
	}
	if code, _, errOut := run(t, "next", h, "e"); code != ExitFailed || !strings.Contains(errOut, "several") {
		t.Errorf("ambiguous next: exit %d stderr %q", code, errOut)
	}
	if code, _, _ := run(t, "rm", h, "bob"); code != ExitUsage {
		t.Errorf("rm without --yes off a terminal: exit %d, want 2", code)
	}
	if code, out, _ := run(t, "rm", "--yes", h, "bob"); code != ExitOK || out != "removed Example:bob\n" {
		t.Errorf("rm --yes bob: exit %d stdout %q", code, out)
	}
	if code, _, _ := run(t, "code", h, "bob"); code != ExitFailed {
		t.Errorf("code for a removed account: exit %d, want 1", code)
	}
}

// A vault with a password opens without it through the keychain; once its
// key leaves the keychain it needs the password, from --password-file.
func TestVaultPasswordAndKeychain(t *testing.T) {
	testenv.SecretService(t)
	home := t.TempDir()
	h := "--home=" + home
	pwFile := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(pwFile, []byte("correct horse\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	wrongFile := filepath.Join(t.TempDir(), "wrong")
	if err := os.WriteFile(wrongFile, []byte("battery staple\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := run(t, "vault", "init", h, "--password-file", pwFile); code != ExitOK {
		t.Fatalf("vault init: exit %d stderr %q", code, errOut)
	}
	if code, _, _ := run(t, "add", h, "otpauth://totp/A:b?secret="+rfcSecret); code != ExitOK {
		t.Fatal("add failed")
	}
	code, out, _ := run(t, "vault", "info", "--json", h)
	var info vaultInfoJSON
	if err := json.Unmarshal([]byte(out), &info); err != nil || code != ExitOK || info.PasswordSlots != 1 || info.Accounts != 1 || info.Keychain != "key in keychain" {
		t.Fatalf("vault info: %d %q %v", code, out, err)
	}
	if code, _, errOut := run(t, "vault", "lock", h); code != ExitOK {
		t.Fatalf("vault lock: exit %d stderr %q", code, errOut)
	}
	if code, _, errOut := run(t, "code", h, "A"); code != ExitUsage || !strings.Contains(errOut, "password") {
		t.Errorf("code on a locked vault without a password: exit %d stderr %q", code, errOut)
	}
	if code, _, errOut := run(t, "code", h, "--password-file", wrongFile, "A"); code != ExitFailed || !strings.Contains(errOut, "wrong password") {
		t.Errorf("wrong password: exit %d stderr %q", code, errOut)
	}
	if code, _, errOut := run(t, "code", h, "--password-file", pwFile, "A"); code != ExitOK {
		t.Errorf("right password: exit %d stderr %q", code, errOut)
	}
	if code, _, errOut := run(t, "vault", "unlock", h, "--password-file", pwFile); code != ExitOK {
		t.Fatalf("vault unlock: exit %d stderr %q", code, errOut)
	}
	if code, _, errOut := run(t, "code", h, "A"); code != ExitOK {
		t.Errorf("code after unlock: exit %d stderr %q", code, errOut)
	}
}

// --at 0 is the Unix epoch, not "now": an unset flag is told apart from 0.
// RFC 4226 (appendix D) gives 1284755224 as the truncated value at counter
// 0, so the 8-digit code is 84755224.
func TestCodeAtEpoch(t *testing.T) {
	t.Setenv("GATEKEY_HOME", t.TempDir())
	uri := "otpauth://totp/ACME:alice?secret=" + rfcSecret + "&digits=8"
	code, out, errOut := run(t, "code", "--at", "0", uri)
	if code != ExitOK || out != "84755224\n" {
		t.Fatalf("code --at 0: exit %d stdout %q stderr %q, want 84755224", code, out, errOut)
	}
	if code, _, _ := run(t, "code", "--at", "soon", uri); code != ExitUsage {
		t.Errorf("--at soon: exit %d, want %d", code, ExitUsage)
	}
}
