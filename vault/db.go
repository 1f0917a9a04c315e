package vault

import (
	"bytes"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/gatekey/gatekey/otp"
)

// dbVersion is the version of the db layout written: Aegis 3.x, with entry
// groups as uuids listed in db "groups".
const dbVersion = 3

// db is the decrypted content of a vault.
type db struct {
	extra   object // db fields other than version, entries and groups
	groups  []*group
	entries []*entry
}

type group struct {
	uuid, name string
	extra      object
}

// entry is one db entry. Entries are never changed after they are built
// (Update builds a new one), so the snapshot taken at load time can be
// compared with the current state by pointer when merging.
type entry struct {
	acct      otp.Account // Groups is unused: see groupIDs
	groupIDs  []string
	iconHash  string // as read, or computed for a changed icon; "" writes null
	extra     object // entry fields Gatekey does not know
	infoExtra object // info fields Gatekey does not know
	raw       []byte // non-nil for an entry kept verbatim (unsupported)
	skip      string // why the entry is not shown as an account
}

// Skipped is an entry of a vault that Gatekey keeps but does not show as an
// account, such as an MD5 or Yandex entry made by Aegis.
type Skipped struct {
	UUID   string
	Issuer string
	Name   string
	Reason string
}

var (
	dbKnown    = []string{"version", "entries", "groups"}
	entryKnown = []string{"type", "uuid", "name", "issuer", "note", "favorite", "icon", "icon_mime", "icon_hash", "info", "groups", "group"}
	infoKnown  = []string{"secret", "algo", "digits", "period", "counter"}
	groupKnown = []string{"uuid", "name"}
)

// maxDigits is the largest number of digits accepted from files, as Aegis
// does (formats.md §1).
const maxDigits = 10

