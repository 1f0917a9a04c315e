package vault

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatekey/gatekey/internal/testenv"
)

// keychainHolds reports whether the OS keychain holds the vault's key.
func keychainHolds(t *testing.T, v *Vault) bool {
	t.Helper()
	key, err := keychainGet(SystemKeychain{}, v.file.header.id)
	if err != nil && !errors.Is(err, ErrNotInKeychain) {
		t.Fatal(err)
	}
	return err == nil && bytes.Equal(key, v.key)
}

func recordedMode(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := parseFile(data)
	if err != nil {
		t.Fatal(err)
	}
	if f.header.mode == 0 {
		return ""
	}
	return f.header.mode.String()
}

// Switching to password mode needs a password slot and the password that
// opens it, and takes the key out of the real keychain; a refused switch
// changes nothing.
func TestSwitchToPasswordMode(t *testing.T) {
	v := createTestVault(t, "")
	path := v.Path()
	if m := v.UnlockMode(); m != UnlockKeychain || recordedMode(t, path) != "keychain" {
		t.Fatalf("a vault made without a password: mode %v, recorded %q", m, recordedMode(t, path))
	}
	if err := v.SetUnlockMode(UnlockPassword, []byte("pw")); !errors.Is(err, ErrLastKey) {
		t.Fatalf("password mode without a password slot: %v, want ErrLastKey", err)
	}
	if err := v.SetPassword([]byte("pw")); err != nil {
		t.Fatal(err)
	}
	if v.UnlockMode() != UnlockKeychain {
		t.Fatal("SetPassword changed the mode")
	}
	for _, pw := range []string{"", "wrong"} {
		if err := v.RemoveKeyFromKeychain([]byte(pw)); !errors.Is(err, ErrWrongPassword) && !errors.Is(err, ErrPasswordRequired) {
			t.Fatalf("RemoveKeyFromKeychain(%q): %v", pw, err)
		}
		if !keychainHolds(t, v) || v.UnlockMode() != UnlockKeychain {
			t.Fatalf("a refused switch (password %q) changed something", pw)
		}
	}
	if err := v.RemoveKeyFromKeychain([]byte("pw")); err != nil {
		t.Fatal(err)
	}
	if keychainHolds(t, v) || v.UnlockMode() != UnlockPassword || recordedMode(t, path) != "password" {
		t.Fatalf("after the switch: key in keychain %v, mode %v, recorded %q", keychainHolds(t, v), v.UnlockMode(), recordedMode(t, path))
	}
}

// passwordModeVault makes a vault in password mode (password "pw") whose
// key, as on a machine where another one made the switch and the file was
// synced, is still filed in the real keychain.
func passwordModeVault(t *testing.T) *Vault {
	t.Helper()
	v := createTestVault(t, "pw")
	if v.UnlockMode() != UnlockPassword {
		t.Fatalf("mode %v", v.UnlockMode())
	}
	if err := keychainSet(SystemKeychain{}, v.file.header.id, v.key); err != nil {
		t.Fatal(err)
	}
	return v
}

// In password mode, opening and unlocking never ask the keychain, even
// when a copy of the key is filed there, and never put the key back.
func TestPasswordModeNeverAsksTheKeychain(t *testing.T) {
	v := passwordModeVault(t)
	path := v.Path()
	rec := &recordingKeychain{Keychain: SystemKeychain{}}
	_, err := Open(path, OpenOptions{Keychain: rec})
	mustFileError(t, err, path, ErrPasswordRequired)
	w, err := Open(path, OpenOptions{Keychain: rec, Password: []byte("pw")})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Lock(); err != nil {
		t.Fatal(err)
	}
	if err := w.UnlockWithKeychain(); !errors.Is(err, ErrPasswordRequired) {
		t.Fatalf("UnlockWithKeychain in password mode: %v", err)
	}
	if err := w.Unlock([]byte("pw")); err != nil {
		t.Fatal(err)
	}
	if rec.calls() != 0 {
		t.Fatalf("password mode asked the keychain %d times (get %d, set %d, delete %d)", rec.calls(), rec.gets, rec.sets, rec.deletes)
	}
	if in := w.Info(); in.Mode != UnlockPassword || in.Keychain != KeychainNotUsed {
		t.Fatalf("Info: mode %v, keychain %v", in.Mode, in.Keychain)
	}
}

// Switching to password mode again removes a copy of the key left in the
// keychain; switching back stores it.
func TestSwitchingAgainRemovesALeftCopy(t *testing.T) {
	v := passwordModeVault(t)
	if err := v.SetUnlockMode(UnlockPassword, []byte("pw")); err != nil {
		t.Fatal(err)
	}
	if keychainHolds(t, v) {
		t.Fatal("the copy left in the keychain was not removed")
	}
	if err := v.StoreKeyInKeychain(); err != nil {
		t.Fatal(err)
	}
	if !keychainHolds(t, v) || recordedMode(t, v.Path()) != "keychain" {
		t.Fatal("StoreKeyInKeychain did not store the key and record keychain mode")
	}
	if _, err := Open(v.Path(), OpenOptions{}); err != nil {
		t.Fatalf("keychain mode opens without a password: %v", err)
	}
}

