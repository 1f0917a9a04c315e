package app

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gatekey/gatekey/otp"
	"github.com/gatekey/gatekey/transfer"
	"github.com/gatekey/gatekey/vault"
)

// VaultFile is the vault's file name inside the home folder.
const VaultFile = "vault.json"

// ErrNoVault means there is no vault yet in the home folder.
var ErrNoVault = errors.New("there is no vault yet")

// PasswordFunc supplies a password when one is needed, so that the
// command line asks (or reads --password-file) only when it must. It
// returns nil, nil when no password can be had.
type PasswordFunc func() ([]byte, error)

// OpenOptions says how to open the authenticator's vault.
type OpenOptions struct {
	// Password is asked when the keychain does not open the vault, and is
	// the password of a vault created with Create.
	Password PasswordFunc
	// Create makes a missing vault, its master key in the keychain and a
	// password slot only when CreatePassword returns one.
	Create bool
	// CreatePassword, when set, supplies the password slot of a new vault.
	CreatePassword PasswordFunc
	// Keychain holds the master key; nil means the OS keychain.
	Keychain vault.Keychain
	// Mode is how a created vault unlocks; UnlockDefault is password mode
	// when it has a password, else keychain mode.
	Mode UnlockMode
}

// Authenticator is the accounts use case: a vault and the operations the
// window and the command line share on it. Every change is saved at once.
type Authenticator struct {
	vault *vault.Vault
}

// VaultPath is where the vault lives under home.
func VaultPath(home string) string { return filepath.Join(home, VaultFile) }

// OpenAuthenticator opens the vault under home: through the keychain when it
// holds the key, else with the password. With opts.Create, a missing vault is
// created.
func OpenAuthenticator(home string, opts OpenOptions) (*Authenticator, error) {
	path := VaultPath(home)
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		if !opts.Create {
			return nil, fmt.Errorf("%w in %s", ErrNoVault, home)
		}
		return createAuthenticator(home, opts)
	}
	v, err := vault.Open(path, vault.OpenOptions{Keychain: opts.Keychain})
	if errors.Is(err, vault.ErrPasswordRequired) && opts.Password != nil {
		pw, perr := opts.Password()
		if perr != nil {
			return nil, perr
		}
		if pw == nil {
			return nil, err
		}
		defer clear(pw)
		v, err = vault.Open(path, vault.OpenOptions{Keychain: opts.Keychain, Password: pw})
	}
	if err != nil {
		return nil, err
	}
	return &Authenticator{vault: v}, nil
}

func createAuthenticator(home string, opts OpenOptions) (*Authenticator, error) {
	if err := EnsureHome(home); err != nil {
		return nil, err
	}
	var pw []byte
	if opts.CreatePassword != nil {
		var err error
		if pw, err = opts.CreatePassword(); err != nil {
			return nil, err
		}
		defer clear(pw)
	}
	v, err := vault.Create(VaultPath(home), vault.CreateOptions{Password: pw, Keychain: opts.Keychain, Mode: opts.Mode})
	if err != nil {
		return nil, err
	}
	return &Authenticator{vault: v}, nil
}

// Vault is the underlying vault, for the settings that belong to it
// (password, keychain, lock).
func (a *Authenticator) Vault() *vault.Vault { return a.vault }

// Accounts lists every account, favourites first, then by issuer and name.
func (a *Authenticator) Accounts() []otp.Account {
	accs := a.vault.Accounts()
	SortAccounts(accs)
	return accs
}

// SortAccounts orders accounts as the list shows them: favourites first,
// then by issuer and name, ignoring case.
func SortAccounts(accs []otp.Account) {
	slices.SortStableFunc(accs, func(x, y otp.Account) int {
		if x.Favorite != y.Favorite {
			if x.Favorite {
				return -1
			}
			return 1
		}
		return cmp.Or(
			cmp.Compare(strings.ToLower(x.Issuer), strings.ToLower(y.Issuer)),
			cmp.Compare(strings.ToLower(x.Name), strings.ToLower(y.Name)))
	})
}

// Label is how an account is named to people and matched by queries:
// "issuer:name", or the name alone when there is no issuer.
func Label(acc otp.Account) string {
	if acc.Issuer == "" {
		return acc.Name
	}
	return acc.Issuer + ":" + acc.Name
}

// Match returns the accounts whose label contains query, ignoring case; an
// empty query matches all.
func Match(accs []otp.Account, query string) []otp.Account {
	q := strings.ToLower(strings.TrimSpace(query))
	var out []otp.Account
	for _, acc := range accs {
		if q == "" || strings.Contains(strings.ToLower(Label(acc)), q) {
			out = append(out, acc)
		}
	}
	return out
}