// parseDB reads decrypted (or plain) db content. Entries Gatekey cannot
// show are kept verbatim and marked; only a db whose structure is wrong is
// an error.
func parseDB(data []byte) (*db, error) {
	var o object
	if err := json.Unmarshal(data, &o); err != nil || o == nil {
		if err == nil {
			return nil, errors.New("db is not a JSON object")
		}
		return nil, fmt.Errorf("db: %w", jsonError(err))
	}
	defer o.zero()
	vraw, ok := o["version"]
	if !ok {
		return nil, errors.New(`db has no "version"`)
	}
	ver, err := rawInt(vraw)
	if err != nil || ver < 1 {
		return nil, errors.New(`db "version" is not a positive integer`)
	}
	if ver > dbVersion {
		return nil, fmt.Errorf("%w (db version %d, this program reads up to %d)", ErrUnsupportedVersion, ver, dbVersion)
	}
	d := &db{}
	if g, ok := o["groups"]; ok && string(g) != "null" {
		if err := d.parseGroups(g); err != nil {
			return nil, err
		}
	}
	eraw, ok := o["entries"]
	if !ok {
		return nil, errors.New(`db has no "entries"`)
	}
	var list []json.RawMessage
	if err := json.Unmarshal(eraw, &list); err != nil {
		return nil, errors.New(`db "entries" is not an array`)
	}
	if len(list) > maxAccountCount {
		return nil, fmt.Errorf("db has more than %d entries", maxAccountCount)
	}
	seen := make(map[string]bool, len(list))
	d.entries = make([]*entry, 0, len(list))
	for i, r := range list {
		e, err := d.parseEntry(r)
		clear(r)
		if err != nil {
			return nil, fmt.Errorf("entry %d: %w", i+1, err)
		}
		if seen[e.acct.UUID] {
			return nil, fmt.Errorf("entry %d: uuid %s is used twice", i+1, e.acct.UUID)
		}
		seen[e.acct.UUID] = true
		d.entries = append(d.entries, e)
	}
	d.extra = make(object)
	for k, v := range o {
		if !contains(dbKnown, k) {
			d.extra[k] = bytes.Clone(v)
		}
	}
	return d, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (d *db) parseGroups(raw json.RawMessage) error {
	var list []object
	if err := json.Unmarshal(raw, &list); err != nil {
		return errors.New(`db "groups" is not an array of objects`)
	}
	seen := map[string]bool{}
	for i, o := range list {
		u, _, err1 := rawString(o["uuid"])
		n, _, err2 := rawString(o["name"])
		if err1 != nil || err2 != nil || u == "" {
			return fmt.Errorf("group %d has no uuid or name", i+1)
		}
		if seen[u] {
			continue // Aegis keeps the first of duplicates too
		}
		seen[u] = true
		for _, k := range groupKnown {
			delete(o, k)
		}
		d.groups = append(d.groups, &group{uuid: u, name: n, extra: o})
	}
	return nil
}

// groupByName returns the uuid of the first group called name, creating the
// group when there is none.
func (d *db) groupByName(name string) string {
	for _, g := range d.groups {
		if g.name == name {
			return g.uuid
		}
	}
	g := &group{uuid: newUUID(), name: name}
	d.groups = append(d.groups, g)
	return g.uuid
}

func (d *db) hasGroup(id string) bool {
	for _, g := range d.groups {
		if g.uuid == id {
			return true
		}
	}
	return false
}

// parseEntry reads one entry. A malformed entry of a known type is kept
// verbatim and marked rather than failing the whole vault, so that one odd
// entry made by another app does not lock the user out of the others.
func (d *db) parseEntry(raw json.RawMessage) (*entry, error) {
	var o object
	if err := json.Unmarshal(raw, &o); err != nil || o == nil {
		return nil, errors.New("not a JSON object")
	}
	e := &entry{}
	typ, _, err := rawString(o["type"])
	if err != nil || typ == "" {
		o.zero()
		return nil, errors.New(`no "type"`)
	}
	e.acct.UUID, _, _ = rawString(o["uuid"])
	if e.acct.UUID == "" {
		e.acct.UUID = newUUID()
	}
	e.acct.Name, _, _ = rawString(o["name"])
	e.acct.Issuer, _, _ = rawString(o["issuer"])
	if err := d.parseFields(e, typ, o); err != nil {
		o.zero()
		e.wipe()
		return &entry{acct: otp.Account{UUID: e.acct.UUID, Issuer: e.acct.Issuer, Name: e.acct.Name},
			raw: bytes.Clone(raw), skip: err.Error()}, nil
	}
	return e, nil
}

func (d *db) parseFields(e *entry, typ string, o object) error {
	switch otp.Type(typ) {
	case otp.TOTP, otp.HOTP, otp.Steam:
		e.acct.Type = otp.Type(typ)
	default:
		return fmt.Errorf("type %q is not supported", typ)
	}
	var err error
	if v, ok := o["note"]; ok {
		if e.acct.Note, _, err = rawString(v); err != nil {
			return errors.New(`"note" is not a string`)
		}
	}
	if v, ok := o["favorite"]; ok {
		if e.acct.Favorite, err = rawBool(v); err != nil {
			return errors.New(`"favorite" is not a boolean`)
		}
	}
	if err := e.parseIcon(o); err != nil {
		return err
	}
	if err := d.parseEntryGroups(e, o); err != nil {
		return err
	}
	info, ok := o["info"]
	if !ok {
		return errors.New(`no "info"`)
	}
	if err := e.parseInfo(info); err != nil {
		return err
	}
	for k, v := range o {
		if !contains(entryKnown, k) {
			if e.extra == nil {
				e.extra = make(object)
			}
			e.extra[k] = v
			delete(o, k)
		}
	}
	o.zero()
	return nil
}

func (e *entry) parseIcon(o object) error {
	icon, isNull, err := rawString(o["icon"])
	if o["icon"] == nil {
		isNull, err = true, nil
	}
	if err != nil {
		return errors.New(`"icon" is not a string`)
	}
	if !isNull && icon != "" {
		if e.acct.Icon, err = base64.StdEncoding.DecodeString(icon); err != nil {
			return errors.New(`"icon" is not Base64`)
		}
		if e.acct.IconMime, _, err = rawString(o["icon_mime"]); o["icon_mime"] != nil && err != nil {
			return errors.New(`"icon_mime" is not a string`)
		}
		if e.acct.IconMime == "" {
			e.acct.IconMime = "image/jpeg" // Aegis's default for icons without a type
		}
		if h, ok := o["icon_hash"]; ok {
			e.iconHash, _, _ = rawString(h)
		}
	}
	return nil
}

// parseEntryGroups reads "groups" (db version 3) or the single group name
// of older versions, which Aegis migrates the same way.
func (d *db) parseEntryGroups(e *entry, o object) error {
	if g, ok := o["groups"]; ok && string(g) != "null" {
		var ids []string
		if err := json.Unmarshal(g, &ids); err != nil {
			return errors.New(`"groups" is not an array of strings`)
		}
		for _, id := range ids {
			// Aegis drops references to groups the db does not list.
			if d.hasGroup(id) && !contains(e.groupIDs, id) {
				e.groupIDs = append(e.groupIDs, id)
			}
		}
	}
	if g, ok := o["group"]; ok {
		name, isNull, err := rawString(g)
		if err != nil {
			return errors.New(`"group" is not a string`)
		}
		if !isNull {
			if id := d.groupByName(name); !contains(e.groupIDs, id) {
				e.groupIDs = append(e.groupIDs, id)
			}
		}
	}
	return nil
}

func (e *entry) parseInfo(raw json.RawMessage) error {
	var info object
	if err := json.Unmarshal(raw, &info); err != nil || info == nil {
		return errors.New(`"info" is not an object`)
	}
	defer info.zero()
	secret, ok := info["secret"]
	if !ok {
		return errors.New("no secret")
	}
	var err error
	if e.acct.Secret, err = decodeSecret(secret); err != nil {
		return err
	}
	algo := "SHA1"
	if v, ok := info["algo"]; ok {
		algo, _, _ = rawString(v)
	}
	switch a := otp.Algorithm(algo); a {
	case otp.SHA1, otp.SHA256, otp.SHA512:
		e.acct.Algorithm = a
	default:
		return fmt.Errorf("algorithm %q is not supported", algo)
	}
	d, err := rawInt(info["digits"])
	if err != nil || d < 1 || d > maxDigits {
		return fmt.Errorf("digits must be 1 to %d", maxDigits)
	}
	e.acct.Digits = int(d)
	if e.acct.Type == otp.HOTP {
		c, err := rawInt(info["counter"])
		if err != nil || c < 0 {
			return errors.New("counter is not a non-negative integer")
		}
		e.acct.Counter = uint64(c)
	} else {
		p, err := rawInt(info["period"])
		if err != nil || p < 1 || p > 1<<31-1 {
			return errors.New("period is not a positive integer")
		}
		e.acct.Period = int(p)
	}
	for k, v := range info {
		if !contains(infoKnown, k) || (k == "period" && e.acct.Type == otp.HOTP) || (k == "counter" && e.acct.Type != otp.HOTP) {
			if e.infoExtra == nil {
				e.infoExtra = make(object)
			}
			e.infoExtra[k] = bytes.Clone(v)
		}
	}
	return nil
}

var base32NoPad = base32.StdEncoding.WithPadding(base32.NoPadding)

// decodeSecret decodes a Base32 secret from its raw JSON string without
// making a string of it when it is in the canonical form Aegis and Gatekey
// write (a byte slice can be zeroed; a string cannot). Other spellings go
// through the lenient otp.DecodeBase32.
func decodeSecret(raw json.RawMessage) ([]byte, error) {
	if len(raw) >= 2 && raw[0] == '"' && raw[len(raw)-1] == '"' {
		in := raw[1 : len(raw)-1]
		if n := len(in) % 8; len(in) > 0 && n != 1 && n != 3 && n != 6 {
			out := make([]byte, base32NoPad.DecodedLen(len(in)))
			if n, err := base32NoPad.Decode(out, in); err == nil {
				return out[:n], nil
			}
			clear(out)
		}
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, errors.New("secret is not a string")
	}
	b, err := otp.DecodeBase32(s)
	if err != nil {
		return nil, fmt.Errorf("secret: %w", err)
	}
	return b, nil
}

// appendEntry writes e as compact JSON.
func appendEntry(b []byte, e *entry) []byte {
	if e.raw != nil {
		return append(b, e.raw...)
	}
	a := &e.acct
	b = append(b, `{"type":`...)
	b = appendString(b, string(a.Type))
	b = appendKey(b, "uuid", false)
	b = appendString(b, a.UUID)
	b = appendKey(b, "name", false)
	b = appendString(b, a.Name)
	b = appendKey(b, "issuer", false)
	b = appendString(b, a.Issuer)
	b = appendKey(b, "note", false)
	b = appendString(b, a.Note)
	b = appendKey(b, "favorite", false)
	b = appendBool(b, a.Favorite)
	if len(a.Icon) > 0 {
		b = appendKey(b, "icon", false)
		b = append(b, '"')
		b = base64.StdEncoding.AppendEncode(b, a.Icon)
		b = append(b, '"')
		b = appendKey(b, "icon_mime", false)
		b = appendString(b, a.IconMime)
		b = appendKey(b, "icon_hash", false)
		b = appendString(b, e.iconHash)
	} else {
		b = append(b, `,"icon":null,"icon_mime":null,"icon_hash":null`...)
	}
	b = append(b, `,"info":{"secret":"`...)
	b = base32NoPad.AppendEncode(b, a.Secret)
	b = append(b, `","algo":`...)
	b = appendString(b, string(a.Algorithm))
	b = appendKey(b, "digits", false)
	b = appendInt(b, int64(a.Digits))
	if a.Type == otp.HOTP {
		b = appendKey(b, "counter", false)
		b = appendInt(b, int64(a.Counter))
	} else {
		b = appendKey(b, "period", false)
		b = appendInt(b, int64(a.Period))
	}
	b = appendExtra(b, e.infoExtra, infoKnown)
	b = append(b, `},"groups":[`...)
	for i, id := range e.groupIDs {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, id)
	}
	b = append(b, ']')
	b = appendExtra(b, e.extra, entryKnown)
	return append(b, '}')
}

