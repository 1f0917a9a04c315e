package vault

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// Save writes the vault if anything changed: atomically, keeping the
// previous file as vault.json.bak, under the same master key and a fresh
// nonce. If the file changed on disk since it was read (a sync tool wrote a
// newer one), Save merges the two by entry uuid; when the same entry was
// changed in both places, or the newer file does not open with this
// vault's key, nothing is written and the error wraps ErrChangedOnDisk.
func (v *Vault) Save() error {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.save()
}

func (v *Vault) save() error {
	if v.key == nil {
		return v.fileErr(ErrLocked)
	}
	disk, err := readBounded(v.path)
	exists := err == nil
	if err != nil && !isNotExist(err) {
		return v.fileErr(fmt.Errorf("reading the file before saving: %w", err))
	}
	changed := exists && sha256.Sum256(disk) != v.diskSum
	if !changed && !v.dirty && !v.slotsDirty {
		return nil
	}
	if changed {
		if err := v.merge(disk); err != nil {
			return v.fileErr(err)
		}
	}
	out, err := v.encode()
	if err != nil {
		return v.fileErr(err)
	}
	if err := writeAtomic(v.path, out, exists); err != nil {
		return v.fileErr(fmt.Errorf("writing: %w", err))
	}
	v.snapshot(out)
	return nil
}

// merge folds the newer file on disk into the current state: a three-way
// merge by entry uuid against the state last read or written. It changes
// nothing when it fails.
func (v *Vault) merge(disk []byte) error {
	const keep = "it was not overwritten"
	f, err := parseFile(disk)
	if err == nil && f.header.plain {
		err = errors.New("it is not encrypted")
	}
	var ct []byte
	if err == nil {
		ct, err = decodeDBCiphertext(f.db)
	}
	if err != nil {
		return fmt.Errorf("%w and the new file is not a vault Gatekey can read (%v); %s: move it aside or restore vault.json.bak, then open the vault again", ErrChangedOnDisk, err, keep)
	}
	plain, err := gcmOpen(v.key, f.header.nonce, ct, f.header.tag)
	if err != nil {
		return fmt.Errorf("%w and the new file does not open with this vault's key (another vault replaced it, or it is damaged); %s: move it aside, then open it on its own", ErrChangedOnDisk, keep)
	}
	theirs, err := parseDB(plain)
	clear(plain)
	if err != nil {
		return fmt.Errorf("%w and the new file's content is damaged (%v); %s", ErrChangedOnDisk, err, keep)
	}
	merged, conflicts := mergeEntries(v.base, v.cur.entries, theirs.entries)
	if v.slotsDirty && !bytes.Equal(appendSlots(nil, f.header.slots), v.baseSlots) {
		conflicts = append(conflicts, "the password")
	}
	if len(conflicts) > 0 {
		wipeUnused(theirs.entries, nil)
		return fmt.Errorf("%w and %s changed both here and there; nothing was written: reload the vault to get the newer file, then make your change again", ErrChangedOnDisk, describe(conflicts))
	}
	wipeUnused(theirs.entries, merged)
	for _, g := range v.cur.groups {
		if !theirs.hasGroup(g.uuid) {
			theirs.groups = append(theirs.groups, g)
		}
	}
	theirs.entries = merged
	v.cur = theirs
	if !v.slotsDirty {
		v.file.header.slots = f.header.slots
	}
	if v.file.header.id == "" {
		v.file.header.id = f.header.id
	}
	v.file.header.extra = f.header.extra
	v.file.extra = f.extra
	v.dirty = true
	return nil
}

// mergeEntries merges by uuid: an entry changed on one side only takes
// that side's version; added entries are kept, deleted ones dropped; an
// entry changed on both sides differently (or changed on one and deleted
// on the other) is a conflict. Their order is kept, with entries added
// here appended.
func mergeEntries(base map[string]*entry, ours, theirs []*entry) (merged []*entry, conflicts []string) {
	mine := make(map[string]*entry, len(ours))
	for _, e := range ours {
		mine[e.acct.UUID] = e
	}
	inTheirs := make(map[string]bool, len(theirs))
	for _, t := range theirs {
		u := t.acct.UUID
		inTheirs[u] = true
		b, o := base[u], mine[u]
		switch {
		case b == nil && o == nil: // added there
			merged = append(merged, t)
		case o == nil: // deleted here
			if !sameEntry(b, t) {
				conflicts = append(conflicts, label(t))
			}
		case b == nil || (o != b && !sameEntry(b, t)): // changed on both sides
			if sameEntry(o, t) {
				merged = append(merged, o)
			} else {
				conflicts = append(conflicts, label(o))
			}
		case o != b: // changed here only
			merged = append(merged, o)
		default: // changed there, or not at all
			merged = append(merged, t)
		}
	}
	for _, o := range ours {
		u := o.acct.UUID
		if inTheirs[u] {
			continue
		}
		switch b := base[u]; {
		case b == nil: // added here
			merged = append(merged, o)
		case b != o: // changed here, deleted there
			conflicts = append(conflicts, label(o))
		}
	}
	return merged, conflicts
}

