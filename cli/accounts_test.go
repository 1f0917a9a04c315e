package cli

import (
	"bytes"
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

// A vault created with a password is in password mode: every command
// needs the password, the keychain holds nothing; 'vault mode keychain'
// lets it open without, and 'vault mode password' (or 'vault lock') takes
// the key out again after checking the password.
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
	if code, _, errOut := run(t, "vault", "init", h, "--password-file", pwFile); code != ExitOK || !strings.Contains(errOut, "password mode") {
		t.Fatalf("vault init: exit %d stderr %q", code, errOut)
	}
	if code, out, _ := run(t, "vault", "mode", h, "--password-file", pwFile); code != ExitOK || out != "password\n" {
		t.Fatalf("vault mode after init with a password: exit %d %q", code, out)
	}
	if code, _, errOut := run(t, "add", h, "otpauth://totp/A:b?secret="+rfcSecret); code != ExitUsage || !strings.Contains(errOut, "password") {
		t.Fatalf("add in password mode without the password: exit %d stderr %q", code, errOut)
	}
	if code, _, _ := run(t, "add", h, "--password-file", pwFile, "otpauth://totp/A:b?secret="+rfcSecret); code != ExitOK {
		t.Fatal("add with the password failed")
	}
	code, out, _ := run(t, "vault", "info", "--json", h, "--password-file", pwFile)
	var info vaultInfoJSON
	if err := json.Unmarshal([]byte(out), &info); err != nil || code != ExitOK || info.PasswordSlots != 1 || info.Accounts != 1 || info.Mode != "password" {
		t.Fatalf("vault info: %d %q %v", code, out, err)
	}
	if code, _, errOut := run(t, "code", h, "--password-file", wrongFile, "A"); code != ExitFailed || !strings.Contains(errOut, "wrong password") {
		t.Errorf("wrong password: exit %d stderr %q", code, errOut)
	}
	if code, _, errOut := run(t, "vault", "mode", "keychain", h, "--password-file", pwFile); code != ExitOK {
		t.Fatalf("vault mode keychain: exit %d stderr %q", code, errOut)
	}
	if code, _, errOut := run(t, "code", h, "A"); code != ExitOK {
		t.Errorf("code in keychain mode: exit %d stderr %q", code, errOut)
	}
	// Taking the key out of the keychain checks the password first, so
	// nobody locks themselves out.
	if code, _, errOut := run(t, "vault", "lock", h, "--password-file", wrongFile); code != ExitFailed || !strings.Contains(errOut, "wrong password") {
		t.Errorf("vault lock with a wrong password: exit %d stderr %q", code, errOut)
	}
	if code, _, errOut := run(t, "code", h, "A"); code != ExitOK {
		t.Errorf("a refused lock changed the mode: exit %d stderr %q", code, errOut)
	}
	if code, _, errOut := run(t, "vault", "lock", h, "--password-file", pwFile); code != ExitOK {
		t.Fatalf("vault lock: exit %d stderr %q", code, errOut)
	}
	if code, _, errOut := run(t, "code", h, "A"); code != ExitUsage || !strings.Contains(errOut, "password") {
		t.Errorf("code after vault lock without a password: exit %d stderr %q", code, errOut)
	}
	if code, _, errOut := run(t, "code", h, "--password-file", pwFile, "A"); code != ExitOK {
		t.Errorf("right password: exit %d stderr %q", code, errOut)
	}
}

// vault passwd works from scripts: --password-file is the current password
// and --new-password-file the new one; --new-key changes the master key
// too, after which a copy of the vault made before no longer opens with
// the old password.
func TestVaultPasswdFromScripts(t *testing.T) {
	testenv.SecretService(t)
	home := t.TempDir()
	h := "--home=" + home
	old, next := passwordFile(t, "old password"), passwordFile(t, "new password")
	if code, _, errOut := run(t, "vault", "init", h, "--password-file", old); code != ExitOK {
		t.Fatalf("init: %q", errOut)
	}
	before, err := os.ReadFile(filepath.Join(home, "vault.json"))
	if err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := run(t, "vault", "passwd", h, "--password-file", next, "--new-password-file", next); code != ExitFailed || !strings.Contains(errOut, "wrong password") {
		t.Errorf("passwd with a wrong current password: exit %d stderr %q", code, errOut)
	}
	code, out, errOut := run(t, "vault", "passwd", "--new-key", h, "--password-file", old, "--new-password-file", next)
	if code != ExitOK || !strings.Contains(out, "password set") || !strings.Contains(errOut, "master key changed") {
		t.Fatalf("passwd --new-key: exit %d stdout %q stderr %q", code, out, errOut)
	}
	if code, _, _ := run(t, "list", h, "--password-file", old); code != ExitFailed {
		t.Errorf("the old password still opens the vault: exit %d", code)
	}
	if code, _, errOut := run(t, "list", h, "--password-file", next); code != ExitOK {
		t.Errorf("the new password does not open the vault: %q", errOut)
	}
	bak, err := os.ReadFile(filepath.Join(home, "vault.json.bak"))
	if err != nil {
		t.Fatal(err)
	}
	copyHome := t.TempDir()
	os.WriteFile(filepath.Join(copyHome, "vault.json"), bak, 0o600)
	if code, _, _ := run(t, "list", "--home="+copyHome, "--password-file", old); code == ExitOK {
		t.Error("vault.json.bak still opens with the old password")
	}

	// A slot that asks for an absurd scrypt cost is bad input, named as
	// such, not a wrong password.
	costly := bytes.Replace(before, []byte(`"n": 32768`), []byte(`"n": 1099511627776`), 1)
	if bytes.Equal(costly, before) {
		t.Fatalf("the test vault's slot has no \"n\": 32768 to change:\n%.400s", before)
	}
	costlyHome := t.TempDir()
	os.WriteFile(filepath.Join(costlyHome, "vault.json"), costly, 0o600)
	code, _, errOut = run(t, "list", "--home="+costlyHome, "--password-file", old)
	if code != ExitUsage || !strings.Contains(errOut, "N=2^40") || strings.Contains(errOut, "wrong password") {
		t.Errorf("a vault asking for scrypt N=2^40: exit %d stderr %q", code, errOut)
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
