package vault

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
)

// Open opens the vault at path: with the master key from the keychain when
// it is there and the vault is not in password mode, else with
// opts.Password. Errors name the file and wrap ErrPasswordRequired (no
// usable key in the keychain, or password mode, and no password given),
// ErrWrongPassword, ErrTooCostly, ErrNotInKeychain or ErrNoKeychain (no
// password slot to fall back on), ErrCorrupt, ErrUnsupportedVersion,
// ErrNotEncrypted or fs.ErrNotExist. Opening never stores the key in the
// keychain.
func Open(path string, opts OpenOptions) (*Vault, error) {
	return OpenContext(context.Background(), path, opts)
}

// OpenContext is Open with a context: trying a password slot may take
// seconds of scrypt work, and a cancelled context stops the wait (the
// error then wraps ctx.Err()).
func OpenContext(ctx context.Context, path string, opts OpenOptions) (*Vault, error) {
	v := newVault(path, opts.Keychain)
	data, err := readBounded(v.path)
	if err != nil {
		return nil, v.fileErr(err)
	}
	if err := v.unlockFrom(ctx, data, opts.Password, true); err != nil {
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
// now on disk. It does nothing if the vault is unlocked. It never stores
// the key in the keychain.
func (v *Vault) Unlock(password []byte) error {
	return v.UnlockContext(context.Background(), password)
}

// UnlockContext is Unlock with a context that cancels the wait for scrypt.
func (v *Vault) UnlockContext(ctx context.Context, password []byte) error {
	if len(password) == 0 {
		return v.fileErr(ErrPasswordRequired)
	}
	return v.unlock(ctx, password, false)
}

// UnlockWithKeychain opens a locked vault with the master key from the
// keychain, reading the file as it is now on disk. A vault in password mode
// fails with ErrPasswordRequired without asking the keychain.
func (v *Vault) UnlockWithKeychain() error { return v.unlock(context.Background(), nil, true) }

func (v *Vault) unlock(ctx context.Context, password []byte, keychain bool) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.key != nil {
		return nil
	}
	data, err := readBounded(v.path)
	if err != nil {
		return v.fileErr(err)
	}
	return v.unlockFrom(ctx, data, password, keychain)
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

// unlockFrom decrypts data with the keychain's key (if asked and the file
// is not in password mode) or the password, and adopts it as the vault's
// state.
func (v *Vault) unlockFrom(ctx context.Context, data, password []byte, tryKeychain bool) error {
	f, ct, err := parseEncrypted(data)
	if err != nil {
		return v.fileErr(err)
	}
	var kcErr error
	switch {
	case passwordOnly(f):
		v.kcStatus, v.kcErr = KeychainNotUsed, nil
		kcErr = fmt.Errorf("%w (it is set to unlock with its password only)", ErrPasswordRequired)
	case tryKeychain:
		key, err := v.keyFromKeychain(f.header.id)
		if err == nil {
			if plain, err := gcmOpen(key, f.header.nonce, ct, f.header.tag); err == nil {
				return v.adopt(f, key, plain, data, true)
			}
			clear(key)
			err = fmt.Errorf("%w: it does not decrypt with the key the keychain holds for it", ErrCorrupt)
		}
		kcErr = err
	default:
		kcErr = ErrPasswordRequired
	}
	if len(password) == 0 {
		return v.fileErr(v.needPassword(f, kcErr))
	}
	key, err := unwrapWithPassword(ctx, f.header.slots, password)
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
	return v.adopt(f, key, plain, data, false)
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

// unwrapWithPassword tries the password slots, at most maxPasswordSlots of
// them: Aegis may hold two (the vault password and a separate backup
// password); a file with more is refused before any scrypt runs. Slots
// whose scrypt cost is above the bounds are not tried; when no slot could
// be tried for that reason, the error is ErrTooCostly, not
// ErrWrongPassword.
func unwrapWithPassword(ctx context.Context, slots []*slot, password []byte) ([]byte, error) {
	var pw []*slot
	for _, s := range slots {
		if s.typ == slotPassword {
			pw = append(pw, s)
		}
	}
	switch {
	case len(pw) == 0:
		return nil, errNoPasswordSlot
	case len(pw) > maxPasswordSlots:
		return nil, &costError{fmt.Sprintf("the file has %d password slots", len(pw))}
	}
	var tried int
	var costly, bad error
	for i, s := range pw {
		if s.bad != nil {
			if errors.Is(s.bad, ErrTooCostly) {
				costly = fmt.Errorf("password slot %d %w", i+1, s.bad)
			} else {
				bad = fmt.Errorf("password slot %d: %w", i+1, s.bad)
			}
			continue
		}
		tried++
		key, err := s.unwrap(ctx, password)
		if err == nil && len(key) == keySize {
			return key, nil
		}
		clear(key)
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, ctxErr
		}
	}
	switch {
	case tried == 0 && costly != nil:
		return nil, costly
	case bad != nil:
		return nil, fmt.Errorf("%w (or %w: %v)", ErrWrongPassword, ErrCorrupt, bad)
	case costly != nil:
		return nil, fmt.Errorf("%w (%v)", ErrWrongPassword, costly)
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
func (v *Vault) adopt(f *vaultFile, key, plain, data []byte, viaKeychain bool) error {
	d, err := parseDB(plain)
	clear(plain)
	if err != nil {
		clear(key)
		return v.fileErr(corrupt(err))
	}
	v.wipe()
	f.db = nil // the ciphertext is not needed again
	// A keychain that did not answer says nothing about where the key of a
	// file without a record is: keep trying it, as before.
	unanswered := f.header.mode == 0 && f.header.id != "" && v.kcStatus == KeychainUnavailable
	f.header.mode = openedMode(f, viaKeychain || unanswered)
	v.file, v.key, v.cur = f, key, d
	v.snapshot(data)
	return nil
}

// snapshot records the state just read or written as the base that later
// saves merge against.
func (v *Vault) snapshot(data []byte) {
	v.rebase(v.cur.entries)
	v.baseSlots = appendSlots(nil, v.file.header.slots)
	v.diskSum = sha256.Sum256(data)
	v.dirty, v.slotsDirty = false, false
}

// rebase makes entries the base later saves merge against, zeroing the
// entries of the old base that neither the new base nor the current state
// holds.
func (v *Vault) rebase(entries []*entry) {
	keep := make(map[*entry]bool, len(v.cur.entries)+len(entries))
	for _, e := range v.cur.entries {
		keep[e] = true
	}
	for _, e := range entries {
		keep[e] = true
	}
	for _, e := range v.base {
		if !keep[e] {
			e.wipe()
		}
	}
	v.base = make(map[string]*entry, len(entries))
	for _, e := range entries {
		v.base[e.acct.UUID] = e
	}
}

// wipe forgets the master key and every decrypted secret.
func (v *Vault) wipe() {
	clear(v.key)
	v.key = nil
	if v.cur != nil {
		v.cur.wipe()
	}
	for _, e := range v.base {
		e.wipe()
	}
	v.cur, v.base = nil, nil
	v.dirty, v.slotsDirty = false, false
}
