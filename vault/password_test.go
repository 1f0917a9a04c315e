package vault

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/scrypt"
)

// After a password change, vault.json.bak no longer opens with the old
// password: it holds the previous accounts under the new slots.
func TestSetPasswordRewritesBackup(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vault.json")
	kc := &memKeychain{}
	v, err := Create(path, CreateOptions{Password: []byte("first"), Keychain: kc})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if _, err := v.Add(testAccount(i)); err != nil {
			t.Fatal(err)
		}
		if err := v.Save(); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Open(path+".bak", OpenOptions{Password: []byte("first"), Keychain: kc}); err != nil {
		t.Fatalf("the backup before the change: %v", err)
	}
	if _, err := v.Add(testAccount(2)); err != nil { // saved with the new password
		t.Fatal(err)
	}
	if err := v.SetPassword([]byte("second")); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{path, path + ".bak"} {
		_, err := Open(name, OpenOptions{Password: []byte("first"), Keychain: kc})
		mustFileError(t, err, name, ErrWrongPassword)
	}
	bak, err := Open(path+".bak", OpenOptions{Password: []byte("second"), Keychain: kc})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(bak.Accounts()); n != 2 {
		t.Fatalf("the backup holds %d accounts, want the previous version's 2", n)
	}
	if cur, _ := Open(path, OpenOptions{Password: []byte("second"), Keychain: kc}); len(cur.Accounts()) != 3 {
		t.Fatal("the vault lost the change saved with the password")
	}
}

// masterKeyOf unwraps a file's master key with a password, following
// formats.md §4 without the package, as someone holding an old copy of the
// file and its old password would.
func masterKeyOf(t *testing.T, data []byte, password string) []byte {
	t.Helper()
	var file struct {
		Header struct {
			Slots []struct {
				Type      int
				Key       string
				KeyParams struct{ Nonce, Tag string } `json:"key_params"`
				N, R, P   int
				Salt      string
			}
		}
	}
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	for _, s := range file.Header.Slots {
		if s.Type != 1 {
			continue
		}
		salt, _ := hex.DecodeString(s.Salt)
		kek, err := scrypt.Key([]byte(password), salt, s.N, s.R, s.P, 32)
		if err != nil {
			t.Fatal(err)
		}
		if key, err := openSealed(kek, s.KeyParams.Nonce, s.Key, s.KeyParams.Tag); err == nil {
			return key
		}
	}
	t.Fatal("no slot opens with the password")
	return nil
}

func openSealed(key []byte, nonceHex, ctHex, tagHex string) ([]byte, error) {
	nonce, _ := hex.DecodeString(nonceHex)
	ct, _ := hex.DecodeString(ctHex)
	tag, _ := hex.DecodeString(tagHex)
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, _ := cipher.NewGCM(block)
	return aead.Open(nil, nonce, append(ct, tag...), nil)
}

// decryptsWith reports whether key decrypts the db of the file at path.
func decryptsWith(t *testing.T, path string, key []byte) bool {
	t.Helper()
	data, _ := os.ReadFile(path)
	var file struct {
		Header struct{ Params struct{ Nonce, Tag string } }
		DB     string
	}
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	ct, _ := base64.StdEncoding.DecodeString(file.DB)
	_, err := openSealed(key, file.Header.Params.Nonce, hex.EncodeToString(ct), file.Header.Params.Tag)
	return err == nil
}

