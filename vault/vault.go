// Package vault keeps account secrets encrypted under a master key held by
// the OS keychain or wrapped by a password.
//
// The file is an Aegis vault (formats.md §4): the accounts are encrypted
// with AES-256-GCM under a random master key, which is wrapped by a
// password in a slot of the file, so that a copy opens anywhere (Aegis on a
// phone included), and, in keychain mode, kept in the OS keychain so that
// the vault opens without the password on this machine (UnlockMode).
// Fields, slots and entries Gatekey does not understand are kept when it
// re-saves a file another app also writes.
//
// A Vault is safe for use by several goroutines, and several processes may
// save the same file: each save holds the lock file vault.json.lock from
// its read to its rename.
package vault

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/gatekey/gatekey/otp"
)

// CreateOptions configures Create.
type CreateOptions struct {
	// Password, when not empty, adds a password slot so that the vault also
	// opens where this keychain is not (another machine, Aegis). Without a
	// password the vault opens only through the keychain.
	Password []byte
	// Keychain holds the master key. Nil means SystemKeychain.
	Keychain Keychain
	// Mode is how the new vault unlocks. Zero means password mode when
	// Password is set and keychain mode otherwise; password mode without a
	// password is an error. In password mode the key is not stored in the
	// keychain.
	Mode UnlockMode
}

// OpenOptions configures Open.
type OpenOptions struct {
	// Password is tried when the keychain does not open the vault, or
	// first when the vault is in password mode.
	Password []byte
	// Keychain holds the master key. Nil means SystemKeychain.
	Keychain Keychain
}

// Vault is an open vault file. While unlocked it holds the master key and
// the decrypted accounts; Lock forgets both.
type Vault struct {
	mu   sync.Mutex
	path string
	kc   Keychain
	file *vaultFile // outer layer as last read or written; kept while locked

	key  []byte // master key; nil while locked
	cur  *db    // current accounts; nil while locked
	base map[string]*entry
	// baseSlots is the slots array as last read or written, to tell a
	// password changed elsewhere from one changed here.
	baseSlots  []byte
	dirty      bool // accounts changed since the last read or write
	slotsDirty bool // slots or the keychain id changed here
	diskSum    [32]byte

	kcStatus KeychainStatus
	kcErr    error

	keptBackup string // where Create put a backup it found
}

// Info describes a vault for a settings or about screen.
type Info struct {
	Path          string
	Locked        bool
	Accounts      int       // entries shown as accounts (0 while locked)
	Skipped       []Skipped // entries kept but not shown (nil while locked)
	PasswordSlots int
	OtherSlots    int // biometric and unknown slots, kept untouched
	Keychain      KeychainStatus
	KeychainError error // why the keychain could not be used, if it could not
	Unsaved       bool
	Mode          UnlockMode
	// KeptBackup is set on a vault just made by Create that found a
	// vault.json.bak beside it (the backup of an earlier vault): that file
	// was kept under this name rather than replaced by the new vault's
	// first backup. Tell the user.
	KeptBackup string
}

func (v *Vault) fileErr(err error) error { return &FileError{Path: v.path, Err: err} }

func newVault(path string, kc Keychain) *Vault {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	if kc == nil {
		kc = SystemKeychain{}
	}
	return &Vault{path: path, kc: kc}
}

