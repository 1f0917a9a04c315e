package vault

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gatekey/gatekey/otp"
	"github.com/google/go-cmp/cmp"
)

// A new vault opens again through the keychain alone, with its accounts.
func TestCreateOpenThroughKeychain(t *testing.T) {
	v := createTestVault(t, "")
	var want []otp.Account
	for i := range 4 {
		a := testAccount(i)
		if i == 2 {
			a.Groups = []string{"Work", "Home"}
			a.Favorite = true
			a.Note = "note"
			a.Icon, a.IconMime = []byte{0x89, 'P', 'N', 'G'}, "image/png"
		}
		id, err := v.Add(a)
		if err != nil {
			t.Fatal(err)
		}
		a.UUID = id
		want = append(want, a)
	}
	if err := v.Save(); err != nil {
		t.Fatal(err)
	}
	w, err := Open(v.Path(), OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, w.Accounts()); diff != "" {
		t.Errorf("accounts (-want +got):\n%s", diff)
	}
	if in := w.Info(); in.Keychain != KeychainHasKey || in.PasswordSlots != 0 || in.Accounts != 4 {
		t.Errorf("Info %+v", in)
	}
	if w.HasPassword() {
		t.Error("HasPassword on a vault created without one")
	}
	if got := w.Groups(); !cmp.Equal(got, []string{"Work", "Home"}) {
		t.Errorf("Groups %v", got)
	}
}

// Files and folders have private modes; Create never replaces a file.
func TestFileModesAndCreateRefusesExisting(t *testing.T) {
	v := createTestVault(t, "")
	if _, err := v.Add(testAccount(1)); err != nil {
		t.Fatal(err)
	}
	if err := v.Save(); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]os.FileMode{
		v.Path():               0o600,
		v.Path() + ".bak":      0o600,
		filepath.Dir(v.Path()): 0o700 | os.ModeDir,
	} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != want {
			t.Errorf("%s: mode %v, want %v", path, fi.Mode(), want)
		}
	}
	before, _ := os.ReadFile(v.Path())
	_, err := Create(v.Path(), CreateOptions{Keychain: &memKeychain{}})
	mustFileError(t, err, v.Path(), ErrExists)
	after, _ := os.ReadFile(v.Path())
	if !bytes.Equal(before, after) {
		t.Error("Create changed an existing file")
	}
}

