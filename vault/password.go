package vault

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
)

// A password change leaves the old password in more places than the
// vault file: vault.json.bak is the previous file, with the previous
// slots, and the temporary files of interrupted saves too. Every slot
// change therefore writes the backup again from the file it replaces,
// with the same accounts under the new slots (and the new master key when
// the key is rotated), and removes the temporary files. A copy made
// elsewhere (a sync tool's history, a backup of the disk) still opens with
// the old password; only rotating the master key (ChangePassword) makes
// such a copy's key useless for the vault as it is from then on.

// HasPassword reports whether the vault has a password slot. It works
// while the vault is locked.
func (v *Vault) HasPassword() bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	for _, s := range v.file.header.slots {
		if s.typ == slotPassword {
			return true
		}
	}
	return false
}

// SetPassword adds a password slot, or replaces the vault's password
// slots, by wrapping the same master key under the new password, and
// saves. Aegis's separate backup-password slots and biometric slots keep
// working. vault.json.bak is written again under the new slots, so that it
// no longer opens with the old password. It does not change the unlock
// mode. To change a password and invalidate what the old one opens, use
// ChangePassword.
func (v *Vault) SetPassword(password []byte) error {
	if len(password) == 0 {
		return errors.New("the password is empty")
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.key == nil {
		return v.fileErr(ErrLocked)
	}
	s, err := newPasswordSlot(v.key, password)
	if err != nil {
		return v.fileErr(err)
	}
	var slots []*slot
	for _, old := range v.file.header.slots {
		if old.typ != slotPassword || (old.bad == nil && old.backup) {
			slots = append(slots, old)
		}
	}
	return v.replaceSlots(append(slots, s))
}

// RemovePassword removes every password slot and saves, so that the vault
// opens only through this machine's keychain. It fails with ErrLastKey in
// password mode and unless the keychain holds the vault's key.
func (v *Vault) RemovePassword() error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.key == nil {
		return v.fileErr(ErrLocked)
	}
	if v.file.header.mode == UnlockPassword {
		return v.fileErr(fmt.Errorf("%w: the vault unlocks with its password only; switch it to keychain mode first", ErrLastKey))
	}
	key, err := v.keyFromKeychain(v.file.header.id)
	if err != nil {
		return v.fileErr(fmt.Errorf("%w: %w", ErrLastKey, err))
	}
	same := bytes.Equal(key, v.key)
	clear(key)
	if !same {
		return v.fileErr(fmt.Errorf("%w: the keychain holds another key for this vault", ErrLastKey))
	}
	var slots []*slot
	for _, old := range v.file.header.slots {
		if old.typ != slotPassword {
			slots = append(slots, old)
		}
	}
	return v.replaceSlots(slots)
}

// replaceSlots saves the vault with new slots under the same key.
func (v *Vault) replaceSlots(slots []*slot) error {
	if slots == nil {
		slots = []*slot{}
	}
	lock, err := lockVault(v.path)
	if err != nil {
		return v.fileErr(err)
	}
	defer lock.unlock()
	old, oldDirty := v.file.header.slots, v.slotsDirty
	v.file.header.slots, v.slotsDirty = slots, true
	if err := v.saveLocked(v.rewriteBackup(v.key)); err != nil {
		v.file.header.slots, v.slotsDirty = old, oldDirty
		return err
	}
	removeStaleTemps(v.path, 0)
	return nil
}

// PasswordChange reports what ChangePassword did, so that the window can
// warn about what stopped working.
type PasswordChange struct {
	// DroppedSlots counts the slots other apps use that held the old master
	// key and were removed: Aegis's fingerprint unlock, a separate Aegis
	// backup password, slots of unknown types. Those apps now need the new
	// password.
	DroppedSlots int
	// KeychainUpdated is true when the new master key was stored in the
	// keychain (keychain mode). In keychain mode, false means the keychain
	// did not take it (Info().KeychainError says why): the vault opens with
	// its password until StoreKeyInKeychain succeeds.
	KeychainUpdated bool
}

