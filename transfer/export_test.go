package transfer

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gatekey/gatekey/otp"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/crypto/scrypt"
)

// sampleAccounts are the seven accounts of expected.json, made here so that
// export tests do not depend on the shared folder.
func sampleAccounts(t testing.TB) []otp.Account {
	t.Helper()
	uris := []string{
		"otpauth://totp/Deno:Mason?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&issuer=Deno",
		"otpauth://totp/SPDX:James?secret=5OM4WOOGPLQEF6UGN3CPEOOLWU&algorithm=SHA256&digits=7&period=20",
		"otpauth://totp/Airbnb:Elijah?secret=7ELGJSGXNCCTV3O6LKJWYFV2RA&algorithm=SHA512&digits=8&period=50",
		"otpauth://hotp/Issuu:James?secret=YOOMIXWS5GN6RTBPUFFWKTW5M4&counter=1",
		"otpauth://hotp/Air%20Canada:Benjamin?secret=KUVJJOM753IHTNDSZVCNKL7GII&issuer=Air+Canada&algorithm=SHA256&digits=7&counter=50",
		"otpauth://hotp/WWE:Mason?secret=5VAML3X35THCEBVRLV24CGBKOY&algorithm=SHA512&digits=8&counter=10300",
		"otpauth://steam/Boeing:Sophia?secret=JRZCL47CMXVOQMNPZR2F7J4RGI",
	}
	var out []otp.Account
	for _, u := range uris {
		a, err := otp.ParseURI(u)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, a)
	}
	return out
}

// TestExportRoundTrip exports the sample accounts in every format and
// imports the result: the same accounts come back, except those the
// format cannot carry, which are named in skipped.
func TestExportRoundTrip(t *testing.T) {
	accounts := sampleAccounts(t)
	tests := []struct {
		name        string
		format      Format
		opts        ExportOptions
		wantSkipped []string
	}{
		{"aegis encrypted", FormatAegis, ExportOptions{Password: []byte("correct horse")}, nil},
		{"aegis plain", FormatAegis, ExportOptions{Plain: true}, nil},
		{"uri list", FormatURI, ExportOptions{Plain: true}, nil},
		// Google's format has 6 or 8 digits, 30 s periods and no Steam.
		{"google", FormatGoogle, ExportOptions{Plain: true, BatchID: 7}, []string{"SPDX:James", "Airbnb:Elijah", "Air Canada:Benjamin", "Boeing:Sophia"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "export")
			skipped, err := ExportFile(path, tc.format, accounts, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			var items []string
			for _, s := range skipped {
				items = append(items, s.Item)
			}
			if d := cmp.Diff(tc.wantSkipped, items); d != "" {
				t.Errorf("skipped (-want +got):\n%s", d)
			}
			if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
				t.Errorf("export file mode %v, %v; want 0600", st.Mode(), err)
			}
			b, err := ReadFile(path, ReadOptions{Password: func() ([]byte, error) { return tc.opts.Password, nil }})
			if err != nil {
				t.Fatal(err)
			}
			if b.Format != tc.format {
				t.Errorf("detected %q, want %q", b.Format, tc.format)
			}
			var want []otp.Account
			for _, a := range accounts {
				if !strings.Contains(","+strings.Join(tc.wantSkipped, ",")+",", ","+a.Issuer+":"+a.Name+",") {
					want = append(want, a)
				}
			}
			if d := cmp.Diff(projectAll(want), projectAll(b.Accounts)); d != "" {
				t.Errorf("re-imported accounts (-want +got):\n%s", d)
			}
			entries, _ := os.ReadDir(filepath.Dir(path))
			if len(entries) != 1 {
				t.Errorf("the export folder holds %d files, want only the export", len(entries))
			}
		})
	}
}