// Each save keeps the previous file as vault.json.bak and uses a new nonce.
func TestSaveKeepsBackup(t *testing.T) {
	v := createTestVault(t, "")
	if _, err := v.Add(testAccount(1)); err != nil {
		t.Fatal(err)
	}
	if err := v.Save(); err != nil {
		t.Fatal(err)
	}
	first, _ := os.ReadFile(v.Path())
	if _, err := v.Add(testAccount(2)); err != nil {
		t.Fatal(err)
	}
	if err := v.Save(); err != nil {
		t.Fatal(err)
	}
	bak, err := os.ReadFile(v.Path() + ".bak")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(bak, first) {
		t.Error("vault.json.bak is not the previous file")
	}
	old, err := Open(v.Path()+".bak", OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(old.Accounts()) != 1 {
		t.Errorf("backup has %d accounts, want 1", len(old.Accounts()))
	}
	f1, _ := parseFile(first)
	cur, _ := os.ReadFile(v.Path())
	f2, _ := parseFile(cur)
	if bytes.Equal(f1.header.nonce, f2.header.nonce) {
		t.Error("two saves used the same nonce")
	}
}

// The password slot is added, changed and removed by re-wrapping the same
// master key: the vault opens with the current password only.
func TestPasswordLifecycle(t *testing.T) {
	v := createTestVault(t, "")
	if _, err := v.Add(testAccount(1)); err != nil {
		t.Fatal(err)
	}
	if err := v.SetPassword([]byte("first")); err != nil {
		t.Fatal(err)
	}
	if !v.HasPassword() {
		t.Fatal("HasPassword false after SetPassword")
	}
	// Forget the keychain key so that only the password opens it.
	if err := v.RemoveKeyFromKeychain([]byte("first")); err != nil {
		t.Fatal(err)
	}
	_, err := Open(v.Path(), OpenOptions{})
	mustFileError(t, err, v.Path(), ErrPasswordRequired)
	if !strings.Contains(err.Error(), "password only") {
		t.Errorf("%v does not say the vault unlocks with its password only", err)
	}
	w, err := Open(v.Path(), OpenOptions{Password: []byte("first")})
	if err != nil {
		t.Fatal(err)
	}
	if len(w.Accounts()) != 1 {
		t.Fatal("SetPassword did not save the pending account")
	}
	if err := w.SetPassword([]byte("second")); err != nil {
		t.Fatal(err)
	}
	_, err = Open(v.Path(), OpenOptions{Password: []byte("first")})
	mustFileError(t, err, v.Path(), ErrWrongPassword)
	if _, err := Open(v.Path(), OpenOptions{Password: []byte("second")}); err != nil {
		t.Fatal(err)
	}
	removePasswordNeedsTheKeychain(t, w)
}

// removePasswordNeedsTheKeychain removes the password of w, a vault in
// password mode: refused until the key is back in the keychain.
func removePasswordNeedsTheKeychain(t *testing.T, w *Vault) {
	t.Helper()
	if err := w.RemovePassword(); !errors.Is(err, ErrLastKey) {
		t.Fatalf("RemovePassword without keychain key: %v, want ErrLastKey", err)
	}
	if err := w.StoreKeyInKeychain(); err != nil {
		t.Fatal(err)
	}
	if err := w.RemovePassword(); err != nil {
		t.Fatal(err)
	}
	if w.HasPassword() {
		t.Fatal("HasPassword after RemovePassword")
	}
	_, err := Open(w.Path(), OpenOptions{Password: []byte("second"), Keychain: &memKeychain{}})
	mustFileError(t, err, w.Path(), ErrNotInKeychain)
	if err := w.RemoveKeyFromKeychain([]byte("second")); !errors.Is(err, ErrLastKey) {
		t.Fatalf("RemoveKeyFromKeychain without password: %v, want ErrLastKey", err)
	}
	if _, err := Open(w.Path(), OpenOptions{}); err != nil {
		t.Fatalf("keychain open after RemovePassword: %v", err)
	}
}

// Lock forgets the master key and zeroes every decrypted secret; Unlock
// brings them back with the password or the keychain.
func TestLockUnlock(t *testing.T) {
	v := createTestVault(t, "pw")
	if err := v.StoreKeyInKeychain(); err != nil { // keychain mode, password slot kept
		t.Fatal(err)
	}
	if _, err := v.Add(testAccount(1)); err != nil {
		t.Fatal(err)
	}
	if err := v.Save(); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Add(testAccount(2)); err != nil { // unsaved: Lock saves it
		t.Fatal(err)
	}
	key := v.key
	var secrets [][]byte
	for _, e := range v.cur.entries {
		secrets = append(secrets, e.acct.Secret)
	}
	if err := v.Lock(); err != nil {
		t.Fatal(err)
	}
	if !v.Locked() || v.Accounts() != nil {
		t.Fatal("vault still shows accounts after Lock")
	}
	for _, s := range append(secrets, key) {
		if !bytes.Equal(s, make([]byte, len(s))) {
			t.Fatal("a secret or the master key was not zeroed by Lock")
		}
	}
	refusesWhileLocked(t, v)
	unlocksBothWays(t, v)
}

// unlocksBothWays unlocks v, a locked keychain-mode vault with password
// "pw" and two accounts, with its password and then with the keychain.
func unlocksBothWays(t *testing.T, v *Vault) {
	t.Helper()
	if err := v.Unlock([]byte("wrong")); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("Unlock with a wrong password: %v", err)
	}
	if err := v.Unlock([]byte("pw")); err != nil {
		t.Fatal(err)
	}
	if n := len(v.Accounts()); n != 2 {
		t.Fatalf("%d accounts after Unlock, want 2", n)
	}
	if err := v.Lock(); err != nil {
		t.Fatal(err)
	}
	if err := v.UnlockWithKeychain(); err != nil {
		t.Fatal(err)
	}
	if n := len(v.Accounts()); n != 2 {
		t.Fatalf("%d accounts after UnlockWithKeychain, want 2", n)
	}
}

