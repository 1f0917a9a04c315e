package app

import (
	"context"
	"errors"
	"fmt"
	"image"
	"os"
	"sync"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/gatekey/gatekey/internal/readlimit"
	"github.com/gatekey/gatekey/otp"
	"github.com/gatekey/gatekey/qrscan"
	"github.com/gatekey/gatekey/vault"
)

// ErrNotOpen means the window asked for accounts before a vault was opened
// or created.
var ErrNotOpen = errors.New("no vault is open")

// maxAdoptBytes bounds the size of a vault file brought in from elsewhere;
// Aegis vaults of thousands of accounts are a few megabytes.
const maxAdoptBytes = 64 << 20

// keychainProbe is the keychain item Desktop looks up (and never writes) to
// learn whether a keychain answers at all.
const keychainProbe = "gatekey-keychain-probe"

// Desktop is the window's use case: the vault under one home folder, from
// the first run (create, or bring in an existing Aegis vault) through
// lock and unlock, plus reading accounts from QR codes. It is safe for use
// from several goroutines.
type Desktop struct {
	home     string
	keychain vault.Keychain

	mu   sync.Mutex
	auth *Authenticator

	routers *RouterService // the routers tab, its TOTP codes from this vault
}

// NewDesktop serves the vault under home, its master key in keychain (nil
// means the OS keychain).
func NewDesktop(home string, keychain vault.Keychain) *Desktop {
	if keychain == nil {
		keychain = vault.SystemKeychain{}
	}
	d := &Desktop{home: home, keychain: keychain}
	d.routers = NewRouterService(home, keychain, d)
	return d
}

// Routers is the router use cases, with their TOTP codes from this vault.
func (d *Desktop) Routers() *RouterService { return d.routers }

// Account returns the account with uuid while the vault is open.
func (d *Desktop) Account(uuid string) (otp.Account, error) {
	a := d.current()
	if a == nil || a.Vault().Locked() {
		return otp.Account{}, ErrNotOpen
	}
	return a.Vault().Find(uuid)
}

// Home is the folder that holds the vault and settings.
func (d *Desktop) Home() string { return d.home }

// VaultExists reports whether a vault is already in the home folder, that
// is, whether this is not the first run.
func (d *Desktop) VaultExists() bool {
	_, err := os.Stat(VaultPath(d.home))
	return err == nil
}

// KeychainAvailable reports whether an OS keychain answers, waiting at most
// a few seconds (a locked keychain may be asking its own password).
func (d *Desktop) KeychainAvailable() bool {
	done := make(chan bool, 1)
	go func() {
		_, err := d.keychain.Get(keychainProbe, "probe")
		done <- err == nil || errors.Is(err, keyring.ErrNotFound) || errors.Is(err, vault.ErrNotInKeychain)
	}()
	select {
	case ok := <-done:
		return ok
	case <-time.After(5 * time.Second):
		return false
	}
}

// Open opens the existing vault: with the keychain when password is nil,
// else with the password. Errors wrap vault's sentinels
// (ErrPasswordRequired, ErrWrongPassword, ErrCorrupt...).
func (d *Desktop) Open(password []byte) error {
	opts := OpenOptions{Keychain: d.keychain}
	if password != nil {
		opts.Password = func() ([]byte, error) { return clone(password), nil }
	}
	auth, err := OpenAuthenticator(d.home, opts)
	if err != nil {
		return err
	}
	d.set(auth)
	return nil
}

// Create makes the vault of a first run: its master key in the keychain
// and, when password is not empty, a password slot too. mode is how it
// unlocks (UnlockDefault: password mode with a password, else keychain).
func (d *Desktop) Create(password []byte, mode UnlockMode) error {
	opts := OpenOptions{Keychain: d.keychain, Create: true, Mode: mode}
	if len(password) > 0 {
		opts.CreatePassword = func() ([]byte, error) { return clone(password), nil }
	}
	auth, err := OpenAuthenticator(d.home, opts)
	if err != nil {
		return err
	}
	d.set(auth)
	return nil
}

// Adopt makes the Aegis vault or backup at path this installation's vault:
// it copies the file into the home folder and opens it with password. The
// master key goes to the keychain only when the person asked for it
// (keychain), so that later starts need no password; otherwise every start
// asks for it. A file that does not open is not kept.
func (d *Desktop) Adopt(path string, password []byte, keychain bool) error {
	if d.VaultExists() {
		return fmt.Errorf("adopting %s: %w", path, vault.ErrExists)
	}
	data, err := readlimit.File(path, maxAdoptBytes)
	if err != nil {
		return fmt.Errorf("adopting %s: %w", path, err)
	}
	if err := EnsureHome(d.home); err != nil {
		return err
	}
	v, err := vault.Install(VaultPath(d.home), data, vault.OpenOptions{Password: password, Keychain: d.keychain})
	if err != nil {
		return fmt.Errorf("adopting %s: %w", path, err)
	}
	d.set(&Authenticator{vault: v})
	if keychain {
		if err := d.current().Vault().StoreKeyInKeychain(); err != nil {
			return fmt.Errorf("the vault is open, but its key could not go to the keychain, so it will ask for the password: %w", err)
		}
	}
	return nil
}

