package vault

import (
	"bytes"
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
