package vault

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/scrypt"
)

// foreignDB is a db as another app might write it: unknown fields at every
// level, a Yandex entry, an MD5 entry, a legacy entry without uuid.
const foreignDB = `{
  "version": 3,
  "entries": [
    {"type": "totp", "uuid": "11111111-1111-4111-8111-111111111111", "name": "alice", "issuer": "Example",
     "note": "", "favorite": false, "icon": null, "icon_mime": null, "icon_hash": null,
     "info": {"secret": "JBSWY3DPEHPK3PXP", "algo": "SHA1", "digits": 6, "period": 30, "future_info": [1, 2]},
     "groups": ["aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"], "future_entry": {"x": true}},
    {"type": "yandex", "uuid": "22222222-2222-4222-8222-222222222222", "name": "bob", "issuer": "Yandex",
     "info": {"secret": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "algo": "SHA256", "digits": 8, "period": 30, "pin": "1234"}},
    {"type": "totp", "uuid": "33333333-3333-4333-8333-333333333333", "name": "carol", "issuer": "Old",
     "info": {"secret": "JBSWY3DPEHPK3PXP", "algo": "MD5", "digits": 6, "period": 30}}
  ],
  "groups": [{"uuid": "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa", "name": "Work", "future_group": 7},
             {"uuid": "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb", "name": "Empty"}],
  "icons_optimized": false,
  "future_db": "kept"
}`

// sealForTest encrypts with AES-256-GCM and returns ciphertext and tag
// apart, as formats.md §4 stores them; independent of the package.
func sealForTest(t *testing.T, key, plain []byte) (ct, nonce, tag []byte) {
	block, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	aead, _ := cipher.NewGCM(block)
	nonce = make([]byte, 12)
	copy(nonce, "fixed nonce!")
	out := aead.Seal(nil, nonce, plain, nil)
	return out[:len(out)-16], nonce, out[len(out)-16:]
}

// writeForeignVault writes an encrypted vault as another app would, with a
// password slot (password "pw"), a biometric slot and unknown fields.
func writeForeignVault(t *testing.T, path string) {
	master := make([]byte, 32)
	copy(master, "master key for the foreign vault")
	salt := make([]byte, 32)
	kek, err := scrypt.Key([]byte("pw"), salt, 16, 8, 1, 32)
	if err != nil {
		t.Fatal(err)
	}
	wk, kn, kt := sealForTest(t, kek, master)
	ct, n, tg := sealForTest(t, master, []byte(foreignDB))
	file := fmt.Sprintf(`{
  "version": 1,
  "header": {
    "slots": [
      {"type": 1, "uuid": "44444444-4444-4444-8444-444444444444", "key": %q, "key_params": {"nonce": %q, "tag": %q},
       "n": 16, "r": 8, "p": 1, "salt": %q, "repaired": true, "is_backup": false, "future_slot": 1},
      {"type": 2, "uuid": "55555555-5555-4555-8555-555555555555", "key": "00", "key_params": {"nonce": "00", "tag": "00"}}
    ],
    "params": {"nonce": %q, "tag": %q},
    "future_header": {"a": [1, 2, 3]}
  },
  "db": %q,
  "future_top": null
}`, hex.EncodeToString(wk), hex.EncodeToString(kn), hex.EncodeToString(kt), hex.EncodeToString(salt),
		hex.EncodeToString(n), hex.EncodeToString(tg), base64.StdEncoding.EncodeToString(ct))
	if err := os.WriteFile(path, []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
}

// Re-saving a vault another app wrote keeps every field, slot and entry
// Gatekey does not understand.
func TestResaveKeepsUnknownData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vault.json")
	writeForeignVault(t, path)
	v, err := Open(path, OpenOptions{Password: []byte("pw"), Keychain: &memKeychain{}})
	if err != nil {
		t.Fatal(err)
	}
	accts := v.Accounts()
	if len(accts) != 1 || accts[0].Name != "alice" || len(accts[0].Groups) != 1 || accts[0].Groups[0] != "Work" {
		t.Fatalf("accounts %+v", accts)
	}
	in := v.Info()
	if len(in.Skipped) != 2 || !strings.Contains(in.Skipped[0].Reason, "yandex") || !strings.Contains(in.Skipped[1].Reason, "MD5") {
		t.Fatalf("skipped %+v", in.Skipped)
	}
	if in.OtherSlots != 1 || in.PasswordSlots != 1 {
		t.Fatalf("slots %+v", in)
	}
	a := accts[0]
	a.Name = "alice2"
	if err := v.Update(a); err != nil {
		t.Fatal(err)
	}
	if err := v.Save(); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	for _, want := range []string{`"future_top": null`, `"future_header"`, `"future_slot": 1`, `"type": 2`, `"55555555-5555-4555-8555-555555555555"`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("outer file lost %s", want)
		}
	}
	entries, raw := decryptIndependently(t, path, "pw")
	if string(raw["future_db"]) != `"kept"` || string(raw["icons_optimized"]) != "false" {
		t.Errorf("db fields lost: %s %s", raw["future_db"], raw["icons_optimized"])
	}
	if !strings.Contains(string(raw["groups"]), `"future_group":7`) || !strings.Contains(string(raw["groups"]), "Empty") {
		t.Errorf("groups lost: %s", raw["groups"])
	}
	var list []map[string]json.RawMessage
	json.Unmarshal(raw["entries"], &list)
	if len(entries) != 3 || entries[0].Name != "alice2" {
		t.Fatalf("entries %+v", entries)
	}
	if string(list[0]["future_entry"]) != `{"x": true}` || !strings.Contains(string(list[0]["info"]), `"future_info":[1, 2]`) {
		t.Errorf("entry fields lost: %s", list[0])
	}
	if !strings.Contains(string(list[1]["info"]), `"pin": "1234"`) || entries[1].Type != "yandex" || entries[2].Info.Algo != "MD5" {
		t.Errorf("unsupported entries changed: %s / %+v", list[1], entries[2])
	}
}

// Fields Gatekey does not know survive editing an account twice and
// saving in between: the edited entry must not share them with the
// version it replaced, which is zeroed when it leaves the vault.
func TestEditingKeepsUnknownFieldsIntact(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vault.json")
	writeForeignVault(t, path)
	kc := &memKeychain{}
	v, err := Open(path, OpenOptions{Password: []byte("pw"), Keychain: kc})
	if err != nil {
		t.Fatal(err)
	}
	for _, note := range []string{"first", "second", "third"} {
		a := v.Accounts()[0]
		a.Note = note
		if err := v.Update(a); err != nil {
			t.Fatal(err)
		}
		if note != "second" {
			if err := v.Save(); err != nil {
				t.Fatalf("save after the %s edit: %v", note, err)
			}
		}
	}
	if _, err := Open(path, OpenOptions{Password: []byte("pw"), Keychain: kc}); err != nil {
		t.Fatalf("the vault does not open after the edits: %v", err)
	}
	_, raw := decryptIndependently(t, path, "pw")
	if !strings.Contains(string(raw["entries"]), `"future_info":[1, 2]`) || !strings.Contains(string(raw["entries"]), `"future_entry":{"x": true}`) {
		t.Errorf("unknown fields damaged: %s", raw["entries"])
	}
}
