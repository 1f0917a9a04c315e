// Package vault keeps account secrets encrypted under a master key held by
// the OS keychain.
//
// The file is an Aegis vault (formats.md §4): the accounts are encrypted
// with AES-256-GCM under a random master key, and the master key is kept in
// the OS keychain and, optionally, wrapped by a password in a slot of the
// file, so that a copy opens anywhere (Aegis on a phone included). Fields,
// slots and entries Gatekey does not understand are kept when it re-saves a
// file another app also writes.
//
// A Vault is safe for use by several goroutines.
package vault

import (
	"bytes"
	"crypto/sha256"
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
}

// OpenOptions configures Open.
type OpenOptions struct {
	// Password is tried when the keychain does not open the vault.
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

// Create makes a new empty vault at path, storing its master key in the
// keychain and, if opts.Password is set, in a password slot. It fails with
// ErrExists if a file is already there, and with ErrNoKeychain if no
// keychain works and no password was given (the vault could never be opened
// again). The folder is created with mode 0700 if missing.
func Create(path string, opts CreateOptions) (*Vault, error) {
	v := newVault(path, opts.Keychain)
	if _, err := os.Lstat(v.path); err == nil {
		return nil, v.fileErr(ErrExists)
	}
	if err := os.MkdirAll(filepath.Dir(v.path), 0o700); err != nil {
		return nil, v.fileErr(fmt.Errorf("creating its folder: %w", err))
	}
	v.key = randomBytes(keySize)
	v.file = &vaultFile{header: header{id: hex.EncodeToString(randomBytes(randomIDSize)), slots: []*slot{}}}
	v.cur = &db{}
	v.base = map[string]*entry{}
	if len(opts.Password) > 0 {
		s, err := newPasswordSlot(v.key, opts.Password)
		if err != nil {
			return nil, v.fileErr(err)
		}
		v.file.header.slots = append(v.file.header.slots, s)
	}
	if err := keychainSet(v.kc, v.file.header.id, v.key); err != nil {
		v.kcStatus, v.kcErr = KeychainUnavailable, err
		if len(opts.Password) == 0 {
			clear(v.key)
			return nil, v.fileErr(fmt.Errorf("%w; create the vault with a password", err))
		}
	} else {
		v.kcStatus = KeychainHasKey
	}
	out, err := v.encode()
	if err == nil {
		err = createExclusive(v.path, out)
	}
	if err != nil {
		if v.kcStatus == KeychainHasKey {
			_ = keychainDelete(v.kc, v.file.header.id)
		}
		clear(v.key)
		if errors.Is(err, ErrExists) {
			return nil, v.fileErr(err)
		}
		return nil, v.fileErr(fmt.Errorf("writing: %w", err))
	}
	v.snapshot(out)
	return v, nil
}

// Open opens the vault at path: with the master key from the keychain when
// it is there, else with opts.Password. Errors name the file and wrap
// ErrPasswordRequired (no usable key in the keychain and no password
// given), ErrWrongPassword, ErrNotInKeychain or ErrNoKeychain (no password
// slot to fall back on), ErrCorrupt, ErrUnsupportedVersion, ErrNotEncrypted
// or fs.ErrNotExist.
func Open(path string, opts OpenOptions) (*Vault, error) {
	v := newVault(path, opts.Keychain)
	data, err := readBounded(v.path)
	if err != nil {
		return nil, v.fileErr(err)
	}
	if err := v.unlockFrom(data, opts.Password, true); err != nil {
		return nil, err
	}
	return v, nil
}

// Path is the absolute path of the vault file.
func (v *Vault) Path() string { return v.path }

// Locked reports whether the vault is locked.
func (v *Vault) Locked() bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.key == nil
}