// In keychain mode, a key that disappeared from the keychain makes the
// vault ask for its password; opening with it does not put the key back.
func TestKeychainEntryDisappears(t *testing.T) {
	v := createTestVault(t, "pw")
	if err := v.StoreKeyInKeychain(); err != nil {
		t.Fatal(err)
	}
	if err := keychainDelete(SystemKeychain{}, v.file.header.id); err != nil {
		t.Fatal(err)
	}
	_, err := Open(v.Path(), OpenOptions{})
	mustFileError(t, err, v.Path(), ErrPasswordRequired)
	if !errors.Is(err, ErrNotInKeychain) {
		t.Errorf("%v does not say the key is not in the keychain", err)
	}
	w, err := Open(v.Path(), OpenOptions{Password: []byte("pw")})
	if err != nil {
		t.Fatal(err)
	}
	if keychainHolds(t, w) {
		t.Fatal("opening with the password put the key back into the keychain")
	}
	if in := w.Info(); in.Mode != UnlockKeychain || in.Keychain != KeychainMissingKey {
		t.Fatalf("Info: mode %v, keychain %v; want keychain mode with the key missing", in.Mode, in.Keychain)
	}
}

// Create picks password mode when given a password: the key never
// reaches the keychain.
func TestCreateDefaultsToPasswordModeWithAPassword(t *testing.T) {
	testenv.SecretService(t)
	rec := &recordingKeychain{Keychain: SystemKeychain{}}
	path := filepath.Join(t.TempDir(), "vault.json")
	v, err := Create(path, CreateOptions{Password: []byte("pw"), Keychain: rec})
	if err != nil {
		t.Fatal(err)
	}
	forgetKeyAtCleanup(t, v)
	if v.UnlockMode() != UnlockPassword || rec.calls() != 0 || recordedMode(t, path) != "password" {
		t.Fatalf("mode %v, %d keychain calls, recorded %q", v.UnlockMode(), rec.calls(), recordedMode(t, path))
	}
	if _, err := Create(filepath.Join(t.TempDir(), "v.json"), CreateOptions{Mode: UnlockPassword, Keychain: rec}); !errors.Is(err, ErrLastKey) {
		t.Fatalf("password mode without a password: %v", err)
	}
}

// Files without a record (an older Gatekey, Aegis) keep working as they
// did: the keychain opens the one whose key it holds; one that only has a
// password slot is in password mode.
func TestUnrecordedMode(t *testing.T) {
	v := createTestVault(t, "pw")
	if err := v.StoreKeyInKeychain(); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(v.Path())
	legacy := bytes.Replace(data, []byte(`,
        "gatekey_unlock": "keychain"`), nil, 1)
	if bytes.Equal(legacy, data) {
		t.Fatal("no record to remove")
	}
	if err := os.WriteFile(v.Path(), legacy, 0o600); err != nil {
		t.Fatal(err)
	}
	w, err := Open(v.Path(), OpenOptions{})
	if err != nil || w.UnlockMode() != UnlockKeychain {
		t.Fatalf("legacy file with its key in the keychain: %v, mode %v", err, w.UnlockMode())
	}
	aegis := filepath.Join(t.TempDir(), "aegis.json")
	writeForeignVault(t, aegis)
	a, err := Open(aegis, OpenOptions{Password: []byte("pw")})
	if err != nil || a.UnlockMode() != UnlockPassword {
		t.Fatalf("Aegis file: %v, mode %v", err, a.UnlockMode())
	}
	if !strings.Contains(string(legacy), `"gatekey_id"`) {
		t.Fatal("the legacy file lost its id")
	}
}

// A file rewritten by another app without the record (Aegis drops header
// fields it does not know) does not lose the mode when merged: the next
// save records it again.
func TestMergeKeepsTheMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vault.json")
	kc := &memKeychain{}
	v, err := Create(path, CreateOptions{Password: []byte("pw"), Keychain: kc})
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Save(); err != nil {
		t.Fatal(err)
	}
	other, err := Open(path, OpenOptions{Password: []byte("pw"), Keychain: kc})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Add(testAccount(1)); err != nil {
		t.Fatal(err)
	}
	if err := other.Save(); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	stripped := bytes.Replace(data, []byte(`,
        "gatekey_unlock": "password"`), nil, 1)
	if bytes.Equal(stripped, data) {
		t.Fatal("no record to strip")
	}
	if err := os.WriteFile(path, stripped, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Add(testAccount(2)); err != nil {
		t.Fatal(err)
	}
	if err := v.Save(); err != nil {
		t.Fatal(err)
	}
	if v.UnlockMode() != UnlockPassword || recordedMode(t, path) != "password" {
		t.Fatalf("after the merge: mode %v, recorded %q", v.UnlockMode(), recordedMode(t, path))
	}
	if n := len(v.Accounts()); n != 2 {
		t.Fatalf("%d accounts after the merge, want 2", n)
	}
}
