package transfer

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/gatekey/gatekey/internal/testenv"
	"github.com/gatekey/gatekey/otp"
	"github.com/google/go-cmp/cmp"
)

// expectedAccount is one entry of interop/expected.json, and the fields of
// an imported account the interop tests compare.
type expectedAccount = testenv.InteropAccount

// project keeps the fields expected.json lists: the period for TOTP and
// Steam, the counter for HOTP.
func project(a otp.Account) expectedAccount {
	e := expectedAccount{Type: string(a.Type), Issuer: a.Issuer, Name: a.Name, Secret: otp.EncodeBase32(a.Secret),
		Algorithm: string(a.Algorithm), Digits: a.Digits}
	if a.Type == otp.HOTP {
		e.Counter = a.Counter
	} else {
		e.Period = a.Period
	}
	return e
}

func projectAll(as []otp.Account) []expectedAccount {
	out := make([]expectedAccount, len(as))
	for i, a := range as {
		out[i] = project(a)
	}
	slices.SortFunc(out, func(a, b expectedAccount) int { return strings.Compare(a.Key(), b.Key()) })
	return out
}

func loadExpected(t *testing.T) map[string]expectedAccount {
	t.Helper()
	m := map[string]expectedAccount{}
	for _, e := range testenv.InteropAccounts(t) {
		m[e.Key()] = e
	}
	if len(m) != 7 {
		t.Fatalf("expected.json lists %d accounts, want 7", len(m))
	}
	return m
}

func password(pw string) func() ([]byte, error) {
	return func() ([]byte, error) { return []byte(pw), nil }
}

// exportFile is an export file of a test table, with its format and which
// of the accounts file's accounts it holds (nil means all of them).
type exportFile struct {
	file     string
	format   Format
	password string
	holds    []string
	note     string
	// apartSteam leaves Steam accounts out of the comparison, for a file
	// whose Steam entry carries other labels and is checked by its own test.
	apartSteam bool
}

// interopFiles are the files of ../shared/interop, written by the apps
// themselves; expected.json lists their seven accounts.
var interopFiles = []exportFile{
	{file: "aegis_plain.json", format: FormatAegis},
	{file: "aegis_encrypted.json", format: FormatAegis, password: "test"},
	{file: "2fas_authenticator_plain_v4.2fas", format: Format2FAS,
		holds: []string{"Deno:Mason", "Issuu:James", "Air Canada:Benjamin", "WWE:Mason", "Boeing:Sophia"},
		note:  "2FAS does not keep SPDX (7 digits, 20 s) and Airbnb (50 s)"},
	{file: "2fas_authenticator_encrypted_v4.2fas", format: Format2FAS, password: "test",
		holds: []string{"Deno:Mason", "Issuu:James", "Air Canada:Benjamin", "WWE:Mason", "Boeing:Sophia"},
		note:  "as the plain 2FAS file"},
	{file: "plain.txt", format: FormatURI},
	{file: "ente_auth.txt", format: FormatURI},
	{file: "bitwarden.json", format: FormatBitwarden,
		holds: []string{"Deno:Mason", "SPDX:James", "Airbnb:Elijah"},
		note:  "the Steam item is steam://SECRET, checked apart in TestBitwardenSteam", apartSteam: true},
	{file: "andotp_plain.json", format: FormatAndOTP},
	{file: "freeotp_plus.json", format: FormatFreeOTP,
		holds: []string{"Deno:Mason", "SPDX:James", "Airbnb:Elijah", "Issuu:James", "Air Canada:Benjamin", "WWE:Mason"},
		note:  "FreeOTP+ has no Steam accounts"},
	{file: "proton_authenticator.json", format: FormatProton,
		holds: []string{"Deno:Mason", "SPDX:James", "Airbnb:Elijah"},
		note:  "the Proton export holds the three TOTP accounts"},
}

// TestInteropFiles imports every file made by another app and compares the
// accounts, field by field, to those of expected.json that the file holds.
func TestInteropFiles(t *testing.T) {
	expected := loadExpected(t)
	for _, tc := range interopFiles {
		t.Run(tc.file, func(t *testing.T) {
			checkImport(t, tc, testenv.Shared(t, "interop", tc.file), expected)
		})
	}
}

// checkImport reads one export file and compares its accounts with the
// expected ones it holds.
func checkImport(t *testing.T, tc exportFile, path string, expected map[string]expectedAccount) {
	t.Helper()
	opts := ReadOptions{}
	if tc.password != "" {
		opts.Password = password(tc.password)
	}
	b, err := ReadFile(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	if b.Format != tc.format {
		t.Errorf("format %q, want %q", b.Format, tc.format)
	}
	holds := tc.holds
	if holds == nil {
		for k := range expected {
			holds = append(holds, k)
		}
	}
	var want []expectedAccount
	for _, k := range holds {
		e, ok := expected[k]
		if !ok {
			t.Fatalf("the test table names %q, which the accounts file does not list", k)
		}
		want = append(want, e)
	}
	slices.SortFunc(want, func(a, b expectedAccount) int { return strings.Compare(a.Key(), b.Key()) })
	got := b.Accounts
	if tc.apartSteam {
		got = slices.DeleteFunc(slices.Clone(got), func(a otp.Account) bool { return a.Type == otp.Steam })
	}
	if d := cmp.Diff(want, projectAll(got)); d != "" {
		t.Errorf("accounts differ from the accounts file (-want +got; %s):\n%s", tc.note, d)
	}
	if len(b.Skipped) != 0 {
		t.Errorf("skipped %v, want none", b.Skipped)
	}
}

// TestBitwardenSteam checks the Steam item of the Bitwarden export, whose
// totp field is steam://SECRET: the secret and Steam's parameters are
// Boeing's, the labels come from the Bitwarden item (title "Test Steam", no
// user name).
func TestBitwardenSteam(t *testing.T) {
	expected := loadExpected(t)
	b, err := ReadFile(testenv.Shared(t, "interop", "bitwarden.json"), ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var steam []expectedAccount
	for _, a := range b.Accounts {
		if a.Type == otp.Steam {
			steam = append(steam, project(a))
		}
	}
	want := expected["Boeing:Sophia"]
	want.Issuer, want.Name = "Test Steam", ""
	if d := cmp.Diff([]expectedAccount{want}, steam); d != "" {
		t.Errorf("Steam item (-want +got):\n%s", d)
	}
}

// TestDetectInterop checks that the format of every interop file is
// recognised from its content alone.
func TestDetectInterop(t *testing.T) {
	for _, tc := range interopFiles {
		data, err := os.ReadFile(testenv.Shared(t, "interop", tc.file))
		if err != nil {
			t.Fatal(err)
		}
		if f, err := Detect(data); err != nil || f != tc.format {
			t.Errorf("Detect(%s) = %q, %v; want %q", tc.file, f, err, tc.format)
		}
	}
}