// ChangePassword rotates the master key: an old copy of the file and the
// old password give a key that opens nothing current, the keychain holds
// the new key, other apps' slots are dropped and counted, and the backup
// follows.
func TestChangePasswordRotatesTheKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vault.json")
	writeForeignVault(t, path) // password "pw" and an Aegis fingerprint slot
	kc := &memKeychain{}
	v, err := Open(path, OpenOptions{Password: []byte("pw"), Keychain: kc})
	if err != nil {
		t.Fatal(err)
	}
	if err := v.StoreKeyInKeychain(); err != nil {
		t.Fatal(err)
	}
	oldCopy, _ := os.ReadFile(path)
	oldID := v.file.header.id
	a := v.Accounts()[0]
	a.Note = "pending"
	if err := v.Update(a); err != nil {
		t.Fatal(err)
	}
	if _, err := v.ChangePassword([]byte("wrong"), []byte("new")); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("ChangePassword with a wrong current password: %v", err)
	}
	res, err := v.ChangePassword([]byte("pw"), []byte("new"))
	if err != nil {
		t.Fatal(err)
	}
	if res.DroppedSlots != 1 || !res.KeychainUpdated {
		t.Fatalf("result %+v, want 1 dropped slot and the keychain updated", res)
	}
	onlyNewPasswordOpens(t, path, masterKeyOf(t, oldCopy, "pw"))
	w, err := Open(path, OpenOptions{Keychain: kc})
	if err != nil {
		t.Fatalf("keychain mode after the change: %v", err)
	}
	if got := w.Accounts()[0].Note; got != "pending" {
		t.Errorf("the pending change was lost: note %q", got)
	}
	if in := w.Info(); in.OtherSlots != 0 || in.PasswordSlots != 1 {
		t.Errorf("slots after the change: %+v", in)
	}
	if _, err := keychainGet(kc, oldID); !errors.Is(err, ErrNotInKeychain) {
		t.Errorf("the old key is still in the keychain: %v", err)
	}
	data, _ := os.ReadFile(path)
	if !strings.Contains(string(data), `"future_header"`) || !strings.Contains(string(data), `"future_top"`) {
		t.Error("the change lost fields Gatekey does not know")
	}
	noTemporaryFiles(t, filepath.Dir(path))
}

// onlyNewPasswordOpens checks that neither the vault nor its backup
// decrypts with the old master key or opens with the old password, and
// that both open with the new one.
func onlyNewPasswordOpens(t *testing.T, path string, oldKey []byte) {
	t.Helper()
	for _, name := range []string{path, path + ".bak"} {
		if decryptsWith(t, name, oldKey) {
			t.Errorf("%s still decrypts with the old master key", filepath.Base(name))
		}
		_, err := Open(name, OpenOptions{Password: []byte("pw"), Keychain: &memKeychain{}})
		mustFileError(t, err, name, ErrWrongPassword)
		if _, err := Open(name, OpenOptions{Password: []byte("new"), Keychain: &memKeychain{}}); err != nil {
			t.Errorf("%s with the new password: %v", filepath.Base(name), err)
		}
	}
}

func noTemporaryFiles(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}

// In password mode a password change leaves the keychain alone; a vault
// without a password gets its first one without being asked for another.
func TestChangePasswordInEachMode(t *testing.T) {
	rec := &recordingKeychain{Keychain: &memKeychain{}}
	path := filepath.Join(t.TempDir(), "vault.json")
	v, err := Create(path, CreateOptions{Password: []byte("pw"), Keychain: rec})
	if err != nil {
		t.Fatal(err)
	}
	if res, err := v.ChangePassword([]byte("pw"), []byte("new")); err != nil || res.KeychainUpdated || res.DroppedSlots != 0 {
		t.Fatalf("password mode: %+v, %v", res, err)
	}
	if rec.calls() != 0 {
		t.Fatalf("a password change in password mode asked the keychain %d times", rec.calls())
	}
	kc := &memKeychain{}
	w, err := Create(filepath.Join(t.TempDir(), "vault.json"), CreateOptions{Keychain: kc})
	if err != nil {
		t.Fatal(err)
	}
	if res, err := w.ChangePassword(nil, []byte("first")); err != nil || !res.KeychainUpdated {
		t.Fatalf("first password of a keychain vault: %+v, %v", res, err)
	}
	if _, err := Open(w.Path(), OpenOptions{Keychain: kc}); err != nil {
		t.Fatalf("the keychain no longer opens the vault: %v", err)
	}
	if len(kc.items) != 1 {
		t.Fatalf("%d keychain items, want the new key's alone", len(kc.items))
	}
}
