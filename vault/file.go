package vault

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// maxFileSize bounds what is read from a vault file. Ten thousand accounts
// take about 3 MiB; icons make entries larger, but not by this much.
const maxFileSize = 64 << 20

// headerIDField is the header field holding the vault's keychain id. Aegis
// ignores header fields it does not know.
const headerIDField = "gatekey_id"

// headerModeField is the header field recording how the vault unlocks
// (UnlockMode). Aegis ignores it too.
const headerModeField = "gatekey_unlock"

// slotPassword is the Aegis slot type wrapped by a password (formats.md
// §4). Other types (2, Android biometrics) are kept untouched.
const slotPassword = 1

// vaultFile is the outer layer of an Aegis vault: everything but the
// contents of db.
type vaultFile struct {
	extra  object // top-level fields other than version, header and db
	header header
	db     json.RawMessage // a JSON object (plain) or Base64 string (encrypted)
}

type header struct {
	extra      object // header fields other than slots, params and the id
	plain      bool   // slots and params are null
	slots      []*slot
	nonce, tag []byte
	id         string     // keychain id, "" when the file has none
	mode       UnlockMode // as recorded, 0 when the file records none
}

// slot is one wrapped copy of the master key. raw is written back
// verbatim, so slots of other types or with fields Gatekey does not know
// survive a re-save; the parsed fields are only used to unwrap.
type slot struct {
	raw        object
	typ        int64
	uuid       string
	key        []byte // wrapped master key
	nonce, tag []byte
	n, r, p    int
	salt       []byte
	backup     bool  // Aegis's separate backup password
	bad        error // why this slot cannot be used, if it cannot
}

var topKnown = []string{"version", "header", "db"}
var headerKnown = []string{"slots", "params", headerIDField, headerModeField}

// parseFile reads the outer layer of a vault. Errors describe what is wrong
// without quoting the file.
func parseFile(data []byte) (*vaultFile, error) {
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("file is larger than %d MiB", maxFileSize>>20)
	}
	// The whole file is not validated: db, by far the largest part, is
	// checked by the strict Base64 decoder (and the GCM tag), every other
	// value by json.Valid below or by its own parser.
	top := object{}
	if err := eachMember(data, func(k, v []byte) error {
		key := string(unquoteKey(k))
		if key != "db" && !json.Valid(v) {
			return fmt.Errorf("field %q is not valid JSON", key)
		}
		top[key] = v
		return nil
	}); err != nil {
		if errors.Is(err, errNotObject) || errors.Is(err, errTruncated) {
			if verr := validJSON(data); verr != nil {
				return nil, fmt.Errorf("not a JSON object: %w", verr)
			}
			return nil, errors.New("not a JSON object")
		}
		return nil, err
	}
	f := &vaultFile{extra: top}
	v, ok := top["version"]
	if !ok {
		return nil, errors.New(`no "version" field`)
	}
	ver, err := rawInt(v)
	if err != nil {
		return nil, errors.New(`"version" is not an integer`)
	}
	if ver != 1 {
		return nil, fmt.Errorf("%w (file version %d, this program reads 1)", ErrUnsupportedVersion, ver)
	}
	h, ok := top["header"]
	if !ok {
		return nil, errors.New(`no "header" field`)
	}
	if err := f.header.parse(h); err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	db, ok := top["db"]
	if !ok {
		return nil, errors.New(`no "db" field`)
	}
	f.db = db
	first := firstByte(db)
	switch {
	case f.header.plain && first != '{':
		return nil, errors.New(`plain vault whose "db" is not an object`)
	case !f.header.plain && first != '"':
		return nil, errors.New(`encrypted vault whose "db" is not a string`)
	}
	for _, k := range topKnown {
		delete(top, k)
	}
	f.extra = top.clone()
	return f, nil
}

func firstByte(raw json.RawMessage) byte {
	raw = bytes.TrimLeft(raw, " \t\r\n")
	if len(raw) == 0 {
		return 0
	}
	return raw[0]
}

// jsonError keeps the position of a syntax error but drops the quoted
// value encoding/json puts in type errors.
func jsonError(err error) error {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Errorf("invalid JSON at byte %d", syn.Offset)
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		return fmt.Errorf("a %s where a %s belongs (byte %d)", typ.Value, typ.Type, typ.Offset)
	}
	return errors.New("invalid JSON")
}

