package vault

import (
	"bytes"
	"crypto/sha256"
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

// maxSaveAttempts bounds how often one save merges again because a
// program that does not take the lock (a sync tool) replaced the file while
// the save was writing.
const maxSaveAttempts = 5

// save writes the vault under the vault's lock file, so that no other
// Gatekey process reads, merges or renames in between.
func (v *Vault) save() error {
	if v.key == nil {
		return v.fileErr(ErrLocked)
	}
	lock, err := lockVault(v.path)
	if err != nil {
		return v.fileErr(err)
	}
	defer lock.unlock()
	return v.saveLocked(nil)
}

// saveLocked is save for a caller that holds the lock. rebackup, when set,
// makes the backup from the file being replaced (see replaceFile).
func (v *Vault) saveLocked(rebackup func([]byte) []byte) error {
	for attempt := 1; ; attempt++ {
		err := v.saveOnce(rebackup)
		if !errors.Is(err, errReplacedMeanwhile) || attempt == maxSaveAttempts {
			return err
		}
	}
}

// saveOnce reads the file, merges what changed on disk and replaces it.
func (v *Vault) saveOnce(rebackup func([]byte) []byte) error {
	disk, err := readBounded(v.path)
	exists := err == nil
	if err != nil && !isNotExist(err) {
		return v.fileErr(fmt.Errorf("reading the file before saving: %w", err))
	}
	sum := sha256.Sum256(disk)
	changed := exists && sum != v.diskSum
	if !changed && !v.dirty && !v.slotsDirty {
		return nil
	}
	if changed {
		if err := v.merge(disk, sum); err != nil {
			return v.fileErr(err)
		}
	}
	out, err := v.encode()
	if err != nil {
		return v.fileErr(err)
	}
	if err := replaceFile(v.path, out, exists, sum, rebackup); err != nil {
		if errors.Is(err, errReplacedMeanwhile) {
			return err
		}
		return v.fileErr(fmt.Errorf("writing: %w", err))
	}
	v.snapshot(out)
	return nil
}

// merge folds the newer file on disk into the current state: a three-way
// merge by entry uuid against the state last read or written. The file
// merged becomes the new base, so that a save that has to merge again (the
// file changed once more) merges only what changed since. It changes
// nothing when it fails. sum is disk's SHA-256.
func (v *Vault) merge(disk []byte, sum [sha256.Size]byte) error {
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
	diskSlots := appendSlots(nil, f.header.slots)
	if v.slotsDirty && !bytes.Equal(diskSlots, v.baseSlots) {
		conflicts = append(conflicts, "the password")
	}
	if len(conflicts) > 0 {
		theirs.wipe()
		return fmt.Errorf("%w and %s changed both here and there; nothing was written: reload the vault to get the newer file, then make your change again", ErrChangedOnDisk, describe(conflicts))
	}
	for _, g := range v.cur.groups {
		if !theirs.hasGroup(g.uuid) {
			theirs.groups = append(theirs.groups, g)
		}
	}
	base := theirs.entries
	theirs.entries = merged
	v.cur.entries = nil
	v.cur = theirs
	v.rebase(base)
	v.baseSlots = diskSlots
	v.diskSum = sum
	if !v.slotsDirty {
		v.file.header.slots = f.header.slots
		if f.header.mode != 0 { // a file rewritten by another app records none
			v.file.header.mode = f.header.mode
		}
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
	return v.adopt(f, bytes.Clone(v.key), plain, data, v.file.header.mode == UnlockKeychain)
}
