package vault

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatekey/gatekey/otp"
)

// Lock zeroes everything decrypted that is held in byte slices, not only
// the secrets: icons and the fields Gatekey does not know (which may be
// secrets of types it does not read) of entries, of the db and of groups.
func TestLockZeroesEverythingDecrypted(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vault.json")
	writeForeignVault(t, path)
	v, err := Open(path, OpenOptions{Password: []byte("pw"), Keychain: &memKeychain{}})
	if err != nil {
		t.Fatal(err)
	}
	a := v.Accounts()[0]
	a.Icon, a.IconMime = []byte("PNG icon bytes"), "image/png"
	if err := v.Update(a); err != nil {
		t.Fatal(err)
	}
	if err := v.Save(); err != nil {
		t.Fatal(err)
	}
	held := map[string][]byte{}
	for _, e := range v.cur.entries {
		held["secret of "+e.acct.UUID] = e.acct.Secret
		held["icon of "+e.acct.UUID] = e.acct.Icon
		held["raw of "+e.acct.UUID] = e.raw
		for k, x := range e.extra {
			held["entry field "+k] = x
		}
		for k, x := range e.infoExtra {
			held["info field "+k] = x
		}
	}
	for k, x := range v.cur.extra {
		held["db field "+k] = x
	}
	for _, g := range v.cur.groups {
		for k, x := range g.extra {
			held["group field "+k] = x
		}
	}
	for _, want := range []string{"entry field future_entry", "info field future_info", "db field future_db", "group field future_group", "icon of " + a.UUID} {
		if len(held[want]) == 0 {
			t.Fatalf("the test vault has no %s", want)
		}
	}
	if err := v.Lock(); err != nil {
		t.Fatal(err)
	}
	for what, b := range held {
		if !bytes.Equal(b, make([]byte, len(b))) {
			t.Errorf("%s not zeroed by Lock", what)
		}
	}
}

// The plaintext of a save is written into one buffer allocated at its
// final size: a buffer that grows leaves copies of the secrets behind that
// nobody can zero. The cases include every way a string grows when
// escaped.
func TestEncodeAllocatesOnce(t *testing.T) {
	d := &db{}
	for i, s := range []string{"plain", strings.Repeat("é", 300), "quote\" backslash\\ tab\t nl\n", "\x01\x1f control", "bad utf-8 \xff\xfe", strings.Repeat("x", 5000)} {
		a := testAccount(i)
		a.UUID, a.Name, a.Issuer, a.Note = newUUID(), s, s, s
		a.Icon = bytes.Repeat([]byte{byte(i)}, 100*i)
		e := newEntry(a, []string{s}, nil)
		e.extra = object{s: json.RawMessage(`"` + strings.Repeat("v", i) + `"`)}
		d.entries = append(d.entries, e)
		d.groups = append(d.groups, &group{uuid: s, name: s, extra: object{s: json.RawMessage("1")}})
	}
	d.extra = object{"x\ty": json.RawMessage(`[1,2,3]`)}
	for _, tc := range dbCases {
		if c, err := parseDB([]byte(tc.in)); err == nil {
			d.entries = append(d.entries, c.entries...)
		}
	}
	out := d.encode()
	if want := d.sizeBound() + tagSize; cap(out) != want {
		t.Fatalf("the buffer grew: capacity %d, allocated %d", cap(out), want)
	}
	if !json.Valid(out) {
		t.Fatalf("encoded db is not JSON: %s", out)
	}
	for _, e := range d.entries {
		if b := encodeEntry(e); cap(b) != e.sizeBound() {
			t.Fatalf("an entry's encoding grew: capacity %d, allocated %d", cap(b), e.sizeBound())
		}
	}
}

// Secrets are decoded from the file's bytes with otp.DecodeBase32's rules,
// without a string copy.
func TestDecodeSecretMatchesOTP(t *testing.T) {
	for _, text := range []string{
		"JBSWY3DPEHPK3PXP", "jbswy3dpehpk3pxp", "JBSW Y3DP-EHPK\t3PXP", "JBSWY3DPEHPK3PXP====",
		"JBSWY3D", "JBS", "", "====", "JBSWY3DP1", "é", strings.Repeat("A", 4097), strings.Repeat("A", 4096),
	} {
		raw, _ := json.Marshal(text)
		got, gotErr := decodeSecret(raw)
		want, wantErr := otp.DecodeBase32(text)
		if (gotErr == nil) != (wantErr == nil) || !bytes.Equal(got, want) {
			t.Errorf("%.20q: got %x, %v; otp gives %x, %v", text, got, gotErr, want, wantErr)
		}
	}
	if got, err := decodeSecret(json.RawMessage(`"JBSW\u0059\/3DP"`)); err == nil {
		t.Errorf("an escaped slash decoded to %x", got)
	}
	if got, err := decodeSecret(json.RawMessage(`"JBSW\u00593DP"`)); err != nil || !bytes.Equal(got, []byte("Hello")) {
		t.Errorf("an escaped letter: %x, %v", got, err)
	}
}
