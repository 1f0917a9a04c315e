package app

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/zalando/go-keyring"

	"github.com/gatekey/gatekey/otp"
	"github.com/gatekey/gatekey/vault"
)

// memKeychain is a keychain in memory, so that these tests need no Secret
// Service.
type memKeychain struct {
	mu    sync.Mutex
	items map[string]string
	down  bool
}

func newMemKeychain() *memKeychain { return &memKeychain{items: map[string]string{}} }

func (k *memKeychain) Get(service, user string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.down {
		return "", vault.ErrNoKeychain
	}
	v, ok := k.items[service+"/"+user]
	if !ok {
		return "", keyring.ErrNotFound
	}
	return v, nil
}

func (k *memKeychain) Set(service, user, secret string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.down {
		return vault.ErrNoKeychain
	}
	k.items[service+"/"+user] = secret
	return nil
}

func (k *memKeychain) Delete(service, user string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.items, service+"/"+user)
	return nil
}

func testAccount(t *testing.T, issuer, name string) otp.Account {
	t.Helper()
	secret, err := otp.DecodeBase32("JBSWY3DPEHPK3PXP")
	if err != nil {
		t.Fatal(err)
	}
	return otp.Account{Type: otp.TOTP, Issuer: issuer, Name: name, Secret: secret, Algorithm: otp.SHA1, Digits: 6, Period: 30}
}

// A first run creates the vault; lock forgets the accounts; the password
// (or the keychain) brings them back.
func TestDesktopCreateLockUnlock(t *testing.T) {
	home := t.TempDir()
	kc := newMemKeychain()
	d := NewDesktop(home, kc)
	if d.VaultExists() {
		t.Fatal("a fresh home reports a vault")
	}
	if !d.KeychainAvailable() {
		t.Fatal("a working keychain is reported unavailable")
	}
	if err := d.Create([]byte("correct horse"), UnlockDefault); err != nil {
		t.Fatal(err)
	}
	if _, _, err := d.Add(testAccount(t, "Example", "alice")); err != nil {
		t.Fatal(err)
	}
	if !d.HasPassword() || d.UnlockMode() != UnlockPassword {
		t.Errorf("a vault created with a password: password %v, mode %v; want a password slot and password mode", d.HasPassword(), d.UnlockMode())
	}
	if len(kc.items) != 0 {
		t.Errorf("password mode put %d items in the keychain", len(kc.items))
	}
	if err := d.Lock(); err != nil {
		t.Fatal(err)
	}
	if !d.Locked() || d.Accounts() != nil {
		t.Fatalf("locked vault still lists %d accounts", len(d.Accounts()))
	}
	if err := d.Unlock(nil); !errors.Is(err, vault.ErrPasswordRequired) {
		t.Fatalf("password mode unlocked without the password: %v", err)
	}
	if err := d.Unlock([]byte("wrong")); !errors.Is(err, vault.ErrWrongPassword) {
		t.Fatalf("wrong password: got %v", err)
	}
	if err := d.Unlock([]byte("correct horse")); err != nil {
		t.Fatal(err)
	}
	if got := d.Accounts(); len(got) != 1 || got[0].Name != "alice" {
		t.Fatalf("after unlock: %+v", got)
	}
	if err := NewDesktop(home, kc).Open(nil); !errors.Is(err, vault.ErrPasswordRequired) {
		t.Fatalf("a second start in password mode opened without the password: %v", err)
	}

	// Keychain mode: the desktop login protects the vault.
	if err := d.SetUnlockMode(UnlockKeychain, nil); err != nil {
		t.Fatal(err)
	}
	if err := d.Lock(); err != nil {
		t.Fatal(err)
	}
	if err := d.Unlock(nil); err != nil {
		t.Fatalf("unlock from the keychain: %v", err)
	}
	d2 := NewDesktop(home, kc)
	if err := d2.Open(nil); err != nil || len(d2.Accounts()) != 1 {
		t.Fatalf("a second start in keychain mode: %v", err)
	}

	// Back to password mode: it needs the password, and empties the keychain.
	if err := d.SetUnlockMode(UnlockPassword, []byte("wrong")); !errors.Is(err, vault.ErrWrongPassword) {
		t.Fatalf("password mode with a wrong password: %v", err)
	}
	if err := d.SetUnlockMode(UnlockPassword, []byte("correct horse")); err != nil || len(kc.items) != 0 {
		t.Fatalf("password mode: %v, %d keychain items", err, len(kc.items))
	}
}

// Without a keychain the first run needs a password, and says which error.
func TestDesktopNoKeychain(t *testing.T) {
	kc := newMemKeychain()
	kc.down = true
	d := NewDesktop(t.TempDir(), kc)
	if d.KeychainAvailable() {
		t.Fatal("a keychain that fails is reported available")
	}
	if err := d.Create(nil, UnlockDefault); !errors.Is(err, vault.ErrNoKeychain) {
		t.Fatalf("create without keychain or password: got %v", err)
	}
	if err := d.Create([]byte("pw"), UnlockDefault); err != nil {
		t.Fatalf("create with a password and no keychain: %v", err)
	}
}