// ChangePassword replaces the vault's password and rotates its master key:
// the accounts are encrypted again under a new random key, wrapped only by
// the new password (and stored in the keychain in keychain mode), so that
// an old copy of the file together with the old password no longer gives
// the key to the vault as it is from now on. current must open one of the
// vault's password slots (ErrWrongPassword otherwise); it is ignored when
// the vault has no password yet. Slots of other apps wrap the old key and
// are dropped: the result counts them. vault.json.bak is written again
// under the new key and password. On any error nothing changed.
func (v *Vault) ChangePassword(current, next []byte) (PasswordChange, error) {
	if len(next) == 0 {
		return PasswordChange{}, errors.New("the new password is empty")
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.key == nil {
		return PasswordChange{}, v.fileErr(ErrLocked)
	}
	if hasUsablePasswordSlot(v.file.header.slots) {
		if err := v.checkPassword(context.Background(), current); err != nil {
			return PasswordChange{}, err
		}
	}
	r, err := v.newRotation(next)
	if err != nil {
		return PasswordChange{}, err
	}
	lock, err := lockVault(v.path)
	if err != nil {
		r.abandon(v)
		return PasswordChange{}, v.fileErr(err)
	}
	defer lock.unlock()
	// Write pending changes and merge the file's under the old key first,
	// so that the rotation starts from the file as it is on disk.
	if err := v.saveLocked(nil); err != nil {
		r.abandon(v)
		return PasswordChange{}, err
	}
	return v.rotate(r)
}

// rotation is a new master key, wrapped by the new password, under a new
// keychain id.
type rotation struct {
	key   []byte
	slot  *slot
	id    string
	filed bool // the key is in the keychain under id
}

// newRotation makes the new key and, in keychain mode, files it under a
// new id before the vault's lock is taken (a keychain may take long to
// answer): whatever happens next, the keychain holds a key for the file on
// disk. A keychain that does not take it leaves the vault to its password
// until the key is stored again.
func (v *Vault) newRotation(password []byte) (*rotation, error) {
	r := &rotation{key: randomBytes(keySize), id: hex.EncodeToString(randomBytes(randomIDSize))}
	var err error
	if r.slot, err = newPasswordSlot(r.key, password); err != nil {
		clear(r.key)
		return nil, v.fileErr(err)
	}
	if v.file.header.mode == UnlockKeychain {
		if err := keychainSet(v.kc, r.id, r.key); err != nil {
			v.kcStatus, v.kcErr = KeychainUnavailable, err
		} else {
			r.filed = true
		}
	}
	return r, nil
}

// abandon forgets a rotation that was not made.
func (r *rotation) abandon(v *Vault) {
	clear(r.key)
	if r.filed {
		_ = keychainDelete(v.kc, r.id)
	}
}

// rotate re-encrypts the vault under r. The caller holds the lock and has
// just saved.
func (v *Vault) rotate(r *rotation) (PasswordChange, error) {
	res := PasswordChange{KeychainUpdated: r.filed}
	for _, old := range v.file.header.slots {
		if old.typ != slotPassword || old.bad != nil || old.backup {
			res.DroppedSlots++
		}
	}
	oldKey, oldID, oldSlots := v.key, v.file.header.id, v.file.header.slots
	v.key, v.file.header.id, v.file.header.slots, v.slotsDirty = r.key, r.id, []*slot{r.slot}, true
	if err := v.saveLocked(v.rewriteBackup(oldKey)); err != nil {
		v.key, v.file.header.id, v.file.header.slots, v.slotsDirty = oldKey, oldID, oldSlots, false
		r.abandon(v)
		return PasswordChange{}, err
	}
	clear(oldKey)
	if r.filed {
		v.kcStatus, v.kcErr = KeychainHasKey, nil
	}
	if r.filed && oldID != "" {
		_ = keychainDelete(v.kc, oldID) // it opens only old copies now
	}
	removeStaleTemps(v.path, 0)
	return res, nil
}

// rewriteBackup returns what replaceFile writes as the backup after a slot
// change: the file being replaced, its accounts as they are, under the
// vault's current slots, id and key. A file that does not open with
// oldKey (not this vault's) is kept as a plain backup.
func (v *Vault) rewriteBackup(oldKey []byte) func(old []byte) []byte {
	return func(old []byte) []byte {
		f, ct, err := parseEncrypted(old)
		if err != nil {
			return nil
		}
		plain, err := gcmOpen(oldKey, f.header.nonce, ct, f.header.tag)
		if err != nil {
			return nil
		}
		ct, nonce, tag, err := gcmSeal(v.key, plain)
		if err != nil {
			clear(plain)
			return nil
		}
		h := *v.file
		h.header.nonce, h.header.tag = nonce, tag
		out, err := encodeFile(&h, ct)
		if err != nil {
			return nil
		}
		return out
	}
}