// refusesWhileLocked checks that a locked vault refuses what needs its
// secrets and still describes itself.
func refusesWhileLocked(t *testing.T, v *Vault) {
	t.Helper()
	if _, err := v.Find("x"); !errors.Is(err, ErrLocked) {
		t.Errorf("Find while locked: %v", err)
	}
	if _, err := v.Add(testAccount(3)); !errors.Is(err, ErrLocked) {
		t.Errorf("Add while locked: %v", err)
	}
	if err := v.Save(); !errors.Is(err, ErrLocked) {
		t.Errorf("Save while locked: %v", err)
	}
	if in := v.Info(); !in.Locked || in.PasswordSlots != 1 {
		t.Errorf("Info while locked: %+v", in)
	}
}

// Add, Update, Delete and Find keep copies, validate accounts and report
// unknown uuids.
func TestAccountEditing(t *testing.T) {
	v := createTestVault(t, "")
	a := testAccount(0)
	id, err := v.Add(a)
	if err != nil {
		t.Fatal(err)
	}
	a.Secret[0] ^= 0xff // the caller's slice is not the vault's
	got, err := v.Find(id)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(got.Secret, a.Secret) {
		t.Error("Add kept the caller's secret slice")
	}
	got.Secret[0] ^= 0xff
	again, _ := v.Find(id)
	if bytes.Equal(again.Secret, got.Secret) {
		t.Error("Find returned the vault's own secret slice")
	}
	again.Issuer = "Renamed"
	if err := v.Update(again); err != nil {
		t.Fatal(err)
	}
	if got, _ := v.Find(id); got.Issuer != "Renamed" {
		t.Error("Update lost")
	}
	if _, err := v.Add(again); !errors.Is(err, ErrDuplicate) {
		t.Errorf("Add of an existing uuid: %v", err)
	}
	if err := v.Update(testAccount(5)); !errors.Is(err, ErrNotFound) {
		t.Errorf("Update of an unknown uuid: %v", err)
	}
	for name, bad := range map[string]func(*otp.Account){
		"empty secret": func(a *otp.Account) { a.Secret = nil },
		"md5":          func(a *otp.Account) { a.Algorithm = "MD5" },
		"type":         func(a *otp.Account) { a.Type = "yandex" },
		"digits":       func(a *otp.Account) { a.Digits = 11 },
		"period":       func(a *otp.Account) { a.Period = 0 },
	} {
		b := testAccount(0)
		bad(&b)
		if _, err := v.Add(b); !errors.Is(err, ErrInvalidAccount) {
			t.Errorf("%s: Add gave %v", name, err)
		}
	}
	if err := v.Delete(id); err != nil {
		t.Fatal(err)
	}
	if err := v.Delete(id); !errors.Is(err, ErrNotFound) {
		t.Errorf("second Delete: %v", err)
	}
}