// Adopting an existing Aegis vault copies it in and opens it with its
// password; a wrong password leaves no file behind.
func TestDesktopAdopt(t *testing.T) {
	src := filepath.Join(t.TempDir(), "aegis.json")
	other := NewDesktop(filepath.Dir(src), newMemKeychain())
	if err := other.Create([]byte("phone pw"), UnlockDefault); err != nil {
		t.Fatal(err)
	}
	if _, _, err := other.Add(testAccount(t, "Bank", "bob")); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(VaultPath(filepath.Dir(src)), src); err != nil {
		t.Fatal(err)
	}

	home := t.TempDir()
	kc := newMemKeychain()
	d := NewDesktop(home, kc)
	if err := d.Adopt(src, []byte("nope"), true); !errors.Is(err, vault.ErrWrongPassword) {
		t.Fatalf("wrong password: got %v", err)
	}
	if d.VaultExists() {
		t.Fatal("a vault that did not open was kept")
	}
	if err := d.Adopt(src, []byte("phone pw"), true); err != nil {
		t.Fatal(err)
	}
	if got := d.Accounts(); len(got) != 1 || got[0].Issuer != "Bank" {
		t.Fatalf("adopted accounts: %+v", got)
	}
	// The key went to the keychain: the next start needs no password.
	if err := NewDesktop(home, kc).Open(nil); err != nil {
		t.Fatalf("reopening through the keychain: %v", err)
	}
}

// A vault with a password that comes from elsewhere keeps needing it unless
// the person asks for the keychain: its key never lands there unasked.
func TestDesktopAdoptKeepsKeyOutOfKeychainUnasked(t *testing.T) {
	src := filepath.Join(t.TempDir(), "aegis.json")
	other := NewDesktop(filepath.Dir(src), newMemKeychain())
	if err := other.Create([]byte("phone pw"), UnlockDefault); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(VaultPath(filepath.Dir(src)), src); err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	kc := newMemKeychain()
	if err := NewDesktop(home, kc).Adopt(src, []byte("phone pw"), false); err != nil {
		t.Fatal(err)
	}
	if len(kc.items) != 0 {
		t.Fatalf("adopting put %d items in the keychain without asking", len(kc.items))
	}
	if err := NewDesktop(home, kc).Open(nil); !errors.Is(err, vault.ErrPasswordRequired) {
		t.Fatalf("reopening without the password: %v, want ErrPasswordRequired", err)
	}
}

func TestScanTexts(t *testing.T) {
	tests := []struct {
		name     string
		texts    []string
		accounts int
		problems int
	}{
		{"one URI", []string{"otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP&issuer=Example"}, 1, 0},
		{"two URIs on lines", []string{"otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP\n\notpauth://hotp/B:b?secret=JBSWY3DPEHPK3PXP&counter=3\n"}, 2, 0},
		{"a web link", []string{"https://example.com/login"}, 0, 1},
		{"bad secret", []string{"otpauth://totp/A:a?secret=1!1"}, 0, 1},
		{"bad migration", []string{"otpauth-migration://offline?data=%%%"}, 0, 1},
		{"nothing", []string{""}, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := ScanTexts(tt.texts...)
			if len(s.Accounts) != tt.accounts || len(s.Problems) != tt.problems {
				t.Fatalf("got %d accounts, problems %q", len(s.Accounts), s.Problems)
			}
			if (tt.accounts == 0) != errors.Is(s.Err(), ErrNoAccounts) {
				t.Errorf("Err() = %v", s.Err())
			}
			for _, p := range s.Problems {
				if strings.Contains(p, "JBSWY3DP") || strings.Contains(p, "1!1") {
					t.Errorf("problem quotes the secret: %q", p)
				}
			}
		})
	}
}

// A migration export with several accounts gives all of them.
func TestScanTextsMigration(t *testing.T) {
	accs := []otp.Account{testAccount(t, "A", "a"), testAccount(t, "B", "b"), testAccount(t, "C", "c")}
	uris, skipped := otp.FormatMigration(accs, 7)
	if len(uris) != 1 || len(skipped) != 0 {
		t.Fatalf("FormatMigration: %d uris, %v skipped", len(uris), skipped)
	}
	s := ScanTexts(uris...)
	if len(s.Accounts) != 3 || s.Accounts[2].Issuer != "C" {
		t.Fatalf("got %+v, problems %q", s.Accounts, s.Problems)
	}
}

// Importing the same file twice adds nothing the second time and says so.
func TestDesktopImport(t *testing.T) {
	d := NewDesktop(t.TempDir(), newMemKeychain())
	if err := d.Create(nil, UnlockDefault); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "codes.txt")
	list := "otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP&issuer=A\notpauth://totp/B:b?secret=JBSWY3DPEHPK3PXQ&issuer=B\n"
	if err := os.WriteFile(file, []byte(list), 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := d.Import(file, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Imported != 2 || r.Duplicates != 0 {
		t.Fatalf("first import: %+v", r)
	}
	if r, err = d.Import(file, nil); err != nil || r.Imported != 0 || r.Duplicates != 2 {
		t.Fatalf("second import: %+v, %v", r, err)
	}
	if len(d.Accounts()) != 2 {
		t.Fatalf("%d accounts after two imports", len(d.Accounts()))
	}
}

// The QR code carries the secret: a locked vault draws none, even for an
// account a caller kept from before the lock.
func TestQRCodeRefusedWhileLocked(t *testing.T) {
	d := NewDesktop(t.TempDir(), newMemKeychain())
	if err := d.Create(nil, UnlockDefault); err != nil {
		t.Fatal(err)
	}
	acc := testAccount(t, "ACME", "alice")
	if _, _, err := d.Add(acc); err != nil {
		t.Fatal(err)
	}
	if _, err := d.QRCode(acc, 200); err != nil {
		t.Fatalf("unlocked: %v", err)
	}
	if err := d.Lock(); err != nil {
		t.Fatal(err)
	}
	if img, err := d.QRCode(acc, 200); !errors.Is(err, ErrNotOpen) || img != nil {
		t.Fatalf("QR code while locked: %v, %v", img, err)
	}
}
