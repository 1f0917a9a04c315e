package transfer

import (
	"crypto/sha256"

	"github.com/gatekey/gatekey/otp"
)

// Report sums up one import for the user and for `gatekey import --json`
// (CLI.md): how many accounts were added, how many were already present,
// and which entries were skipped and why: the first MaxSkipped of them,
// with SkippedMore counting the others.
type Report struct {
	Imported    int       `json:"imported"`
	Duplicates  int       `json:"duplicates"`
	Skipped     []Skipped `json:"skipped"`
	SkippedMore int       `json:"skipped_more,omitempty"`
}

// Merge splits incoming accounts into those to add and those already
// present: an account is a duplicate when one in existing, or one earlier in
// incoming, has the same secret bytes, issuer and name (all compared
// exactly). Importing the same file twice therefore adds nothing the second
// time, and a file listing an account twice adds it once. It takes time in
// proportion to the number of accounts, however many share a name.
func Merge(existing, incoming []otp.Account) (add, duplicates []otp.Account) {
	seen := make(map[accountKey]bool, len(existing)+len(incoming))
	for _, a := range existing {
		seen[keyOf(a)] = true
	}
	for _, a := range incoming {
		k := keyOf(a)
		if seen[k] {
			duplicates = append(duplicates, a)
			continue
		}
		seen[k] = true
		add = append(add, a)
	}
	return add, duplicates
}

// accountKey identifies an account for Merge. The secret is present as
// its SHA-256, so that the map holds no copy of it (and a collision would
// need one of SHA-256).
type accountKey struct {
	issuer, name string
	secret       [sha256.Size]byte
}

func keyOf(a otp.Account) accountKey {
	return accountKey{a.Issuer, a.Name, sha256.Sum256(a.Secret)}
}

// NewReport sums up an import of b whose accounts Merge split into add and
// duplicates.
func NewReport(b *Batch, add, duplicates []otp.Account) Report {
	r := Report{Imported: len(add), Duplicates: len(duplicates), Skipped: []Skipped{}}
	if b != nil {
		n := min(len(b.Skipped), MaxSkipped)
		r.Skipped = append(r.Skipped, b.Skipped[:n]...)
		r.SkippedMore = b.SkippedMore + len(b.Skipped) - n
	}
	return r
}
