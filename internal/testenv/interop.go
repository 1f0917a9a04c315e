package testenv

import (
	"encoding/json"
	"os"
	"testing"
)

// InteropAccount is one account of an accounts file: ../shared/interop/
// expected.json for the other apps' files, testdata/samples/accounts.json
// for the project's own samples. It holds the fields every importer must
// reproduce exactly (period for TOTP and Steam, counter for HOTP).
type InteropAccount struct {
	Type      string `json:"type"`
	Issuer    string `json:"issuer"`
	Name      string `json:"name"`
	Secret    string `json:"secret"` // Base32, upper case, no padding
	Algorithm string `json:"algorithm"`
	Digits    int    `json:"digits"`
	Period    int    `json:"period,omitempty"`
	Counter   uint64 `json:"counter,omitempty"`
}

// Key names the account as "issuer:name".
func (a InteropAccount) Key() string { return a.Issuer + ":" + a.Name }

// InteropAccounts reads the accounts every file in ../shared/interop holds
// (or a subset of them).
func InteropAccounts(t testing.TB) []InteropAccount {
	t.Helper()
	return readAccounts(t, Shared(t, "interop", "expected.json"))
}

// SampleAccounts reads the accounts every file in testdata/samples holds
// (or a subset of them).
func SampleAccounts(t testing.TB) []InteropAccount {
	t.Helper()
	return readAccounts(t, Testdata(t, "samples", "accounts.json"))
}

func readAccounts(t testing.TB, path string) []InteropAccount {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct{ Entries []InteropAccount }
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(doc.Entries) == 0 {
		t.Fatalf("%s lists no accounts", path)
	}
	return doc.Entries
}