func (h *header) parse(raw json.RawMessage) error {
	var o object
	if err := json.Unmarshal(raw, &o); err != nil || o == nil {
		return errors.New("not a JSON object")
	}
	slotsRaw, ok := o["slots"]
	if !ok {
		return errors.New(`no "slots" field`)
	}
	paramsRaw, ok := o["params"]
	if !ok {
		return errors.New(`no "params" field`)
	}
	slotsNull, paramsNull := string(slotsRaw) == "null", string(paramsRaw) == "null"
	if slotsNull != paramsNull {
		return errors.New(`"slots" and "params" must both be null (plain) or both be set (encrypted)`)
	}
	h.plain = slotsNull
	if err := h.parseGatekeyFields(o); err != nil {
		return err
	}
	if !h.plain {
		if err := h.parseEncryption(slotsRaw, paramsRaw); err != nil {
			return err
		}
	}
	for _, k := range headerKnown {
		delete(o, k)
	}
	h.extra = o
	return nil
}

// parseGatekeyFields reads the fields only Gatekey writes: the keychain id
// and the unlock mode.
func (h *header) parseGatekeyFields(o object) error {
	if idRaw, ok := o[headerIDField]; ok {
		id, _, err := rawString(idRaw)
		if err != nil || !validID(id) {
			return fmt.Errorf("%q is not a vault id", headerIDField)
		}
		h.id = id
	}
	if modeRaw, ok := o[headerModeField]; ok {
		h.mode = parseRecordedMode(modeRaw)
	}
	return nil
}

// parseEncryption reads the slots and the db's key parameters of an
// encrypted vault.
func (h *header) parseEncryption(slotsRaw, paramsRaw json.RawMessage) error {
	var err error
	if h.nonce, h.tag, err = parseKeyParams(paramsRaw); err != nil {
		return fmt.Errorf("params: %w", err)
	}
	var list []json.RawMessage
	if err := json.Unmarshal(slotsRaw, &list); err != nil {
		return errors.New(`"slots" is not an array`)
	}
	for i, sr := range list {
		s, err := parseSlot(sr)
		if err != nil {
			return fmt.Errorf("slot %d: %w", i+1, err)
		}
		h.slots = append(h.slots, s)
	}
	return nil
}

