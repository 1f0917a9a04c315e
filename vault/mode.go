package vault

import (
	"context"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// UnlockMode says how a vault unlocks on this machine.
//
// The mode is recorded in the file's header (the "gatekey_unlock" field),
// so that it is known before the vault is unlocked and without asking the
// keychain: a vault in password mode opens without the keychain being read
// or written at all. The record can only make unlocking stricter, never
// looser, because the header is not authenticated (anyone who can write the
// file can change it) and because a record may come from another machine
// through a synced folder:
//
//   - A file that records password mode and has a usable password slot
//     opens only with the password; the keychain is not asked even if an
//     older copy of the key is still filed there.
//   - Any other file first tries the key the keychain holds, then the
//     password. A record saying "keychain" cannot put a key into the
//     keychain: only StoreKeyInKeychain (or SetUnlockMode) does that, and
//     never an unlock with the password. So a keychain entry that
//     disappeared makes the vault ask for its password until the person
//     stores the key again, and a file synced from a machine in keychain
//     mode asks for its password on a machine whose keychain never held the
//     key.
//   - A file without a record (written by an older Gatekey or by another
//     app) is in keychain mode when its key was found in the keychain,
//     else in password mode when it has a usable password slot, else in
//     keychain mode. The next save records that.
type UnlockMode int

// The unlock modes.
const (
	// UnlockKeychain keeps the master key in the OS keychain: the desktop
	// login protects the vault, and Gatekey opens it without asking.
	UnlockKeychain UnlockMode = iota + 1
	// UnlockPassword keeps the master key out of the keychain: the vault
	// opens only with its password, at every start and after every lock.
	UnlockPassword
)

// String is the mode as the command line spells it: "keychain" or
// "password".
func (m UnlockMode) String() string {
	switch m {
	case UnlockKeychain:
		return "keychain"
	case UnlockPassword:
		return "password"
	}
	return "unknown"
}

// ParseUnlockMode reads "keychain" or "password" (any case).
func ParseUnlockMode(s string) (UnlockMode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "keychain":
		return UnlockKeychain, nil
	case "password":
		return UnlockPassword, nil
	}
	return 0, fmt.Errorf("unknown unlock mode %q (keychain or password)", s)
}

// parseRecordedMode reads the header's record. Any value but "keychain"
// reads as password mode, the stricter one, so that a value a newer
// version writes never loosens unlocking here.
func parseRecordedMode(raw []byte) UnlockMode {
	if s, _, err := rawString(raw); err == nil && s == "keychain" {
		return UnlockKeychain
	}
	return UnlockPassword
}

// hasUsablePasswordSlot reports whether some password slot can be tried.
func hasUsablePasswordSlot(slots []*slot) bool {
	for _, s := range slots {
		if s.typ == slotPassword && s.bad == nil {
			return true
		}
	}
	return false
}

// passwordOnly reports whether the file records password mode and can be
// opened with a password: then the keychain is not asked.
func passwordOnly(f *vaultFile) bool {
	return f.header.mode == UnlockPassword && hasUsablePasswordSlot(f.header.slots)
}

// openedMode is the mode of a file just opened, through the keychain or
// not; see UnlockMode for the rules.
func openedMode(f *vaultFile, viaKeychain bool) UnlockMode {
	switch {
	case passwordOnly(f):
		return UnlockPassword
	case f.header.mode != 0 || viaKeychain:
		return UnlockKeychain
	case hasUsablePasswordSlot(f.header.slots):
		return UnlockPassword
	}
	return UnlockKeychain
}

// defaultMode is the mode of a new vault: password mode when it has a
// password, keychain mode otherwise.
func defaultMode(hasPassword bool) UnlockMode {
	if hasPassword {
		return UnlockPassword
	}
	return UnlockKeychain
}

// UnlockMode reports how the vault unlocks on this machine. It works while
// the vault is locked.
func (v *Vault) UnlockMode() UnlockMode {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.file.header.mode
}

// SetUnlockMode switches the vault to mode and saves. Switching to password
// mode needs a password slot and the password that opens it (so that nobody
// is locked out), and removes the master key from the keychain; switching
// to keychain mode stores the key there. Either works when the vault is
// already in that mode, to store a key that disappeared from the keychain
// or to remove a copy left there (by another machine's switch, synced).
// The vault must be unlocked.
func (v *Vault) SetUnlockMode(mode UnlockMode, password []byte) error {
	return v.SetUnlockModeContext(context.Background(), mode, password)
}