// Lock saves unsaved changes, then forgets the master key and every
// decrypted secret. The vault is locked even when the save fails; the
// error then says the last changes were not written.
func (v *Vault) Lock() error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.key == nil {
		return nil
	}
	var err error
	if v.dirty || v.slotsDirty {
		if err = v.save(); err != nil {
			err = fmt.Errorf("locking without saving the last changes: %w", err)
		}
	}
	v.wipe()
	return err
}

// Unlock opens a locked vault with its password, reading the file as it is
// now on disk. It does nothing if the vault is unlocked.
func (v *Vault) Unlock(password []byte) error {
	if len(password) == 0 {
		return v.fileErr(ErrPasswordRequired)
	}
	return v.unlock(password, false)
}

// UnlockWithKeychain opens a locked vault with the master key from the
// keychain, reading the file as it is now on disk.
func (v *Vault) UnlockWithKeychain() error { return v.unlock(nil, true) }

func (v *Vault) unlock(password []byte, keychain bool) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.key != nil {
		return nil
	}
	data, err := readBounded(v.path)
	if err != nil {
		return v.fileErr(err)
	}
	return v.unlockFrom(data, password, keychain)
}

// parseEncrypted parses an encrypted vault file and returns it with its db
// ciphertext; a plain export or a damaged file is an error.
func parseEncrypted(data []byte) (*vaultFile, []byte, error) {
	f, err := parseFile(data)
	if err != nil {
		return nil, nil, corrupt(err)
	}
	if f.header.plain {
		return nil, nil, ErrNotEncrypted
	}
	ct, err := decodeDBCiphertext(f.db)
	if err != nil {
		return nil, nil, corrupt(err)
	}
	return f, ct, nil
}

// unlockFrom decrypts data with the keychain's key (if asked) or the
// password, and adopts it as the vault's state.
func (v *Vault) unlockFrom(data, password []byte, tryKeychain bool) error {
	f, ct, err := parseEncrypted(data)
	if err != nil {
		return v.fileErr(err)
	}
	var kcErr error
	if tryKeychain {
		key, err := v.keyFromKeychain(f.header.id)
		if err == nil {
			if plain, err := gcmOpen(key, f.header.nonce, ct, f.header.tag); err == nil {
				return v.adopt(f, key, plain, data)
			}
			clear(key)
			err = fmt.Errorf("%w: it does not decrypt with the key the keychain holds for it", ErrCorrupt)
		}
		kcErr = err
	} else {
		kcErr = ErrPasswordRequired
	}
	if len(password) == 0 {
		return v.fileErr(v.needPassword(f, kcErr))
	}
	key, err := unwrapWithPassword(f.header.slots, password)
	if err != nil {
		if errors.Is(err, errNoPasswordSlot) {
			return v.fileErr(fmt.Errorf("%w and it has no password slot", kcErr))
		}
		return v.fileErr(err)
	}
	plain, err := gcmOpen(key, f.header.nonce, ct, f.header.tag)
	if err != nil {
		clear(key)
		return v.fileErr(fmt.Errorf("%w: it does not decrypt with the key its password slot holds", ErrCorrupt))
	}
	return v.adopt(f, key, plain, data)
}

func (v *Vault) keyFromKeychain(id string) ([]byte, error) {
	if id == "" {
		v.kcStatus, v.kcErr = KeychainMissingKey, nil
		return nil, fmt.Errorf("%w (the file was not opened with Gatekey on this machine)", ErrNotInKeychain)
	}
	key, err := keychainGet(v.kc, id)
	switch {
	case err == nil:
		v.kcStatus, v.kcErr = KeychainHasKey, nil
	case errors.Is(err, ErrNotInKeychain):
		v.kcStatus, v.kcErr = KeychainMissingKey, nil
	default:
		v.kcStatus, v.kcErr = KeychainUnavailable, err
	}
	return key, err
}

