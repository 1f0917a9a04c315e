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
	"strconv"

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
	// bigIcon and bigIconMime are the raw JSON of an icon larger than
	// maxIconSize, kept in the file as it was but not handed out: a
	// hostile file must not make the window decode a huge image.
	bigIcon, bigIconMime []byte
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

// maxIconSize bounds an account's icon, read or saved. Aegis's icon packs
// are SVG or PNG files of a few kilobytes, and the icons it makes from
// pictures are resized; a megabyte leaves ample room and keeps a hostile
// file from handing the window a huge image to decode.
const maxIconSize = 1 << 20

// parseDB reads decrypted (or plain) db content. Entries Gatekey cannot
// show are kept verbatim and marked; only a db whose structure is wrong is
// an error. Nothing of data is kept: the caller zeroes it.
func parseDB(data []byte) (*db, error) {
	if err := validJSON(data); err != nil {
		return nil, fmt.Errorf("db: %w", err)
	}
	d := &db{extra: object{}}
	var version, entries, groups []byte
	err := eachMember(data, func(k, v []byte) error {
		switch string(unquoteKey(k)) {
		case "version":
			version = v
		case "entries":
			entries = v
		case "groups":
			groups = v
		default:
			d.extra[string(unquoteKey(k))] = bytes.Clone(v)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("db: %w", err)
	}
	if version == nil {
		return nil, errors.New(`db has no "version"`)
	}
	ver, err := rawInt(version)
	if err != nil || ver < 1 {
		return nil, errors.New(`db "version" is not a positive integer`)
	}
	if ver > dbVersion {
		return nil, fmt.Errorf("%w (db version %d, this program reads up to %d)", ErrUnsupportedVersion, ver, dbVersion)
	}
	if groups != nil && string(groups) != "null" {
		if err := d.parseGroups(groups); err != nil {
			return nil, err
		}
	}
	if entries == nil {
		return nil, errors.New(`db has no "entries"`)
	}
	seen := make(map[string]bool)
	n := 0
	err = eachElement(entries, func(r []byte) error {
		n++
		if n > maxAccountCount {
			return fmt.Errorf("more than %d entries", maxAccountCount)
		}
		e, err := d.parseEntry(r)
		if err != nil {
			return fmt.Errorf("entry %d: %w", n, err)
		}
		if seen[e.acct.UUID] {
			return fmt.Errorf("entry %d: uuid %s is used twice", n, e.acct.UUID)
		}
		seen[e.acct.UUID] = true
		d.entries = append(d.entries, e)
		return nil
	})
	if errors.Is(err, errNotArray) {
		return nil, errors.New(`db "entries" is not an array`)
	}
	if err != nil {
		for _, e := range d.entries {
			e.wipe()
		}
		return nil, fmt.Errorf("db: %w", err)
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

func (d *db) parseGroups(raw []byte) error {
	seen := map[string]bool{}
	n := 0
	err := eachElement(raw, func(g []byte) error {
		n++
		var uuid, name []byte
		extra := object{}
		if err := eachMember(g, func(k, v []byte) error {
			switch string(unquoteKey(k)) {
			case "uuid":
				uuid = v
			case "name":
				name = v
			default:
				extra[string(unquoteKey(k))] = bytes.Clone(v)
			}
			return nil
		}); err != nil {
			return fmt.Errorf("group %d is not an object", n)
		}
		u, _, err1 := rawString(uuid)
		nm, _, err2 := rawString(name)
		if err1 != nil || err2 != nil || u == "" {
			return fmt.Errorf("group %d has no uuid or name", n)
		}
		if !seen[u] { // Aegis keeps the first of duplicates too
			seen[u] = true
			d.groups = append(d.groups, &group{uuid: u, name: nm, extra: extra})
		}
		return nil
	})
	if errors.Is(err, errNotArray) {
		return errors.New(`db "groups" is not an array`)
	}
	return err
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

// entryFields are the raw values of an entry's members (nil when absent).
type entryFields struct {
	typ, uuid, name, issuer, note, favorite, icon, iconMime, iconHash, info, groups, group []byte
	extra                                                                                  object
}

func splitEntry(raw []byte) (*entryFields, error) {
	f := &entryFields{}
	err := eachMember(raw, func(k, v []byte) error {
		switch string(unquoteKey(k)) {
		case "type":
			f.typ = v
		case "uuid":
			f.uuid = v
		case "name":
			f.name = v
		case "issuer":
			f.issuer = v
		case "note":
			f.note = v
		case "favorite":
			f.favorite = v
		case "icon":
			f.icon = v
		case "icon_mime":
			f.iconMime = v
		case "icon_hash":
			f.iconHash = v
		case "info":
			f.info = v
		case "groups":
			f.groups = v
		case "group":
			f.group = v
		default:
			if f.extra == nil {
				f.extra = object{}
			}
			f.extra[string(unquoteKey(k))] = bytes.Clone(v)
		}
		return nil
	})
	return f, err
}

// parseEntry reads one entry. A malformed entry of a known type is kept
// verbatim and marked rather than failing the whole vault, so that one odd
// entry made by another app does not lock the user out of the others.
func (d *db) parseEntry(raw []byte) (*entry, error) {
	f, err := splitEntry(raw)
	if err != nil {
		return nil, errors.New("not a JSON object")
	}
	typ, _, err := rawString(f.typ)
	if f.typ == nil || err != nil || typ == "" {
		return nil, errors.New(`no "type"`)
	}
	e := &entry{extra: f.extra}
	e.acct.UUID, _, _ = rawString(f.uuid)
	if e.acct.UUID == "" {
		e.acct.UUID = newUUID()
	}
	e.acct.Name, _, _ = rawString(f.name)
	e.acct.Issuer, _, _ = rawString(f.issuer)
	if err := d.parseFields(e, typ, f); err != nil {
		e.wipe()
		return &entry{acct: otp.Account{UUID: e.acct.UUID, Issuer: e.acct.Issuer, Name: e.acct.Name},
			raw: bytes.Clone(raw), skip: err.Error()}, nil
	}
	return e, nil
}

func (d *db) parseFields(e *entry, typ string, f *entryFields) error {
	switch otp.Type(typ) {
	case otp.TOTP, otp.HOTP, otp.Steam:
		e.acct.Type = otp.Type(typ)
	default:
		return fmt.Errorf("type %q is not supported", typ)
	}
	var err error
	if f.note != nil {
		if e.acct.Note, _, err = rawString(f.note); err != nil {
			return errors.New(`"note" is not a string`)
		}
	}
	if f.favorite != nil {
		if e.acct.Favorite, err = rawBool(f.favorite); err != nil {
			return errors.New(`"favorite" is not a boolean`)
		}
	}
	if err := e.parseIcon(f); err != nil {
		return err
	}
	if err := d.parseEntryGroups(e, f); err != nil {
		return err
	}
	if f.info == nil {
		return errors.New(`no "info"`)
	}
	return e.parseInfo(f.info)
}

func (e *entry) parseIcon(f *entryFields) error {
	if f.icon == nil || string(f.icon) == "null" {
		return nil
	}
	if len(f.icon) < 2 || f.icon[0] != '"' {
		return errors.New(`"icon" is not a string`)
	}
	if f.iconHash != nil {
		e.iconHash, _, _ = rawString(f.iconHash)
	}
	if len(f.icon) > base64.StdEncoding.EncodedLen(maxIconSize)+2 {
		e.bigIcon = bytes.Clone(f.icon)
		e.bigIconMime = []byte("null")
		if f.iconMime != nil {
			e.bigIconMime = bytes.Clone(f.iconMime)
		}
		return nil
	}
	icon, isNull, err := rawString(f.icon)
	if err != nil || isNull {
		return errors.New(`"icon" is not a string`)
	}
	if icon == "" {
		e.iconHash = ""
		return nil
	}
	if e.acct.Icon, err = base64.StdEncoding.DecodeString(icon); err != nil {
		return errors.New(`"icon" is not Base64`)
	}
	if f.iconMime != nil {
		if e.acct.IconMime, _, err = rawString(f.iconMime); err != nil {
			return errors.New(`"icon_mime" is not a string`)
		}
	}
	if e.acct.IconMime == "" {
		e.acct.IconMime = "image/jpeg" // Aegis's default for icons without a type
	}
	return nil
}

// parseEntryGroups reads "groups" (db version 3) or the single group name
// of older versions, which Aegis migrates the same way.
func (d *db) parseEntryGroups(e *entry, f *entryFields) error {
	if f.groups != nil && string(f.groups) != "null" {
		err := eachElement(f.groups, func(v []byte) error {
			id, isNull, err := rawString(v)
			if err != nil || isNull {
				return errors.New(`"groups" is not an array of strings`)
			}
			// Aegis drops references to groups the db does not list.
			if d.hasGroup(id) && !contains(e.groupIDs, id) {
				e.groupIDs = append(e.groupIDs, id)
			}
			return nil
		})
		if err != nil {
			return errors.New(`"groups" is not an array of strings`)
		}
	}
	if f.group != nil {
		name, isNull, err := rawString(f.group)
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

func (e *entry) parseInfo(raw []byte) error {
	var secret, algo, digits, period, counter []byte
	err := eachMember(raw, func(k, v []byte) error {
		switch key := unquoteKey(k); string(key) {
		case "secret":
			secret = v
		case "algo":
			algo = v
		case "digits":
			digits = v
		case "period":
			period = v
		case "counter":
			counter = v
		default:
			if e.infoExtra == nil {
				e.infoExtra = object{}
			}
			e.infoExtra[string(key)] = bytes.Clone(v)
		}
		return nil
	})
	if err != nil {
		return errors.New(`"info" is not an object`)
	}
	if secret == nil {
		return errors.New("no secret")
	}
	if e.acct.Secret, err = decodeSecret(secret); err != nil {
		return err
	}
	name := "SHA1"
	if algo != nil {
		name, _, _ = rawString(algo)
	}
	switch a := otp.Algorithm(name); a {
	case otp.SHA1, otp.SHA256, otp.SHA512:
		e.acct.Algorithm = a
	default:
		return fmt.Errorf("algorithm %q is not supported", name)
	}
	d, err := rawInt(digits)
	if err != nil || d < 1 || d > maxDigits {
		return fmt.Errorf("digits must be 1 to %d", maxDigits)
	}
	e.acct.Digits = int(d)
	// The member the type does not use is kept as it was.
	keep := func(k string, v []byte) {
		if v != nil {
			if e.infoExtra == nil {
				e.infoExtra = object{}
			}
			e.infoExtra[k] = bytes.Clone(v)
		}
	}
	if e.acct.Type == otp.HOTP {
		c, err := rawInt(counter)
		if err != nil || c < 0 {
			return errors.New("counter is not a non-negative integer")
		}
		e.acct.Counter = uint64(c)
		keep("period", period)
	} else {
		p, err := rawInt(period)
		if err != nil || p < 1 || p > 1<<31-1 {
			return errors.New("period is not a positive integer")
		}
		e.acct.Period = int(p)
		keep("counter", counter)
	}
	return nil
}

var base32NoPad = base32.StdEncoding.WithPadding(base32.NoPadding)

// decodeSecret decodes a Base32 secret from its raw JSON string without
// ever making a string of it (a byte slice can be zeroed; a string
// cannot), with otp.DecodeBase32's rules (formats.md §1).
func decodeSecret(raw json.RawMessage) ([]byte, error) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return nil, errors.New("secret is not a string")
	}
	text, err := unescapeSecret(raw[1 : len(raw)-1])
	defer clear(text)
	if err != nil {
		return nil, err
	}
	return otp.DecodeBase32Bytes(text) // its errors begin "invalid secret"
}

// unescapeSecret decodes the JSON escapes in a secret's text. The caller
// zeroes the result.
func unescapeSecret(in []byte) ([]byte, error) {
	text := make([]byte, 0, len(in))
	for i := 0; i < len(in); i++ {
		c := in[i]
		if c == '\\' {
			var ok bool
			if c, i, ok = unescapeASCII(in, i); !ok {
				return text, fmt.Errorf("%w: not Base32 (letters A-Z and digits 2-7)", otp.ErrInvalidSecret)
			}
		}
		text = append(text, c)
	}
	return text, nil
}

// unescapeASCII decodes the JSON escape at s[i] (a backslash) and returns
// the byte it stands for and the index of its last character. Escapes of
// characters outside ASCII are refused: no Base32 text holds one.
func unescapeASCII(s []byte, i int) (byte, int, bool) {
	if i+1 >= len(s) {
		return 0, i, false
	}
	switch c := s[i+1]; c {
	case '"', '\\', '/':
		return c, i + 1, true
	case 'b', 'f', 'n', 'r':
		return 0, i + 1, true // control characters: refused by the decoder
	case 't':
		return '\t', i + 1, true
	case 'u':
		if i+5 >= len(s) {
			return 0, i, false
		}
		v, err := strconv.ParseUint(string(s[i+2:i+6]), 16, 16)
		if err != nil || v >= 0x80 {
			return 0, i, false
		}
		return byte(v), i + 5, true
	}
	return 0, i, false
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
	} else if e.bigIcon != nil {
		b = append(b, `,"icon":`...)
		b = append(b, e.bigIcon...)
		b = append(b, `,"icon_mime":`...)
		b = append(b, e.bigIconMime...)
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
// tag, so that it can be encrypted in place. The buffer is allocated once
// at a size computed beforehand: a buffer that grew would leave copies of
// the plaintext behind in memory that nobody can zero.
func (d *db) encode() []byte {
	b := make([]byte, 0, d.sizeBound()+tagSize)
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
	return append(b, '}')
}

// sizeBound is at least the length of d.encode()'s output.
func (d *db) sizeBound() int {
	n := 64 + extraBound(d.extra)
	for _, e := range d.entries {
		n += e.sizeBound() + 1
	}
	for _, g := range d.groups {
		n += 24 + stringLen(g.uuid) + stringLen(g.name) + extraBound(g.extra)
	}
	return n
}

// sizeBound is at least the length of appendEntry's output for e.
func (e *entry) sizeBound() int {
	if e.raw != nil {
		return len(e.raw)
	}
	a := &e.acct
	n := 320 // member names, punctuation, numbers and booleans
	for _, s := range []string{string(a.Type), a.UUID, a.Name, a.Issuer, a.Note, a.IconMime, e.iconHash, string(a.Algorithm)} {
		n += stringLen(s)
	}
	n += base64.StdEncoding.EncodedLen(len(a.Icon)) + len(e.bigIcon) + len(e.bigIconMime)
	n += base32NoPad.EncodedLen(len(a.Secret))
	for _, id := range e.groupIDs {
		n += stringLen(id) + 1
	}
	return n + extraBound(e.extra) + extraBound(e.infoExtra)
}

// extraBound is at least the length of appendExtra's output for o.
func extraBound(o object) int {
	n := 0
	for k, v := range o {
		n += stringLen(k) + len(v) + 2
	}
	return n
}

// encodeEntry is appendEntry into a buffer of its own, allocated once.
func encodeEntry(e *entry) []byte { return appendEntry(make([]byte, 0, e.sizeBound()), e) }

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
		// Copies: prev is zeroed when it leaves the vault, and must not
		// take these with it.
		e.extra, e.infoExtra = prev.extra.clone(), prev.infoExtra.clone()
		if len(e.acct.Icon) == 0 && prev.bigIcon != nil {
			e.bigIcon, e.bigIconMime = bytes.Clone(prev.bigIcon), bytes.Clone(prev.bigIconMime)
			e.iconHash = prev.iconHash
		}
		if len(e.acct.Icon) > 0 && bytes.Equal(prev.acct.Icon, e.acct.Icon) {
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

// wipe zeroes what of e may be secret, and the rest of what was decrypted
// that is held in byte slices (icons, fields Gatekey does not know). Names,
// issuers and notes are Go strings, which cannot be zeroed.
func (e *entry) wipe() {
	clear(e.acct.Secret)
	clear(e.acct.Icon)
	clear(e.raw)
	clear(e.bigIcon)
	e.infoExtra.zero()
	e.extra.zero()
}

// wipe zeroes every entry of d and the fields Gatekey does not know.
func (d *db) wipe() {
	for _, e := range d.entries {
		e.wipe()
	}
	d.extra.zero()
	for _, g := range d.groups {
		g.extra.zero()
	}
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
	case len(a.Icon) > maxIconSize:
		return fmt.Errorf("%w: the icon is larger than %d KiB", ErrInvalidAccount, maxIconSize>>10)
	case a.Digits < 1 || a.Digits > maxDigits:
		return fmt.Errorf("%w: digits must be 1 to %d", ErrInvalidAccount, maxDigits)
	case a.Type != otp.HOTP && (a.Period < 1 || a.Period > 1<<31-1):
		return fmt.Errorf("%w: period must be a positive number of seconds", ErrInvalidAccount)
	case a.Type == otp.HOTP && a.Counter > 1<<63-1:
		return fmt.Errorf("%w: counter is too large", ErrInvalidAccount)
	}
	return nil
}
