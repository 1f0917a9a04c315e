package testenv

import (
	"encoding/json"
	"os"
	"testing"
)

// InteropAccount is one account of ../shared/interop/expected.json: the
// fields every importer must reproduce exactly (period for TOTP and Steam,
// counter for HOTP).
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
	data, err := os.ReadFile(Shared(t, "interop", "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct{ Entries []InteropAccount }
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("expected.json: %v", err)
	}
	if len(doc.Entries) == 0 {
		t.Fatal("expected.json lists no accounts")
	}
	return doc.Entries
}