// TestExportNeedsConfirmation refuses every unencrypted export without
// Plain, and writes nothing.
func TestExportNeedsConfirmation(t *testing.T) {
	for _, f := range []Format{FormatAegis, FormatURI, FormatGoogle} {
		path := filepath.Join(t.TempDir(), "out")
		if _, err := ExportFile(path, f, sampleAccounts(t), ExportOptions{}); !errors.Is(err, ErrPlainNotConfirmed) {
			t.Errorf("%s without --plain: %v, want ErrPlainNotConfirmed", f, err)
		}
		if _, err := os.Stat(path); err == nil {
			t.Errorf("%s without --plain wrote a file", f)
		}
	}
	if _, err := Export(&bytes.Buffer{}, FormatBitwarden, nil, ExportOptions{Plain: true}); !errors.Is(err, ErrUnknownFormat) {
		t.Errorf("bitwarden export: %v, want ErrUnknownFormat", err)
	}
}

// TestGoogleBatches splits 23 accounts into payloads of 10, 10 and 3 of
// one batch, which re-import as one complete export.
func TestGoogleBatches(t *testing.T) {
	base := sampleAccounts(t)[0]
	var accounts []otp.Account
	for i := range 23 {
		a := base
		a.Name = "user" + string(rune('a'+i))
		accounts = append(accounts, a)
	}
	uris, skipped := FormatGoogleBatch(accounts, 42)
	if len(uris) != 3 || len(skipped) != 0 {
		t.Fatalf("%d URIs, %d skipped; want 3, 0", len(uris), len(skipped))
	}
	b, err := Read("g", strings.NewReader(strings.Join(uris, "\n")), ReadOptions{})
	if err != nil || len(b.Accounts) != 23 || len(b.Skipped) != 0 {
		t.Fatalf("re-import: %v, %d accounts, skipped %v", err, len(b.Accounts), b.Skipped)
	}
	// Without its second QR code the export is named as incomplete.
	b, err = Read("g", strings.NewReader(uris[0]+"\n"+uris[2]), ReadOptions{})
	if err != nil || len(b.Accounts) != 13 || len(b.Skipped) != 1 || !strings.Contains(b.Skipped[0].Reason, "QR code 2 of 3 missing") {
		t.Errorf("incomplete batch: %v, %d accounts, skipped %v", err, len(b.Accounts), b.Skipped)
	}
}

// TestAegisExportOpensByHand decrypts an encrypted Aegis export with the
// procedure of formats.md §4, written here apart from the vault package:
// scrypt over the password unwraps the master key of the password slot,
// which opens the db with AES-256-GCM (tag stored apart, no associated data).
func TestAegisExportOpensByHand(t *testing.T) {
	var buf bytes.Buffer
	if _, err := WriteAegis(&buf, sampleAccounts(t), []byte("hunter2")); err != nil {
		t.Fatal(err)
	}
	var f struct {
		Version int
		Header  struct {
			Slots []struct {
				Type      int
				Key       string
				KeyParams struct{ Nonce, Tag string } `json:"key_params"`
				N, R, P   int
				Salt      string
			}
			Params struct{ Nonce, Tag string }
		}
		DB string
	}
	if err := json.Unmarshal(buf.Bytes(), &f); err != nil {
		t.Fatal(err)
	}
	if f.Version != 1 || len(f.Header.Slots) != 1 || f.Header.Slots[0].Type != 1 {
		t.Fatalf("version %d, %d slots; want version 1 and one password slot", f.Version, len(f.Header.Slots))
	}
	s := f.Header.Slots[0]
	if s.N != 1<<15 || s.R != 8 || s.P != 1 {
		t.Errorf("scrypt N=%d r=%d p=%d, want Aegis's 32768, 8, 1", s.N, s.R, s.P)
	}
	kek, err := scrypt.Key([]byte("hunter2"), mustHex(t, s.Salt), s.N, s.R, s.P, 32)
	if err != nil {
		t.Fatal(err)
	}
	master := gcmOpenByHand(t, kek, mustHex(t, s.KeyParams.Nonce), mustHex(t, s.Key), mustHex(t, s.KeyParams.Tag))
	ct, err := base64.StdEncoding.DecodeString(f.DB)
	if err != nil {
		t.Fatal(err)
	}
	plain := gcmOpenByHand(t, master, mustHex(t, f.Header.Params.Nonce), ct, mustHex(t, f.Header.Params.Tag))
	var db struct {
		Entries []struct {
			Type, Name, Issuer string
			Info               struct {
				Secret, Algo   string
				Digits, Period int
				Counter        uint64
			}
		}
	}
	if err := json.Unmarshal(plain, &db); err != nil {
		t.Fatal(err)
	}
	var got []expectedAccount
	for _, e := range db.Entries {
		a := expectedAccount{Type: e.Type, Issuer: e.Issuer, Name: e.Name, Secret: e.Info.Secret, Algorithm: e.Info.Algo, Digits: e.Info.Digits}
		if e.Type == "hotp" {
			a.Counter = e.Info.Counter
		} else {
			a.Period = e.Info.Period
		}
		got = append(got, a)
	}
	if d := cmp.Diff(projectAll(sampleAccounts(t)), sortedExpected(got)); d != "" {
		t.Errorf("decrypted entries (-want +got):\n%s", d)
	}
}

