package vault

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatekey/gatekey/otp"
	"github.com/google/go-cmp/cmp"
)

// openErrors are the errors a damaged file may give, each a plain sentence
// that names the file.
var openErrors = []error{ErrCorrupt, ErrUnsupportedVersion, ErrNotEncrypted, ErrNotInKeychain, ErrPasswordRequired, ErrWrongPassword}

func checkOpenError(t *testing.T, i int, err error, path string, secrets ...string) {
	t.Helper()
	known := false
	for _, e := range openErrors {
		known = known || errors.Is(err, e)
	}
	var fe *FileError
	if !known || !errors.As(err, &fe) || fe.Path != path {
		t.Fatalf("byte %d: error %v is not a vault error naming the file", i, err)
	}
	for _, s := range secrets {
		if strings.Contains(err.Error(), s) {
			t.Fatalf("byte %d: error contains a secret", i)
		}
	}
}

// Every single-byte change to a keychain-only vault (the default) is
// detected when it is opened: a clear error naming the file, never a
// panic, never wrong accounts.
func TestEveryByteChangeIsDetected(t *testing.T) {
	v := createTestVault(t, "")
	a := testAccount(2)
	a.Groups = []string{"G"}
	if _, err := v.Add(a); err != nil {
		t.Fatal(err)
	}
	if err := v.Save(); err != nil {
		t.Fatal(err)
	}
	good, _ := os.ReadFile(v.Path())
	secret := otp.EncodeBase32(a.Secret)
	bad := filepath.Join(filepath.Dir(v.Path()), "damaged.json")
	// The unlock mode's record is not authenticated (no key covers the
	// header): a change there may open the vault, to the same accounts.
	record := bytes.Index(good, []byte(`"gatekey_unlock": "keychain"`))
	if record < 0 {
		t.Fatal("the file records no unlock mode")
	}
	want := v.Accounts()
	for i := range good {
		data := bytes.Clone(good)
		data[i] ^= 0x01
		if err := os.WriteFile(bad, data, 0o600); err != nil {
			t.Fatal(err)
		}
		w, err := Open(bad, OpenOptions{})
		if err == nil && i >= record && i < record+len(`"gatekey_unlock": "keychain"`) {
			if diff := cmp.Diff(want, w.Accounts()); diff != "" {
				t.Fatalf("byte %d of the mode record changed and the vault opened with other accounts:\n%s", i, diff)
			}
			continue
		}
		if err == nil {
			t.Fatalf("byte %d (%q) changed and the vault still opened with %d accounts", i, good[i], len(w.Accounts()))
		}
		checkOpenError(t, i, err, bad, secret)
	}
}

// A vault opened with its password: every byte changed to several other
// values either fails with a clear error or (for fields no key covers,
// such as a slot's uuid) opens to exactly the same accounts.
func TestByteChangesWithPassword(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "vault.json")
	v, err := Create(path, CreateOptions{Password: []byte("pw"), Keychain: &memKeychain{}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Add(testAccount(1)); err != nil {
		t.Fatal(err)
	}
	if err := v.Save(); err != nil {
		t.Fatal(err)
	}
	want := v.Accounts()
	good, _ := os.ReadFile(path)
	bad := filepath.Join(dir, "damaged.json")
	opened := 0
	for i := range good {
		for _, flip := range []byte{0x01, 0x20, 0x80} {
			data := bytes.Clone(good)
			data[i] ^= flip
			os.WriteFile(bad, data, 0o600)
			w, err := Open(bad, OpenOptions{Password: []byte("pw"), Keychain: &memKeychain{}})
			if err != nil {
				checkOpenError(t, i, err, bad)
				continue
			}
			opened++
			if diff := cmp.Diff(want, w.Accounts()); diff != "" {
				t.Fatalf("byte %d ^ %#x opened with different accounts:\n%s", i, flip, diff)
			}
		}
	}
	t.Logf("%d of %d changes opened (unauthenticated fields such as uuids or hex case)", opened, 3*len(good))
}

// A save never replaces a damaged file: whatever byte of the file on disk
// changed since it was opened, the save either refuses and leaves the file
// as it is, or merges a file that still decrypts with the vault's key.
func TestSaveOverDamagedFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "vault.json")
	kc := &memKeychain{}
	v, err := Create(path, CreateOptions{Keychain: kc})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Add(testAccount(1)); err != nil {
		t.Fatal(err)
	}
	if err := v.Save(); err != nil {
		t.Fatal(err)
	}
	good, _ := os.ReadFile(path)
	for i := range good {
		data := bytes.Clone(good)
		data[i] ^= 0x01
		os.WriteFile(path, data, 0o600)
		v.dirty = true
		err := v.Save()
		now, _ := os.ReadFile(path)
		if err != nil {
			if !errors.Is(err, ErrChangedOnDisk) {
				t.Fatalf("byte %d: %v", i, err)
			}
			if !bytes.Equal(now, data) {
				t.Fatalf("byte %d: a refused save changed the file", i)
			}
		} else if r, err := Open(path, OpenOptions{Keychain: kc}); err != nil || len(r.Accounts()) != 1 {
			t.Fatalf("byte %d: a merged save left a file that does not open: %v", i, err)
		}
		// Restore the good file and the vault's knowledge of it.
		os.WriteFile(path, good, 0o600)
		if err := v.Reload(); err != nil {
			t.Fatal(err)
		}
	}
}
