package vault

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"os"
	"testing"

	"github.com/gatekey/gatekey/internal/testenv"
	"github.com/gatekey/gatekey/otp"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/crypto/scrypt"
)

// expectedAccount is an entry of an accounts file: expected.json beside
// the other apps' files, or the samples' accounts.json.
type expectedAccount = testenv.InteropAccount

// aegisSource is a folder holding a plain and an encrypted Aegis file
// (password "test") and the list of their accounts.
type aegisSource struct {
	name     string
	path     func(t testing.TB, file string) string
	accounts func(t testing.TB) []expectedAccount
}

// aegisSources are the Aegis files the tests read: Aegis's own exports in
// ../shared/interop (an interop check, which a clone without that folder
// skips) and the project's samples, written from docs/formats.md by
// testdata/samples/make.go without any of Gatekey's code.
var aegisSources = []aegisSource{
	{"aegis app", func(t testing.TB, file string) string { return testenv.Shared(t, "interop", file) }, testenv.InteropAccounts},
	{"samples", func(t testing.TB, file string) string { return testenv.Testdata(t, "samples", file) }, testenv.SampleAccounts},
}

func asExpected(list []otp.Account) []expectedAccount {
	var out []expectedAccount
	for _, a := range list {
		out = append(out, expectedAccount{Type: string(a.Type), Issuer: a.Issuer, Name: a.Name,
			Secret: otp.EncodeBase32(a.Secret), Algorithm: string(a.Algorithm), Digits: a.Digits,
			Period: a.Period, Counter: a.Counter})
	}
	return out
}

// Aegis files import to exactly the accounts listed beside them, plain and
// encrypted.
func TestReadAegisExports(t *testing.T) {
	for _, src := range aegisSources {
		t.Run(src.name, func(t *testing.T) { readAegisFiles(t, src) })
	}
}