// encode writes the db as compact JSON into a buffer with room for the GCM
// tag, so that it can be encrypted in place.
func (d *db) encode(sizeHint int) []byte {
	b := make([]byte, 0, sizeHint+tagSize)
	b = append(b, `{"version":`...)
	b = appendInt(b, dbVersion)
	b = append(b, `,"entries":[`...)
	for i, e := range d.entries {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendEntry(b, e)
	}
	b = append(b, `],"groups":[`...)
	for i, g := range d.groups {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"uuid":`...)
		b = appendString(b, g.uuid)
		b = appendKey(b, "name", false)
		b = appendString(b, g.name)
		b = appendExtra(b, g.extra, groupKnown)
		b = append(b, '}')
	}
	b = append(b, ']')
	b = appendExtra(b, d.extra, dbKnown)
	b = append(b, '}')
	if cap(b) < len(b)+tagSize {
		b = append(b, make([]byte, tagSize)...)[:len(b)]
	}
	return b
}

// newEntry builds the entry for an account, keeping from prev (the entry it
// replaces, if any) the fields Gatekey does not know.
func newEntry(a otp.Account, groupIDs []string, prev *entry) *entry {
	e := &entry{acct: a, groupIDs: groupIDs}
	e.acct.Groups = nil
	e.acct.Secret = bytes.Clone(a.Secret)
	e.acct.Icon = bytes.Clone(a.Icon)
	if len(e.acct.Icon) > 0 && e.acct.IconMime == "" {
		e.acct.IconMime = "image/png"
	}
	if len(e.acct.Icon) == 0 {
		e.acct.Icon, e.acct.IconMime = nil, ""
	}
	if prev != nil {
		e.extra, e.infoExtra = prev.extra, prev.infoExtra
		if bytes.Equal(prev.acct.Icon, e.acct.Icon) {
			e.iconHash = prev.iconHash
		}
	}
	if e.iconHash == "" && len(e.acct.Icon) > 0 {
		// Aegis identifies icons by the SHA-256 of their bytes.
		sum := sha256.Sum256(e.acct.Icon)
		e.iconHash = hex.EncodeToString(sum[:])
	}
	return e
}

// wipe zeroes what of e may be secret.
func (e *entry) wipe() {
	clear(e.acct.Secret)
	clear(e.raw)
	e.infoExtra.zero()
}

// account returns a copy of e's account with group names filled in.
func (e *entry) account(names map[string]string) otp.Account {
	a := e.acct
	a.Secret = bytes.Clone(e.acct.Secret)
	a.Icon = bytes.Clone(e.acct.Icon)
	a.Groups = nil
	for _, id := range e.groupIDs {
		a.Groups = append(a.Groups, names[id])
	}
	return a
}

func (d *db) groupNames() map[string]string {
	m := make(map[string]string, len(d.groups))
	for _, g := range d.groups {
		m[g.uuid] = g.name
	}
	return m
}

// validateAccount checks what Gatekey can store and compute codes for.
func validateAccount(a otp.Account) error {
	switch a.Type {
	case otp.TOTP, otp.HOTP, otp.Steam:
	default:
		return fmt.Errorf("%w: type %q is not totp, hotp or steam", ErrInvalidAccount, a.Type)
	}
	switch a.Algorithm {
	case otp.SHA1, otp.SHA256, otp.SHA512:
	default:
		return fmt.Errorf("%w: algorithm %q is not SHA1, SHA256 or SHA512", ErrInvalidAccount, a.Algorithm)
	}
	switch {
	case len(a.Secret) == 0:
		return fmt.Errorf("%w: empty secret", ErrInvalidAccount)
	case a.Digits < 1 || a.Digits > maxDigits:
		return fmt.Errorf("%w: digits must be 1 to %d", ErrInvalidAccount, maxDigits)
	case a.Type != otp.HOTP && (a.Period < 1 || a.Period > 1<<31-1):
		return fmt.Errorf("%w: period must be a positive number of seconds", ErrInvalidAccount)
	case a.Type == otp.HOTP && a.Counter > 1<<63-1:
		return fmt.Errorf("%w: counter is too large", ErrInvalidAccount)
	}
	return nil
}