func label(e *entry) string {
	switch {
	case e.acct.Issuer != "" && e.acct.Name != "":
		return fmt.Sprintf("%q", e.acct.Issuer+" ("+e.acct.Name+")")
	case e.acct.Issuer != "":
		return fmt.Sprintf("%q", e.acct.Issuer)
	}
	return fmt.Sprintf("%q", e.acct.Name)
}

func describe(items []string) string {
	if len(items) > 3 {
		return fmt.Sprintf("%s and %d more were", strings.Join(items[:3], ", "), len(items)-3)
	}
	if len(items) == 1 {
		return items[0] + " was"
	}
	return strings.Join(items, ", ") + " were"
}

// wipeUnused zeroes the entries of list that did not make it into kept.
func wipeUnused(list, kept []*entry) {
	live := make(map[*entry]bool, len(kept))
	for _, e := range kept {
		live[e] = true
	}
	for _, e := range list {
		if !live[e] {
			e.wipe()
		}
	}
}

// Reload drops unsaved changes and reads the file as it is on disk, with
// the master key already known.
func (v *Vault) Reload() error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.key == nil {
		return v.fileErr(ErrLocked)
	}
	data, err := readBounded(v.path)
	if err != nil {
		return v.fileErr(err)
	}
	f, ct, err := parseEncrypted(data)
	if err != nil {
		return v.fileErr(err)
	}
	plain, err := gcmOpen(v.key, f.header.nonce, ct, f.header.tag)
	if err != nil {
		return v.fileErr(fmt.Errorf("%w: it does not decrypt with this vault's key", ErrCorrupt))
	}
	return v.adopt(f, bytes.Clone(v.key), plain, data)
}

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
// slots, by wrapping the same master key under the new password, and saves.
// Aegis's separate backup-password slots and biometric slots are kept.
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
// opens only through this machine's keychain. It fails with ErrLastKey
// unless the keychain holds the vault's key.
func (v *Vault) RemovePassword() error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.key == nil {
		return v.fileErr(ErrLocked)
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

func (v *Vault) replaceSlots(slots []*slot) error {
	if slots == nil {
		slots = []*slot{}
	}
	old, oldDirty := v.file.header.slots, v.slotsDirty
	v.file.header.slots, v.slotsDirty = slots, true
	if err := v.save(); err != nil {
		v.file.header.slots, v.slotsDirty = old, oldDirty
		return err
	}
	return nil
}

// StoreKeyInKeychain puts the master key in the keychain, so that the vault
// opens without its password on this machine from now on. A vault made by
// another app gets a keychain id in its header, saved at once.
func (v *Vault) StoreKeyInKeychain() error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.key == nil {
		return v.fileErr(ErrLocked)
	}
	newID := v.file.header.id == ""
	if newID {
		v.file.header.id = hex.EncodeToString(randomBytes(randomIDSize))
	}
	if err := keychainSet(v.kc, v.file.header.id, v.key); err != nil {
		if newID {
			v.file.header.id = ""
		}
		v.kcStatus, v.kcErr = KeychainUnavailable, err
		return v.fileErr(err)
	}
	v.kcStatus, v.kcErr = KeychainHasKey, nil
	if newID {
		v.slotsDirty = true
		return v.save()
	}
	return nil
}

// RemoveKeyFromKeychain deletes the master key from the keychain, so that
// the vault needs its password from now on. It fails with ErrLastKey when
// the vault has no password slot.
func (v *Vault) RemoveKeyFromKeychain() error {
	v.mu.Lock()
	defer v.mu.Unlock()
	hasPassword := false
	for _, s := range v.file.header.slots {
		hasPassword = hasPassword || (s.typ == slotPassword && s.bad == nil)
	}
	if !hasPassword {
		return v.fileErr(fmt.Errorf("%w: it has no password", ErrLastKey))
	}
	if v.file.header.id == "" {
		return nil
	}
	if err := keychainDelete(v.kc, v.file.header.id); err != nil {
		return v.fileErr(err)
	}
	v.kcStatus, v.kcErr = KeychainMissingKey, nil
	return nil
}
