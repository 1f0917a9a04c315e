package vault

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// Creating a vault where only an earlier vault's backup is left (the vault
// itself was deleted or moved) keeps that backup: the new vault's first
// save would otherwise replace the only copy of the earlier accounts.
func TestCreateKeepsAnEarlierBackup(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "vault.json")
	earlier := []byte(`the only copy of an earlier vault`)
	if err := os.WriteFile(path+".bak", earlier, 0o600); err != nil {
		t.Fatal(err)
	}
	v, err := Create(path, CreateOptions{Keychain: &memKeychain{}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 { // the first save makes a backup of the new vault
		if _, err := v.Add(testAccount(i)); err != nil {
			t.Fatal(err)
		}
		if err := v.Save(); err != nil {
			t.Fatal(err)
		}
	}
	kept := v.Info().KeptBackup
	if !regexp.MustCompile(`/vault\.json\.bak\.\d{8}T\d{6}Z$`).MatchString(filepath.ToSlash(kept)) {
		t.Fatalf("Info().KeptBackup = %q, want vault.json.bak.<UTC time>", kept)
	}
	if got, err := os.ReadFile(kept); err != nil || !bytes.Equal(got, earlier) {
		t.Fatalf("the earlier backup was not kept: %q %v", got, err)
	}
	if _, err := Open(path+".bak", OpenOptions{Keychain: v.kc}); err != nil {
		t.Fatalf("vault.json.bak is not the new vault's backup: %v", err)
	}
	// A second vault made over the same folder keeps its own earlier
	// backup under another name.
	os.Remove(path)
	w, err := Create(path, CreateOptions{Keychain: &memKeychain{}})
	if err != nil {
		t.Fatal(err)
	}
	if k := w.Info().KeptBackup; k == "" || k == kept {
		t.Fatalf("second Create kept %q, want a new name beside %q", k, kept)
	}
	if got, _ := os.ReadFile(kept); !bytes.Equal(got, earlier) {
		t.Fatal("the second Create replaced the first kept backup")
	}
	if in := v.Info(); in.KeptBackup == "" {
		t.Error("KeptBackup forgotten")
	}
}

// Installing a vault copied from elsewhere behaves as Create does: it
// opens first, never replaces a vault, and keeps an earlier backup.
func TestInstallKeepsAnEarlierBackup(t *testing.T) {
	src := filepath.Join(t.TempDir(), "from-phone.json")
	writeForeignVault(t, src)
	data, _ := os.ReadFile(src)
	path := filepath.Join(t.TempDir(), "gatekey", "vault.json")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	earlier := []byte("an earlier vault's backup")
	if err := os.WriteFile(path+".bak", earlier, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Install(path, data, OpenOptions{Password: []byte("wrong"), Keychain: &memKeychain{}}); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("Install with a wrong password: %v", err)
	}
	if _, err := os.Stat(path); err == nil {
		t.Fatal("a file that did not open was installed")
	}
	v, err := Install(path, data, OpenOptions{Password: []byte("pw"), Keychain: &memKeychain{}})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(v.Info().KeptBackup); !bytes.Equal(got, earlier) {
		t.Fatalf("the earlier backup was not kept (KeptBackup %q)", v.Info().KeptBackup)
	}
	if len(v.Accounts()) != 1 || v.UnlockMode() != UnlockPassword {
		t.Fatalf("installed vault: %d accounts, mode %v", len(v.Accounts()), v.UnlockMode())
	}
	if _, err := Install(path, data, OpenOptions{Password: []byte("pw"), Keychain: &memKeychain{}}); !errors.Is(err, ErrExists) {
		t.Fatalf("Install over a vault: %v", err)
	}
}