func (d *Desktop) set(auth *Authenticator) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.auth = auth
}

func (d *Desktop) current() *Authenticator {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.auth
}

// Accounts lists the accounts, favourites first, or nil while locked.
func (d *Desktop) Accounts() []otp.Account {
	if a := d.current(); a != nil && !a.Vault().Locked() {
		return a.Accounts()
	}
	return nil
}

// Groups lists the vault's group names.
func (d *Desktop) Groups() []string {
	if a := d.current(); a != nil && !a.Vault().Locked() {
		return a.Vault().Groups()
	}
	return nil
}

// Add stores new accounts and names the duplicates (Authenticator.Add).
func (d *Desktop) Add(accs ...otp.Account) (added, duplicates []otp.Account, err error) {
	a := d.current()
	if a == nil {
		return nil, nil, ErrNotOpen
	}
	return a.Add(accs...)
}

// Update replaces an account and saves.
func (d *Desktop) Update(acc otp.Account) error {
	a := d.current()
	if a == nil {
		return ErrNotOpen
	}
	return a.Update(acc)
}

// Remove deletes an account and saves.
func (d *Desktop) Remove(uuid string) error {
	a := d.current()
	if a == nil {
		return ErrNotOpen
	}
	return a.Remove(uuid)
}

// NextHOTP advances a HOTP counter, saves, and returns the new code.
func (d *Desktop) NextHOTP(uuid string) (string, otp.Account, error) {
	a := d.current()
	if a == nil {
		return "", otp.Account{}, ErrNotOpen
	}
	return a.NextHOTP(uuid)
}

// Lock saves and forgets the master key and every decrypted secret.
func (d *Desktop) Lock() error {
	if a := d.current(); a != nil {
		return a.Vault().Lock()
	}
	return nil
}

// Locked reports whether the vault is locked (or not open yet).
func (d *Desktop) Locked() bool {
	a := d.current()
	return a == nil || a.Vault().Locked()
}

// HasPassword reports whether the vault has a password slot, so that the
// lock screen knows whether to ask for it.
func (d *Desktop) HasPassword() bool {
	a := d.current()
	return a != nil && a.Vault().HasPassword()
}

// UnlockMode is how the vault unlocks; before it is opened, the mode
// recorded in its file.
func (d *Desktop) UnlockMode() UnlockMode {
	if a := d.current(); a != nil {
		return a.Vault().UnlockMode()
	}
	return UnlockPassword // not opened: the keychain did not give the key
}

// SetUnlockMode switches how the vault unlocks (Authenticator.SetMode).
func (d *Desktop) SetUnlockMode(mode UnlockMode, password []byte) error {
	a := d.current()
	if a == nil {
		return ErrNotOpen
	}
	return a.SetMode(mode, password)
}

// ChangePassword adds or changes the vault's password
// (Authenticator.ChangePassword).
func (d *Desktop) ChangePassword(current, next []byte, newKey bool) (PasswordChangeResult, error) {
	a := d.current()
	if a == nil {
		return PasswordChangeResult{}, ErrNotOpen
	}
	return a.ChangePassword(current, next, newKey)
}

// VaultInfo describes the open vault.
func (d *Desktop) VaultInfo() VaultInfo {
	if a := d.current(); a != nil {
		return a.Vault().Info()
	}
	return VaultInfo{}
}

// Unlock opens the locked vault again: with the password, or with the
// keychain when password is nil.
func (d *Desktop) Unlock(password []byte) error {
	a := d.current()
	if a == nil {
		return d.Open(password)
	}
	if password == nil {
		return a.Vault().UnlockWithKeychain()
	}
	return a.Vault().Unlock(password)
}

// ScanScreen reads every QR code on the screen as accounts.
func (d *Desktop) ScanScreen(ctx context.Context) (Scan, error) {
	return scanSource(ctx, QRSource{Screen: true})
}

// ScanImageFile reads the QR codes of an image file as accounts.
func (d *Desktop) ScanImageFile(path string) (Scan, error) {
	return scanSource(context.Background(), QRSource{File: path})
}

// ScanClipboard reads the QR codes of an image on the clipboard as accounts.
func (d *Desktop) ScanClipboard(ctx context.Context) (Scan, error) {
	return scanSource(ctx, QRSource{Clipboard: true})
}

// QRCode draws acc as an otpauth:// QR code of size pixels, for moving the
// account to a phone.
func (d *Desktop) QRCode(acc otp.Account, size int) (image.Image, error) {
	if d.Locked() {
		return nil, ErrNotOpen
	}
	return qrscan.Render(otp.FormatURI(acc), size)
}

func clone(b []byte) []byte { return append([]byte(nil), b...) }