// validID accepts the ids this package writes: 32 lower-case hex digits.
func validID(id string) bool {
	if len(id) != 2*randomIDSize {
		return false
	}
	for _, c := range id {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

func parseKeyParams(raw json.RawMessage) (nonce, tag []byte, err error) {
	var p struct {
		Nonce *string `json:"nonce"`
		Tag   *string `json:"tag"`
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, nil, errors.New("not an object with nonce and tag")
	}
	if p.Nonce == nil || p.Tag == nil {
		return nil, nil, errors.New("nonce or tag missing")
	}
	if nonce, err = decodeHex(*p.Nonce, nonceSize); err != nil {
		return nil, nil, fmt.Errorf("nonce: %w", err)
	}
	if tag, err = decodeHex(*p.Tag, tagSize); err != nil {
		return nil, nil, fmt.Errorf("tag: %w", err)
	}
	return nonce, tag, nil
}

func decodeHex(s string, size int) ([]byte, error) {
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, errors.New("not hexadecimal")
	}
	if len(b) != size {
		return nil, fmt.Errorf("%d bytes, want %d", len(b), size)
	}
	return b, nil
}

// parseSlot reads a slot. Only a slot that is not an object or has no
// integer type is an error; a password slot with damaged fields is kept
// (written back as it was) and marked unusable.
func parseSlot(raw json.RawMessage) (*slot, error) {
	var o object
	if err := json.Unmarshal(raw, &o); err != nil || o == nil {
		return nil, errors.New("not a JSON object")
	}
	s := &slot{raw: o}
	t, ok := o["type"]
	if !ok {
		return nil, errors.New(`no "type"`)
	}
	typ, err := rawInt(t)
	if err != nil {
		return nil, errors.New(`"type" is not an integer`)
	}
	s.typ = typ
	if typ == slotPassword {
		s.bad = s.parsePassword()
	}
	return s, nil
}

func (s *slot) parsePassword() error {
	var p struct {
		UUID      string          `json:"uuid"`
		Key       *string         `json:"key"`
		KeyParams json.RawMessage `json:"key_params"`
		N         *json.Number    `json:"n"`
		R         *json.Number    `json:"r"`
		P         *json.Number    `json:"p"`
		Salt      *string         `json:"salt"`
		IsBackup  bool            `json:"is_backup"`
	}
	raw, err := json.Marshal(s.raw)
	if err != nil {
		return errors.New("unreadable")
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return fmt.Errorf("password slot: %w", jsonError(err))
	}
	if p.Key == nil || p.KeyParams == nil || p.N == nil || p.R == nil || p.P == nil || p.Salt == nil {
		return errors.New("password slot lacks key, key_params, n, r, p or salt")
	}
	s.uuid, s.backup = p.UUID, p.IsBackup
	if s.key, err = decodeHex(*p.Key, wrappedKeySize); err != nil {
		return fmt.Errorf("password slot key: %w", err)
	}
	if s.nonce, s.tag, err = parseKeyParams(p.KeyParams); err != nil {
		return fmt.Errorf("password slot key_params: %w", err)
	}
	salt, err := hex.DecodeString(*p.Salt)
	if err != nil || len(salt) < minSaltSize || len(salt) > maxSaltSize {
		return errors.New("password slot salt is not 8 to 256 bytes of hexadecimal")
	}
	s.salt = salt
	return s.parseCost(*p.N, *p.R, *p.P)
}

// parseCost reads and bounds the slot's scrypt parameters.
func (s *slot) parseCost(n, r, p json.Number) error {
	var cost [3]int64
	for i, v := range []json.Number{n, r, p} {
		var err error
		if cost[i], err = scryptParam("Nrp"[i:i+1], v); err != nil {
			return err
		}
	}
	if err := checkScryptParams(cost[0], cost[1], cost[2]); err != nil {
		return err
	}
	s.n, s.r, s.p = int(cost[0]), int(cost[1]), int(cost[2])
	return nil
}

// scryptParam reads one scrypt parameter. A whole number too large for 64
// bits is a cost above the bounds, not a damaged slot.
func scryptParam(name string, v json.Number) (int64, error) {
	n, err := strconv.ParseInt(string(v), 10, 64)
	if errors.Is(err, strconv.ErrRange) && !strings.HasPrefix(string(v), "-") {
		lit := string(v)
		if len(lit) > 24 {
			lit = lit[:24] + "…"
		}
		return 0, &costError{fmt.Sprintf("asks for scrypt %s=%s", name, lit)}
	}
	if err != nil {
		return 0, fmt.Errorf("scrypt %s is not an integer", strings.ToLower(name))
	}
	return n, nil
}

// unwrap recovers the master key from a password slot.
func (s *slot) unwrap(ctx context.Context, password []byte) ([]byte, error) {
	if s.bad != nil {
		return nil, s.bad
	}
	kek, err := deriveSlotKeyContext(ctx, password, s.salt, s.n, s.r, s.p)
	if err != nil {
		return nil, err
	}
	defer clear(kek)
	return gcmOpen(kek, s.nonce, s.key, s.tag)
}

// newPasswordSlot wraps the master key under a password, with a fresh salt
// and nonce.
func newPasswordSlot(master, password []byte) (*slot, error) {
	n := scryptN
	if testOnlyScryptN != 0 {
		n = testOnlyScryptN
	}
	salt := randomBytes(saltSize)
	kek, err := deriveSlotKey(password, salt, n, scryptR, scryptP)
	if err != nil {
		return nil, err
	}
	defer clear(kek)
	buf := make([]byte, keySize, keySize+tagSize)
	copy(buf, master)
	wrapped, nonce, tag, err := gcmSeal(kek, buf)
	if err != nil {
		return nil, err
	}
	s := &slot{typ: slotPassword, uuid: newUUID(), key: wrapped, nonce: nonce, tag: tag,
		n: n, r: scryptR, p: scryptP, salt: salt}
	s.raw = s.encodePassword()
	return s, nil
}

func (s *slot) encodePassword() object {
	str := func(v string) json.RawMessage { return appendString(nil, v) }
	num := func(v int) json.RawMessage { return appendInt(nil, int64(v)) }
	params := appendKey([]byte{'{'}, "nonce", true)
	params = appendString(params, hex.EncodeToString(s.nonce))
	params = appendKey(params, "tag", false)
	params = appendString(params, hex.EncodeToString(s.tag))
	params = append(params, '}')
	return object{
		"type":       num(slotPassword),
		"uuid":       str(s.uuid),
		"key":        str(hex.EncodeToString(s.key)),
		"key_params": params,
		"n":          num(s.n),
		"r":          num(s.r),
		"p":          num(s.p),
		"salt":       str(hex.EncodeToString(s.salt)),
		"repaired":   json.RawMessage("true"),
		"is_backup":  json.RawMessage("false"),
	}
}

var slotOrder = []string{"type", "uuid", "key", "key_params", "n", "r", "p", "salt", "repaired", "is_backup"}

// appendSlots writes the slots array compactly.
func appendSlots(b []byte, slots []*slot) []byte {
	b = append(b, '[')
	for i, s := range slots {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '{')
		first := true
		for _, k := range slotOrder {
			if v, ok := s.raw[k]; ok {
				b = appendKey(b, k, first)
				b = append(b, v...)
				first = false
			}
		}
		if first {
			// Only unknown fields: appendExtra writes a leading comma.
			b = append(b, `"type":`...)
			b = appendInt(b, s.typ)
		}
		b = appendExtra(b, s.raw, slotOrder)
		b = append(b, '}')
	}
	return append(b, ']')
}

