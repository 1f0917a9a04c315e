package transfer

import (
	"os"
	"testing"

	"github.com/gatekey/gatekey/internal/testenv"
)

// sampleFiles are the project's own export files in testdata/samples,
// written by testdata/samples/make.go from docs/formats.md without any of
// Gatekey's code. They are in every checkout, so every test but the
// interop checks reads them; accounts.json lists their seven accounts.
var sampleFiles = []exportFile{
	{file: "aegis_plain.json", format: FormatAegis},
	{file: "aegis_encrypted.json", format: FormatAegis, password: "test"},
	{file: "2fas_plain.2fas", format: Format2FAS, holds: sampleTwoFAS,
		note: "2FAS keeps neither the 20 s nor the 50 s account"},
	{file: "2fas_encrypted.2fas", format: Format2FAS, password: "test", holds: sampleTwoFAS,
		note: "as the plain 2FAS file"},
	{file: "uris.txt", format: FormatURI},
	{file: "ente.txt", format: FormatURI},
	{file: "bitwarden.json", format: FormatBitwarden,
		holds: []string{"Example Mail:ada@example.com", "Build Farm:ci-bot", "Café Crème:zoë", "Steam:player1"},
		note:  "a bare secret, two URIs and steam://SECRET, labelled by their items"},
	{file: "andotp.json", format: FormatAndOTP},
	{file: "freeotp_plus.json", format: FormatFreeOTP,
		holds: []string{"Example Mail:ada@example.com", "Build Farm:ci-bot", "Café Crème:zoë", "Ledger:lin", "Blue Harbor:omar", "Tiny Git:sam"},
		note:  "FreeOTP+ has no Steam accounts; its HOTP counters are one lower"},
	{file: "proton.json", format: FormatProton,
		holds: []string{"Example Mail:ada@example.com", "Build Farm:ci-bot", "Café Crème:zoë"},
		note:  "the Proton export holds the three TOTP accounts"},
	{file: "google_migration.txt", format: FormatGoogle,
		holds: []string{"Example Mail:ada@example.com", "Ledger:lin", "Tiny Git:sam"},
		note:  "a batch of two QR codes with what the format carries: 30 s, 6 or 8 digits, no Steam"},
}

var sampleTwoFAS = []string{"Example Mail:ada@example.com", "Ledger:lin", "Blue Harbor:omar", "Tiny Git:sam", "Steam:player1"}

func readSample(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(testenv.Testdata(t, "samples", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func loadSampleExpected(t *testing.T) map[string]expectedAccount {
	t.Helper()
	m := map[string]expectedAccount{}
	for _, e := range testenv.SampleAccounts(t) {
		m[e.Key()] = e
	}
	if len(m) != 7 {
		t.Fatalf("accounts.json lists %d accounts, want 7", len(m))
	}
	return m
}

// TestSampleFiles imports every sample file and compares the accounts,
// field by field, to those of accounts.json that the file holds.
func TestSampleFiles(t *testing.T) {
	expected := loadSampleExpected(t)
	for _, tc := range sampleFiles {
		t.Run(tc.file, func(t *testing.T) {
			checkImport(t, tc, testenv.Testdata(t, "samples", tc.file), expected)
		})
	}
}

// TestDetectSamples recognises the format of every sample from its content
// alone.
func TestDetectSamples(t *testing.T) {
	for _, tc := range sampleFiles {
		if f, err := Detect(readSample(t, tc.file)); err != nil || f != tc.format {
			t.Errorf("Detect(%s) = %q, %v; want %q", tc.file, f, err, tc.format)
		}
	}
}