// Create makes a new empty vault at path. In keychain mode its master key
// is stored in the keychain; with opts.Password it is also wrapped in a
// password slot. It fails with ErrExists if a file is already there, with
// ErrNoKeychain in keychain mode if no keychain works and no password was
// given (the vault could never be opened again), and with ErrLastKey for
// password mode without a password. A vault.json.bak already beside path
// (the backup of an earlier vault) is kept under a new name, which
// Info().KeptBackup gives. The folder is created with mode 0700 if missing.
func Create(path string, opts CreateOptions) (*Vault, error) {
	v := newVault(path, opts.Keychain)
	mode := opts.Mode
	if mode == 0 {
		mode = defaultMode(len(opts.Password) > 0)
	}
	if mode == UnlockPassword && len(opts.Password) == 0 {
		return nil, v.fileErr(fmt.Errorf("%w: password mode needs a password", ErrLastKey))
	}
	if _, err := os.Lstat(v.path); err == nil {
		return nil, v.fileErr(ErrExists)
	}
	if err := os.MkdirAll(filepath.Dir(v.path), 0o700); err != nil {
		return nil, v.fileErr(fmt.Errorf("creating its folder: %w", err))
	}
	lock, err := lockVault(v.path)
	if err != nil {
		return nil, v.fileErr(err)
	}
	defer lock.unlock()
	v.key = randomBytes(keySize)
	v.file = &vaultFile{header: header{id: hex.EncodeToString(randomBytes(randomIDSize)), slots: []*slot{}, mode: mode}}
	v.cur = &db{}
	v.base = map[string]*entry{}
	if len(opts.Password) > 0 {
		s, err := newPasswordSlot(v.key, opts.Password)
		if err != nil {
			return nil, v.fileErr(err)
		}
		v.file.header.slots = append(v.file.header.slots, s)
	}
	if err := v.createKeychainItem(mode, len(opts.Password) > 0); err != nil {
		return nil, err
	}
	if err := v.writeNew(); err != nil {
		if v.kcStatus == KeychainHasKey {
			_ = keychainDelete(v.kc, v.file.header.id)
		}
		clear(v.key)
		return nil, err
	}
	return v, nil
}

// createKeychainItem stores a new vault's key in keychain mode. Without a
// password to fall back on, a keychain that does not work is an error.
func (v *Vault) createKeychainItem(mode UnlockMode, hasPassword bool) error {
	if mode == UnlockPassword {
		v.kcStatus = KeychainNotUsed
		return nil
	}
	if err := keychainSet(v.kc, v.file.header.id, v.key); err != nil {
		v.kcStatus, v.kcErr = KeychainUnavailable, err
		if !hasPassword {
			clear(v.key)
			return v.fileErr(fmt.Errorf("%w; create the vault with a password", err))
		}
		return nil
	}
	v.kcStatus = KeychainHasKey
	return nil
}

// writeNew writes a new vault's first file, after putting aside the backup
// of an earlier vault that the first save would otherwise replace.
func (v *Vault) writeNew() error {
	out, err := v.encode()
	if err != nil {
		return v.fileErr(err)
	}
	if v.keptBackup, err = keepOldBackup(v.path); err != nil {
		return v.fileErr(err)
	}
	if err := createExclusive(v.path, out); err != nil {
		if errors.Is(err, ErrExists) {
			return v.fileErr(err)
		}
		return v.fileErr(fmt.Errorf("writing: %w", err))
	}
	v.snapshot(out)
	return nil
}

// Accounts returns copies of the vault's accounts in file order, or nil
// while the vault is locked.
func (v *Vault) Accounts() []otp.Account {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.cur == nil {
		return nil
	}
	names := v.cur.groupNames()
	out := make([]otp.Account, 0, len(v.cur.entries))
	for _, e := range v.cur.entries {
		if e.raw == nil {
			out = append(out, e.account(names))
		}
	}
	return out
}

// Find returns a copy of the account with the given uuid.
func (v *Vault) Find(uuid string) (otp.Account, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.cur == nil {
		return otp.Account{}, v.fileErr(ErrLocked)
	}
	i := v.index(uuid)
	if i < 0 || v.cur.entries[i].raw != nil {
		return otp.Account{}, ErrNotFound
	}
	return v.cur.entries[i].account(v.cur.groupNames()), nil
}

// Groups returns the names of the vault's groups.
func (v *Vault) Groups() []string {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.cur == nil {
		return nil
	}
	var names []string
	for _, g := range v.cur.groups {
		names = append(names, g.name)
	}
	return names
}

func (v *Vault) index(uuid string) int {
	for i, e := range v.cur.entries {
		if e.acct.UUID == uuid {
			return i
		}
	}
	return -1
}