// needPassword explains why a vault did not open without a password.
func (v *Vault) needPassword(f *vaultFile, kcErr error) error {
	if errors.Is(kcErr, ErrCorrupt) {
		return kcErr
	}
	for _, s := range f.header.slots {
		if s.typ == slotPassword {
			if errors.Is(kcErr, ErrPasswordRequired) {
				return kcErr
			}
			return fmt.Errorf("%w (%w)", ErrPasswordRequired, kcErr)
		}
	}
	return fmt.Errorf("%w and it has no password slot", kcErr)
}

var errNoPasswordSlot = errors.New("no password slot")

// unwrapWithPassword tries every password slot. Aegis may hold two (the
// vault password and a separate backup password).
func unwrapWithPassword(slots []*slot, password []byte) ([]byte, error) {
	var found bool
	var bad error
	for _, s := range slots {
		if s.typ != slotPassword {
			continue
		}
		found = true
		if s.bad != nil {
			bad = s.bad
			continue
		}
		key, err := s.unwrap(password)
		if err == nil && len(key) == keySize {
			return key, nil
		}
		clear(key)
	}
	switch {
	case !found:
		return nil, errNoPasswordSlot
	case bad != nil:
		return nil, fmt.Errorf("%w (or %w: %v)", ErrWrongPassword, ErrCorrupt, bad)
	}
	return nil, ErrWrongPassword
}

func corrupt(err error) error {
	if errors.Is(err, ErrUnsupportedVersion) || errors.Is(err, ErrCorrupt) {
		return err
	}
	return fmt.Errorf("%w: %v", ErrCorrupt, err)
}

// adopt makes the decrypted file the vault's state.
func (v *Vault) adopt(f *vaultFile, key, plain, data []byte) error {
	d, err := parseDB(plain)
	clear(plain)
	if err != nil {
		clear(key)
		return v.fileErr(corrupt(err))
	}
	v.wipe()
	f.db = nil // the ciphertext is not needed again
	v.file, v.key, v.cur = f, key, d
	v.snapshot(data)
	return nil
}

// snapshot records the state just read or written as the base that later
// saves merge against.
func (v *Vault) snapshot(data []byte) {
	live := make(map[*entry]bool, len(v.cur.entries))
	for _, e := range v.cur.entries {
		live[e] = true
	}
	for _, e := range v.base {
		if !live[e] {
			e.wipe()
		}
	}
	v.base = make(map[string]*entry, len(v.cur.entries))
	for _, e := range v.cur.entries {
		v.base[e.acct.UUID] = e
	}
	v.baseSlots = appendSlots(nil, v.file.header.slots)
	v.diskSum = sha256.Sum256(data)
	v.dirty, v.slotsDirty = false, false
}

// wipe forgets the master key and every decrypted secret.
func (v *Vault) wipe() {
	clear(v.key)
	v.key = nil
	if v.cur != nil {
		for _, e := range v.cur.entries {
			e.wipe()
		}
	}
	for _, e := range v.base {
		e.wipe()
	}
	v.cur, v.base = nil, nil
	v.dirty, v.slotsDirty = false, false
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
		Unsaved: v.dirty || v.slotsDirty}
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
func (v *Vault) encode() ([]byte, error) {
	hint := 256
	if n := len(v.cur.entries); n > 0 {
		hint = n * 320
	}
	plain := v.cur.encode(hint)
	ct, nonce, tag, err := gcmSeal(v.key, plain)
	if err != nil {
		clear(plain)
		return nil, fmt.Errorf("encrypting: %w", err)
	}
	v.file.header.nonce, v.file.header.tag = nonce, tag
	return encodeFile(v.file, ct)
}

// isNotExist reports a missing file.
func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }

// sameEntry compares two entries as they would be written, zeroing them afterwards since
// they hold secrets.
func sameEntry(a, b *entry) bool {
	if a == b {
		return true
	}
	x, y := appendEntry(nil, a), appendEntry(nil, b)
	eq := bytes.Equal(x, y)
	clear(x)
	clear(y)
	return eq
}
