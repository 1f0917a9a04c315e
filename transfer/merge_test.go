package transfer

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/gatekey/gatekey/otp"
	"github.com/gatekey/gatekey/vault"
)

// An import of a file with many entries Gatekey cannot use lists the first
// MaxSkipped and counts the rest, in the batch, the report and its JSON.
func TestSkippedListIsBounded(t *testing.T) {
	const extra = 250
	var lines []string
	for i := range MaxSkipped + extra {
		lines = append(lines, fmt.Sprintf("otpauth://totp/Bad%d?secret=1", i))
	}
	lines = append(lines, "otpauth://totp/Good?secret=JBSWY3DPEHPK3PXP")
	b, err := Read("list.txt", strings.NewReader(strings.Join(lines, "\n")), ReadOptions{Format: FormatURI})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Accounts) != 1 || len(b.Skipped) != MaxSkipped || b.SkippedMore != extra {
		t.Fatalf("%d accounts, %d skipped listed, %d more; want 1, %d, %d", len(b.Accounts), len(b.Skipped), b.SkippedMore, MaxSkipped, extra)
	}
	add, dups := Merge(nil, b.Accounts)
	r := NewReport(b, add, dups)
	if len(r.Skipped) != MaxSkipped || r.SkippedMore != extra {
		t.Fatalf("report lists %d skipped and %d more", len(r.Skipped), r.SkippedMore)
	}
	data, _ := json.Marshal(r)
	if !strings.Contains(string(data), fmt.Sprintf(`"skipped_more":%d`, extra)) {
		t.Fatalf("JSON report does not count the rest: %.200s", data)
	}
	// A batch made by hand with a longer list is cut in the report too.
	long := &Batch{Skipped: make([]Skipped, MaxSkipped+3)}
	if r := NewReport(long, nil, nil); len(r.Skipped) != MaxSkipped || r.SkippedMore != 3 {
		t.Fatalf("hand-made batch: %d listed, %d more", len(r.Skipped), r.SkippedMore)
	}
}

// Merge tells accounts apart by secret even when thousands share an issuer
// and a name.
func TestMergeManyWithTheSameName(t *testing.T) {
	existing, incoming := sameNameAccounts(0, 500), sameNameAccounts(250, 750)
	add, dups := Merge(existing, append(incoming, incoming[:10]...))
	if len(add) != 250 || len(dups) != 260 {
		t.Fatalf("%d added, %d duplicates; want 250, 260", len(add), len(dups))
	}
}

// sameNameAccounts are accounts from..to-1, all called Example:alice, each
// with its own secret.
func sameNameAccounts(from, to int) []otp.Account {
	var out []otp.Account
	for i := from; i < to; i++ {
		out = append(out, otp.Account{Type: otp.TOTP, Issuer: "Example", Name: "alice",
			Secret: []byte(fmt.Sprintf("secret %08d", i)), Algorithm: otp.SHA1, Digits: 6, Period: 30})
	}
	return out
}

// distinctAccounts are n accounts with names of their own.
func distinctAccounts(n int) []otp.Account {
	out := sameNameAccounts(0, n)
	for i := range out {
		out[i].Name = fmt.Sprint("user", i)
	}
	return out
}

// Merging a file whose accounts all share one name costs what merging as
// many accounts with names of their own costs (the reference), not the
// square of their number.
func BenchmarkMerge(b *testing.B) {
	const n = 20000
	for _, bc := range []struct {
		name     string
		accounts []otp.Account
	}{
		{"distinct names (reference)", distinctAccounts(n)},
		{"one shared name", sameNameAccounts(0, n)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if add, _ := Merge(nil, bc.accounts); len(add) != n {
					b.Fatal("accounts lost")
				}
			}
		})
	}
}

// An Aegis file whose password slot asks for an absurd scrypt cost is a
// malformed file (the command line exits 2), not a wrong password.
func TestAegisAbsurdCostIsMalformed(t *testing.T) {
	file := `{"version": 1, "header": {"slots": [{"type": 1, "uuid": "u", "key": "` + strings.Repeat("00", 32) +
		`", "key_params": {"nonce": "` + strings.Repeat("00", 12) + `", "tag": "` + strings.Repeat("00", 16) +
		`"}, "n": 1099511627776, "r": 8, "p": 1, "salt": "` + strings.Repeat("00", 32) + `"}], "params": {"nonce": "` +
		strings.Repeat("00", 12) + `", "tag": "` + strings.Repeat("00", 16) + `"}}, "db": "AAAA"}`
	_, err := Read("aegis.json", strings.NewReader(file), ReadOptions{Password: func() ([]byte, error) { return []byte("pw"), nil }})
	if !errors.Is(err, ErrMalformed) || !errors.Is(err, vault.ErrTooCostly) || errors.Is(err, ErrWrongPassword) {
		t.Fatalf("error %v, want ErrMalformed and vault.ErrTooCostly", err)
	}
	if !strings.Contains(err.Error(), "asks for scrypt N=2^40, more than Gatekey allows") {
		t.Fatalf("error %q does not name the cost", err)
	}
}