func sortedExpected(es []expectedAccount) []expectedAccount {
	out := slices.Clone(es)
	slices.SortFunc(out, func(a, b expectedAccount) int { return strings.Compare(a.Key(), b.Key()) })
	return out
}

func gcmOpenByHand(t *testing.T, key, nonce, ct, tag []byte) []byte {
	t.Helper()
	block, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		t.Fatal(err)
	}
	out, err := aead.Open(nil, nonce, append(append([]byte{}, ct...), tag...), nil)
	if err != nil {
		t.Fatalf("AES-GCM open: %v", err)
	}
	return out
}

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestReimportAddsNothing imports every sample file into one account
// list, then again: the second pass adds nothing and counts every account
// as a duplicate, and a file listing one account twice adds it once.
func TestReimportAddsNothing(t *testing.T) {
	var vaultAccounts []otp.Account
	for pass := range 2 {
		for _, tc := range sampleFiles {
			b, err := Read(tc.file, bytes.NewReader(readSample(t, tc.file)), ReadOptions{Password: password("test")})
			if err != nil {
				t.Fatal(err)
			}
			add, dups := Merge(vaultAccounts, b.Accounts)
			if pass == 1 && (len(add) != 0 || len(dups) != len(b.Accounts)) {
				t.Errorf("%s again: %d added, %d duplicates of %d", tc.file, len(add), len(dups), len(b.Accounts))
			}
			r := NewReport(b, add, dups)
			if r.Imported+r.Duplicates != len(b.Accounts) {
				t.Errorf("%s: report %+v for %d accounts", tc.file, r, len(b.Accounts))
			}
			vaultAccounts = append(vaultAccounts, add...)
		}
	}
	// Every sample holds some of the same seven accounts.
	if len(vaultAccounts) != 7 {
		t.Errorf("%d accounts after importing every file, want 7", len(vaultAccounts))
	}

	a := sampleAccounts(t)[0]
	other := a
	other.Secret = append([]byte{}, a.Secret...)
	other.Secret[0] ^= 1 // same labels, another secret: a different account
	add, dups := Merge(nil, []otp.Account{a, a, other})
	if len(add) != 2 || len(dups) != 1 {
		t.Errorf("Merge within one file: %d added, %d duplicates; want 2, 1", len(add), len(dups))
	}
}

// TestReportJSON keeps the shape CLI.md documents for import --json.
func TestReportJSON(t *testing.T) {
	r := NewReport(&Batch{Skipped: []Skipped{{Item: "A:a", Reason: "unsupported: type \"MOTP\""}}}, make([]otp.Account, 2), nil)
	got, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"imported":2,"duplicates":0,"skipped":[{"item":"A:a","reason":"unsupported: type \"MOTP\""}]}`
	if string(got) != want {
		t.Errorf("report JSON %s, want %s", got, want)
	}
	if got, _ := json.Marshal(NewReport(&Batch{}, nil, nil)); string(got) != `{"imported":0,"duplicates":0,"skipped":[]}` {
		t.Errorf("empty report JSON %s", got)
	}
}