// Add stores a copy of a new account and returns its uuid (a new one when
// a.UUID is empty). Groups that do not exist yet are created. Call Save to
// write it.
func (v *Vault) Add(a otp.Account) (string, error) {
	if err := validateAccount(a); err != nil {
		return "", err
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.cur == nil {
		return "", v.fileErr(ErrLocked)
	}
	if a.UUID == "" {
		a.UUID = newUUID()
	} else if v.index(a.UUID) >= 0 {
		return "", fmt.Errorf("%w: %s", ErrDuplicate, a.UUID)
	}
	v.cur.entries = append(v.cur.entries, newEntry(a, v.groupIDs(a.Groups), nil))
	v.dirty = true
	return a.UUID, nil
}

// Update replaces the account with a.UUID by a copy of a, keeping the
// entry's fields Gatekey does not know. Call Save to write it.
func (v *Vault) Update(a otp.Account) error {
	if err := validateAccount(a); err != nil {
		return err
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.cur == nil {
		return v.fileErr(ErrLocked)
	}
	i := v.index(a.UUID)
	if i < 0 || v.cur.entries[i].raw != nil {
		return fmt.Errorf("%w: %s", ErrNotFound, a.UUID)
	}
	old := v.cur.entries[i]
	v.cur.entries[i] = newEntry(a, v.groupIDs(a.Groups), old)
	if v.base[a.UUID] != old {
		old.wipe() // an unsaved version nobody else holds
	}
	v.dirty = true
	return nil
}

// Delete removes the entry with the given uuid (an account, or an entry
// listed in Info().Skipped). Call Save to write it.
func (v *Vault) Delete(uuid string) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.cur == nil {
		return v.fileErr(ErrLocked)
	}
	i := v.index(uuid)
	if i < 0 {
		return fmt.Errorf("%w: %s", ErrNotFound, uuid)
	}
	old := v.cur.entries[i]
	v.cur.entries = append(v.cur.entries[:i], v.cur.entries[i+1:]...)
	if v.base[uuid] != old {
		old.wipe()
	}
	v.dirty = true
	return nil
}

func (v *Vault) groupIDs(names []string) []string {
	var ids []string
	for _, n := range names {
		if id := v.cur.groupByName(n); !contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

// Info describes the vault. It works while the vault is locked.
func (v *Vault) Info() Info {
	v.mu.Lock()
	defer v.mu.Unlock()
	in := Info{Path: v.path, Locked: v.key == nil, Keychain: v.kcStatus, KeychainError: v.kcErr,
		Unsaved: v.dirty || v.slotsDirty, Mode: v.file.header.mode, KeptBackup: v.keptBackup}
	for _, s := range v.file.header.slots {
		if s.typ == slotPassword {
			in.PasswordSlots++
		} else {
			in.OtherSlots++
		}
	}
	if v.cur != nil {
		for _, e := range v.cur.entries {
			if e.raw == nil {
				in.Accounts++
			} else {
				in.Skipped = append(in.Skipped, Skipped{UUID: e.acct.UUID, Issuer: e.acct.Issuer, Name: e.acct.Name, Reason: e.skip})
			}
		}
	}
	return in
}

// encode serializes and encrypts the current state under a fresh nonce.
// A file larger than Gatekey reads back is refused: written, it would be a
// vault nobody can open.
func (v *Vault) encode() ([]byte, error) {
	plain := v.cur.encode()
	ct, nonce, tag, err := gcmSeal(v.key, plain)
	if err != nil {
		clear(plain)
		return nil, fmt.Errorf("encrypting: %w", err)
	}
	v.file.header.nonce, v.file.header.tag = nonce, tag
	out, err := encodeFile(v.file, ct)
	if err == nil && len(out) > maxFileSize {
		return nil, fmt.Errorf("%w: the file would be %d MiB, more than the %d MiB Gatekey reads; remove accounts or icons", ErrTooLarge, len(out)>>20, maxFileSize>>20)
	}
	return out, err
}

// isNotExist reports a missing file.
func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }

// sameEntry compares two entries as they would be written, zeroing the
// encodings afterwards since they hold secrets.
func sameEntry(a, b *entry) bool {
	if a == b {
		return true
	}
	x, y := encodeEntry(a), encodeEntry(b)
	eq := bytes.Equal(x, y)
	clear(x)
	clear(y)
	return eq
}