// Two Gatekeys (or a sync tool) writing the same file: non-overlapping
// changes merge by uuid; the same account changed in both places is
// refused with a message, and nothing is overwritten.
func TestSaveMergesChangesMadeOnDisk(t *testing.T) {
	a := createTestVault(t, "")
	for i := range 3 {
		if _, err := a.Add(testAccount(i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Save(); err != nil {
		t.Fatal(err)
	}
	b, err := Open(a.Path(), OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	accts := a.Accounts()
	// a: adds one, edits the first. b: deletes the second, adds one.
	if _, err := a.Add(testAccount(10)); err != nil {
		t.Fatal(err)
	}
	first := accts[0]
	first.Note = "edited in a"
	if err := a.Update(first); err != nil {
		t.Fatal(err)
	}
	if err := a.Save(); err != nil {
		t.Fatal(err)
	}
	if err := b.Delete(accts[1].UUID); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Add(testAccount(20)); err != nil {
		t.Fatal(err)
	}
	if err := b.Save(); err != nil {
		t.Fatalf("merge: %v", err)
	}
	c, err := Open(a.Path(), OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var issuers []string
	for _, x := range c.Accounts() {
		issuers = append(issuers, x.Issuer+"/"+x.Note)
	}
	want := []string{"Issuer 0/edited in a", "Issuer 2/", "Issuer 10/", "Issuer 20/"}
	if !cmp.Equal(issuers, want) {
		t.Fatalf("merged accounts %v, want %v", issuers, want)
	}

	// Now both change the same account.
	x, _ := c.Find(accts[0].UUID)
	x.Note = "edited in c"
	if err := c.Update(x); err != nil {
		t.Fatal(err)
	}
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	onDisk, _ := os.ReadFile(a.Path())
	y, _ := a.Find(accts[0].UUID)
	y.Note = "edited in a again"
	if err := a.Update(y); err != nil {
		t.Fatal(err)
	}
	err = a.Save()
	mustFileError(t, err, a.Path(), ErrChangedOnDisk)
	if !strings.Contains(err.Error(), "Issuer 0") || !strings.Contains(err.Error(), "reload") {
		t.Errorf("conflict message does not name the account or say what to do: %v", err)
	}
	if now, _ := os.ReadFile(a.Path()); !bytes.Equal(now, onDisk) {
		t.Fatal("a refused save changed the file")
	}
	if err := a.Reload(); err != nil {
		t.Fatal(err)
	}
	if got, _ := a.Find(accts[0].UUID); got.Note != "edited in c" {
		t.Fatalf("Reload did not read the newer file: note %q", got.Note)
	}
}

// A file on disk that does not parse or decrypt is never overwritten by a
// save.
func TestSaveNeverOverwritesUnreadableFile(t *testing.T) {
	v := createTestVault(t, "")
	if _, err := v.Add(testAccount(1)); err != nil {
		t.Fatal(err)
	}
	if err := v.Save(); err != nil {
		t.Fatal(err)
	}
	other := createTestVault(t, "")
	if err := other.Save(); err != nil {
		t.Fatal(err)
	}
	otherBytes, _ := os.ReadFile(other.Path())
	for name, content := range map[string][]byte{
		"garbage":       []byte("not a vault"),
		"another vault": otherBytes,
		"truncated":     otherBytes[:len(otherBytes)/2],
	} {
		if err := os.WriteFile(v.Path(), content, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := v.Add(testAccount(2)); err != nil && !errors.Is(err, ErrDuplicate) {
			t.Fatal(err)
		}
		v.dirty = true
		err := v.Save()
		mustFileError(t, err, v.Path(), ErrChangedOnDisk)
		if now, _ := os.ReadFile(v.Path()); !bytes.Equal(now, content) {
			t.Fatalf("%s: overwritten", name)
		}
	}
}

// A save removes the temporary files that interrupted saves left behind long
// ago, and leaves recent ones (another save may be writing them) and
// unrelated files alone.
func TestSaveRemovesStaleTemporaryFiles(t *testing.T) {
	v := createTestVault(t, "")
	dir := filepath.Dir(v.Path())
	old := time.Now().Add(-2 * staleTempAge)
	files := map[string]bool{ // name: should survive the save
		".vault.json.tmp-123456": false,
		"vault.json.bak.tmp-abc": false,
		".vault.json.tmp-999999": true, // recent
		"notes.txt":              true,
		".other.json.tmp-1":      true,
	}
	for name, keep := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		if !keep || name == "notes.txt" || name == ".other.json.tmp-1" {
			if err := os.Chtimes(p, old, old); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := v.Add(testAccount(1)); err != nil {
		t.Fatal(err)
	}
	if err := v.Save(); err != nil {
		t.Fatal(err)
	}
	for name, keep := range files {
		_, err := os.Stat(filepath.Join(dir, name))
		if exists := err == nil; exists != keep {
			t.Errorf("%s: exists %v after the save, want %v", name, exists, keep)
		}
	}
}