// encodeFile writes the outer layer around an encrypted db, indented like
// Aegis's own files.
func encodeFile(f *vaultFile, ciphertext []byte) ([]byte, error) {
	h := append([]byte(nil), `{"slots":`...)
	h = appendSlots(h, f.header.slots)
	h = append(h, `,"params":{"nonce":`...)
	h = appendString(h, hex.EncodeToString(f.header.nonce))
	h = append(h, `,"tag":`...)
	h = appendString(h, hex.EncodeToString(f.header.tag))
	h = append(h, '}')
	if f.header.id != "" {
		h = appendKey(h, headerIDField, false)
		h = appendString(h, f.header.id)
	}
	if f.header.mode != 0 {
		h = appendKey(h, headerModeField, false)
		h = appendString(h, f.header.mode.String())
	}
	h = appendExtra(h, f.header.extra, headerKnown)
	h = append(h, '}')
	var hi bytes.Buffer
	if err := json.Indent(&hi, h, "    ", "    "); err != nil {
		return nil, fmt.Errorf("encoding the header: %w", err)
	}
	enc := base64.StdEncoding
	out := make([]byte, 0, hi.Len()+enc.EncodedLen(len(ciphertext))+256)
	out = append(out, "{\n    \"version\": 1,\n    \"header\": "...)
	out = append(out, hi.Bytes()...)
	out = append(out, ",\n    \"db\": \""...)
	out = enc.AppendEncode(out, ciphertext)
	out = append(out, '"')
	if extra := appendExtra(nil, f.extra, topKnown); len(extra) > 0 {
		var ei bytes.Buffer
		// appendExtra starts with a comma: wrap it to indent it as an object.
		obj := append([]byte{'{'}, extra[1:]...)
		obj = append(obj, '}')
		if err := json.Indent(&ei, obj, "", "    "); err != nil {
			return nil, fmt.Errorf("encoding unknown fields: %w", err)
		}
		inner := bytes.TrimSuffix(bytes.TrimPrefix(ei.Bytes(), []byte("{")), []byte("}"))
		out = append(out, ',')
		out = append(out, bytes.TrimRight(inner, " \n")...)
	}
	out = append(out, "\n}\n"...)
	return out, nil
}

// decodeDBCiphertext reads the Base64 db of an encrypted vault. Strict
// decoding rejects altered padding bits, so that every change to the
// text changes the ciphertext and is caught by the tag.
func decodeDBCiphertext(raw json.RawMessage) ([]byte, error) {
	enc := base64.StdEncoding.Strict()
	if len(raw) >= 2 && raw[0] == '"' && raw[len(raw)-1] == '"' && bytes.IndexByte(raw, '\\') < 0 {
		in := raw[1 : len(raw)-1]
		ct := make([]byte, enc.DecodedLen(len(in)))
		n, err := enc.Decode(ct, in)
		if err != nil {
			return nil, errors.New(`"db" is not Base64`)
		}
		return ct[:n], nil
	}
	s, _, err := rawString(raw)
	if err != nil {
		return nil, errors.New(`"db" is not a string`)
	}
	ct, err := enc.DecodeString(s)
	if err != nil {
		return nil, errors.New(`"db" is not Base64`)
	}
	return ct, nil
}

func newUUID() string {
	b := randomBytes(16)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