// Add stores the accounts that are not already in the vault (same secret,
// issuer and name, as transfer.Merge decides) and saves. It returns what it
// added and what it found already present. An invalid account adds none.
func (a *Authenticator) Add(accs ...otp.Account) (added, duplicates []otp.Account, err error) {
	for _, acc := range accs {
		if err := acc.Validate(); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", Label(acc), err)
		}
	}
	add, duplicates := a.merge(accs)
	for _, acc := range add {
		acc.UUID = ""
		uuid, err := a.vault.Add(acc)
		if err != nil {
			return nil, nil, err
		}
		acc.UUID = uuid
		added = append(added, acc)
	}
	if len(added) > 0 {
		if err := a.vault.Save(); err != nil {
			return nil, nil, err
		}
	}
	return added, duplicates, nil
}

// merge splits accs into those the vault lacks and those it holds, and
// wipes the copies of the vault's secrets it compared them with.
func (a *Authenticator) merge(accs []otp.Account) (add, duplicates []otp.Account) {
	existing := a.vault.Accounts()
	defer func() {
		for _, e := range existing {
			clear(e.Secret)
		}
	}()
	return transfer.Merge(existing, accs)
}

// SameAccount reports whether two accounts are the same account: same
// secret, issuer and name. Importing the same file twice relies on it.
func SameAccount(x, y otp.Account) bool {
	return bytes.Equal(x.Secret, y.Secret) && x.Issuer == y.Issuer && x.Name == y.Name
}

// Update replaces an account (found by UUID) and saves.
func (a *Authenticator) Update(acc otp.Account) error {
	if err := a.vault.Update(acc); err != nil {
		return err
	}
	return a.vault.Save()
}

// Remove deletes an account and saves.
func (a *Authenticator) Remove(uuid string) error {
	if err := a.vault.Delete(uuid); err != nil {
		return err
	}
	return a.vault.Save()
}

// NextHOTP advances a HOTP account's counter, saves it, and returns the
// code for the new counter. The counter is saved before the code is shown
// so that a crash never shows the same code twice.
func (a *Authenticator) NextHOTP(uuid string) (string, otp.Account, error) {
	acc, err := a.vault.Find(uuid)
	if err != nil {
		return "", acc, err
	}
	if acc.Type != otp.HOTP {
		return "", acc, fmt.Errorf("%s is a %s account; only HOTP accounts have a next code", Label(acc), acc.Type)
	}
	acc.Counter++
	if err := a.Update(acc); err != nil {
		return "", acc, err
	}
	code, err := acc.Code(time.Time{})
	return code, acc, err
}

// ImportBatch adds the new accounts of an imported file and reports what was
// imported, what was already present and what the reader skipped. With
// dryRun nothing is saved; the report says what would change.
func (a *Authenticator) ImportBatch(b *transfer.Batch, dryRun bool) (transfer.Report, error) {
	if dryRun {
		add, duplicates := a.merge(b.Accounts)
		return transfer.NewReport(b, add, duplicates), nil
	}
	add, duplicates, err := a.Add(b.Accounts...)
	if err != nil {
		return transfer.Report{}, err
	}
	return transfer.NewReport(b, add, duplicates), nil
}

// VaultOnDemand is an AccountSource that opens the vault the first time an
// account is asked for, with open; the command line uses it so that a
// router without a linked TOTP account never asks for the vault password.
func VaultOnDemand(open func() (*Authenticator, error)) AccountSource {
	return &vaultOnDemand{open: open}
}

type vaultOnDemand struct {
	open func() (*Authenticator, error)

	mu   sync.Mutex
	auth *Authenticator
	err  error
}

func (v *vaultOnDemand) get() (*Authenticator, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.auth == nil && v.err == nil {
		v.auth, v.err = v.open()
	}
	return v.auth, v.err
}

func (v *vaultOnDemand) Account(uuid string) (otp.Account, error) {
	a, err := v.get()
	if err != nil {
		return otp.Account{}, err
	}
	return a.Account(uuid)
}

func (v *vaultOnDemand) Add(accs ...otp.Account) ([]otp.Account, []otp.Account, error) {
	a, err := v.get()
	if err != nil {
		return nil, nil, err
	}
	return a.Add(accs...)
}

func (v *vaultOnDemand) Accounts() []otp.Account {
	if a, err := v.get(); err == nil {
		return a.Accounts()
	}
	return nil
}

// Account returns the account with this uuid.
func (a *Authenticator) Account(uuid string) (otp.Account, error) { return a.vault.Find(uuid) }