func readAegisFiles(t *testing.T, src aegisSource) {
	want := src.accounts(t)
	for _, tc := range []struct{ file, password string }{
		{"aegis_plain.json", ""},
		{"aegis_encrypted.json", "test"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			got, skipped, err := ReadFile(src.path(t, tc.file), []byte(tc.password))
			if err != nil {
				t.Fatal(err)
			}
			if len(skipped) > 0 {
				t.Errorf("skipped %v", skipped)
			}
			if diff := cmp.Diff(want, asExpected(got)); diff != "" {
				t.Errorf("accounts (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("wrong password", func(t *testing.T) {
		path := src.path(t, "aegis_encrypted.json")
		_, _, err := ReadFile(path, []byte("tset"))
		mustFileError(t, err, path, ErrWrongPassword)
		_, _, err = ReadFile(path, nil)
		mustFileError(t, err, path, ErrPasswordRequired)
	})
}

// An Aegis vault opens as a Gatekey vault with its password, and after a
// re-save Aegis's procedure still decrypts it to the same accounts.
func TestOpenAegisVaultAndResave(t *testing.T) {
	for _, src := range aegisSources {
		t.Run(src.name, func(t *testing.T) { openAndResave(t, src) })
	}
}

func openAndResave(t *testing.T, src aegisSource) {
	data, err := os.ReadFile(src.path(t, "aegis_encrypted.json"))
	if err != nil {
		t.Fatal(err)
	}
	path := t.TempDir() + "/vault.json"
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	kc := &memKeychain{}
	v, err := Open(path, OpenOptions{Password: []byte("test"), Keychain: kc})
	if err != nil {
		t.Fatal(err)
	}
	if got := v.Info().Keychain; got != KeychainMissingKey {
		t.Errorf("keychain status %v, want %v", got, KeychainMissingKey)
	}
	want := src.accounts(t)
	if diff := cmp.Diff(want, asExpected(v.Accounts())); diff != "" {
		t.Fatalf("accounts (-want +got):\n%s", diff)
	}
	a := v.Accounts()[0]
	a.Note = "re-saved by Gatekey"
	if err := v.Update(a); err != nil {
		t.Fatal(err)
	}
	if err := v.Save(); err != nil {
		t.Fatal(err)
	}
	checkResaved(t, path, want, "re-saved by Gatekey")
	// Storing the key in the keychain gives the vault an id and then it
	// opens without the password.
	if err := v.StoreKeyInKeychain(); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path, OpenOptions{Keychain: kc}); err != nil {
		t.Fatalf("open through the keychain after StoreKeyInKeychain: %v", err)
	}
}

// checkResaved decrypts a re-saved vault by formats.md's procedure alone
// and compares its entries with want; the first entry must carry note.
func checkResaved(t *testing.T, path string, want []expectedAccount, note string) {
	t.Helper()
	entries, _ := decryptIndependently(t, path, "test")
	if len(entries) != len(want) {
		t.Fatalf("%d entries after re-save, want %d", len(entries), len(want))
	}
	for i, e := range entries {
		w := want[i]
		got := expectedAccount{Type: e.Type, Issuer: e.Issuer, Name: e.Name, Secret: e.Info.Secret,
			Algorithm: e.Info.Algo, Digits: e.Info.Digits, Period: e.Info.Period, Counter: e.Info.Counter}
		if got != w {
			t.Errorf("entry %d after re-save = %+v, want %+v", i, e, w)
		}
	}
	if entries[0].Note != note {
		t.Errorf("note %q not saved", entries[0].Note)
	}
}

// aegisEntry is the db entry layout as formats.md §4 describes it, used to
// check files independently of the package's own parser.
type aegisEntry struct {
	Type     string   `json:"type"`
	UUID     string   `json:"uuid"`
	Name     string   `json:"name"`
	Issuer   string   `json:"issuer"`
	Note     string   `json:"note"`
	Favorite bool     `json:"favorite"`
	Groups   []string `json:"groups"`
	Info     struct {
		Secret  string `json:"secret"`
		Algo    string `json:"algo"`
		Digits  int    `json:"digits"`
		Period  int    `json:"period"`
		Counter uint64 `json:"counter"`
	} `json:"info"`
}

// decryptIndependently follows formats.md §4 by hand: scrypt unwraps the
// master key from the password slot, AES-256-GCM with the separate tag
// decrypts db. It does not call the package's own code.
func decryptIndependently(t *testing.T, path, password string) ([]aegisEntry, map[string]json.RawMessage) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	type params struct{ Nonce, Tag string }
	var file struct {
		Version int
		Header  struct {
			Slots []struct {
				Type      int
				Key       string
				KeyParams params `json:"key_params"`
				N, R, P   int
				Salt      string
			}
			Params params
		}
		DB string
	}
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	if file.Version != 1 {
		t.Fatalf("version %d", file.Version)
	}
	unhex := func(s string) []byte {
		b, err := hex.DecodeString(s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	open := func(key, nonce, ct, tag []byte) ([]byte, error) {
		block, err := aes.NewCipher(key)
		if err != nil {
			t.Fatal(err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			t.Fatal(err)
		}
		return aead.Open(nil, nonce, append(append([]byte{}, ct...), tag...), nil)
	}
	var master []byte
	for _, s := range file.Header.Slots {
		if s.Type != 1 {
			continue
		}
		kek, err := scrypt.Key([]byte(password), unhex(s.Salt), s.N, s.R, s.P, 32)
		if err != nil {
			t.Fatal(err)
		}
		if k, err := open(kek, unhex(s.KeyParams.Nonce), unhex(s.Key), unhex(s.KeyParams.Tag)); err == nil {
			master = k
			break
		}
	}
	if master == nil {
		t.Fatal("no password slot opens with the password")
	}
	ct, err := base64.StdEncoding.DecodeString(file.DB)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := open(master, unhex(file.Header.Params.Nonce), ct, unhex(file.Header.Params.Tag))
	if err != nil {
		t.Fatalf("db does not decrypt: %v", err)
	}
	var db struct {
		Version int
		Entries []aegisEntry
	}
	if err := json.Unmarshal(plain, &db); err != nil {
		t.Fatal(err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(plain, &raw); err != nil {
		t.Fatal(err)
	}
	return db.Entries, raw
}

// A vault Gatekey writes with a password decrypts with the procedure of
// formats.md, written here without the package's code.
func TestGatekeyVaultDecryptsIndependently(t *testing.T) {
	v := createTestVault(t, "correct horse")
	var want []otp.Account
	for i := range 5 {
		a := testAccount(i)
		a.Groups = []string{"Work"}
		if _, err := v.Add(a); err != nil {
			t.Fatal(err)
		}
		want = append(want, a)
	}
	if err := v.Save(); err != nil {
		t.Fatal(err)
	}
	entries, raw := decryptIndependently(t, v.Path(), "correct horse")
	if string(raw["version"]) != "3" {
		t.Errorf("db version %s, want 3", raw["version"])
	}
	var groups []struct{ UUID, Name string }
	if err := json.Unmarshal(raw["groups"], &groups); err != nil || len(groups) != 1 || groups[0].Name != "Work" {
		t.Fatalf("groups %s", raw["groups"])
	}
	if len(entries) != len(want) {
		t.Fatalf("%d entries, want %d", len(entries), len(want))
	}
	for i, e := range entries {
		w := want[i]
		period := w.Period
		if w.Type == otp.HOTP {
			period = 0
		}
		if e.Type != string(w.Type) || e.Issuer != w.Issuer || e.Name != w.Name ||
			e.Info.Secret != otp.EncodeBase32(w.Secret) || e.Info.Algo != string(w.Algorithm) ||
			e.Info.Digits != w.Digits || e.Info.Period != period || e.Info.Counter != w.Counter {
			t.Errorf("entry %d = %+v, want %+v", i, e, w)
		}
		if len(e.Groups) != 1 || e.Groups[0] != groups[0].UUID {
			t.Errorf("entry %d groups %v, want [%s]", i, e.Groups, groups[0].UUID)
		}
	}
}

// New password slots carry Aegis's scrypt cost, not the tests' cheap one.
func TestNewSlotUsesAegisScryptCost(t *testing.T) {
	saved := testOnlyScryptN
	testOnlyScryptN = 0
	defer func() { testOnlyScryptN = saved }()
	master := randomBytes(keySize)
	s, err := newPasswordSlot(master, []byte("pw"))
	if err != nil {
		t.Fatal(err)
	}
	if s.n != 32768 || s.r != 8 || s.p != 1 || len(s.salt) != 32 {
		t.Fatalf("n=%d r=%d p=%d salt %d bytes, want 32768, 8, 1, 32", s.n, s.r, s.p, len(s.salt))
	}
	if string(s.raw["n"]) != "32768" {
		t.Fatalf("slot written with n=%s", s.raw["n"])
	}
}