// SetUnlockModeContext is SetUnlockMode with a context that cancels the
// check of the password.
func (v *Vault) SetUnlockModeContext(ctx context.Context, mode UnlockMode, password []byte) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.key == nil {
		return v.fileErr(ErrLocked)
	}
	switch mode {
	case UnlockKeychain:
		return v.toKeychainMode()
	case UnlockPassword:
		return v.toPasswordMode(ctx, password)
	}
	return fmt.Errorf("unknown unlock mode %d", mode)
}

// StoreKeyInKeychain puts the master key in the keychain and switches the
// vault to keychain mode, so that it opens without its password on this
// machine from now on. A vault made by another app gets a keychain id in
// its header. It is SetUnlockMode(UnlockKeychain, nil).
func (v *Vault) StoreKeyInKeychain() error { return v.SetUnlockMode(UnlockKeychain, nil) }

// RemoveKeyFromKeychain deletes the master key from the keychain and
// switches the vault to password mode, so that it needs its password from
// now on. password must open one of the vault's password slots: it fails
// with ErrLastKey when there is none and ErrWrongPassword when the password
// does not open one, and then changes nothing. It is
// SetUnlockMode(UnlockPassword, password).
func (v *Vault) RemoveKeyFromKeychain(password []byte) error {
	return v.SetUnlockMode(UnlockPassword, password)
}

func (v *Vault) toKeychainMode() error {
	oldID, oldMode, oldDirty := v.file.header.id, v.file.header.mode, v.slotsDirty
	if oldID == "" {
		v.file.header.id = hex.EncodeToString(randomBytes(randomIDSize))
	}
	if err := keychainSet(v.kc, v.file.header.id, v.key); err != nil {
		v.file.header.id = oldID
		v.kcStatus, v.kcErr = KeychainUnavailable, err
		return v.fileErr(err)
	}
	v.kcStatus, v.kcErr = KeychainHasKey, nil
	v.file.header.mode, v.slotsDirty = UnlockKeychain, true
	if err := v.save(); err != nil {
		if oldMode != UnlockKeychain {
			// Unrecorded, the key would sit in the keychain of a file
			// that says it opens with its password only.
			_ = keychainDelete(v.kc, v.file.header.id)
			v.kcStatus = KeychainMissingKey
		}
		v.file.header.id, v.file.header.mode, v.slotsDirty = oldID, oldMode, oldDirty
		return err
	}
	return nil
}

func (v *Vault) toPasswordMode(ctx context.Context, password []byte) error {
	if !hasUsablePasswordSlot(v.file.header.slots) {
		return v.fileErr(fmt.Errorf("%w: the vault has no password; set one first", ErrLastKey))
	}
	if err := v.checkPassword(ctx, password); err != nil {
		return err
	}
	if id := v.file.header.id; id != "" {
		if err := keychainDelete(v.kc, id); err != nil {
			v.kcStatus, v.kcErr = KeychainUnavailable, err
			return v.fileErr(fmt.Errorf("removing the key from the keychain: %w", err))
		}
	}
	// The key has left the keychain: password mode is the truth now, and
	// stays recorded as an unsaved change if this save fails.
	v.kcStatus, v.kcErr = KeychainNotUsed, nil
	v.file.header.mode, v.slotsDirty = UnlockPassword, true
	return v.save()
}

// checkPassword proves that password opens the vault as it is: one of its
// password slots must give the master key in use.
func (v *Vault) checkPassword(ctx context.Context, password []byte) error {
	if len(password) == 0 {
		return v.fileErr(fmt.Errorf("%w: give the vault's password", ErrPasswordRequired))
	}
	key, err := unwrapWithPassword(ctx, v.file.header.slots, password)
	if errors.Is(err, errNoPasswordSlot) {
		return v.fileErr(fmt.Errorf("%w: the vault has no password", ErrLastKey))
	}
	if err != nil {
		return v.fileErr(err)
	}
	same := subtle.ConstantTimeCompare(key, v.key) == 1
	clear(key)
	if !same {
		return v.fileErr(fmt.Errorf("%w (it opens a slot that holds another key)", ErrWrongPassword))
	}
	return nil
}

// CheckPassword proves that password opens the vault as it is, without
// changing anything: a caller asks for it before a change that needs the
// person to know the password.
func (v *Vault) CheckPassword(password []byte) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.key == nil {
		return v.fileErr(ErrLocked)
	}
	return v.checkPassword(context.Background(), password)
}
