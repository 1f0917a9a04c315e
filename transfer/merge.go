package transfer

import (
	"bytes"

	"github.com/gatekey/gatekey/otp"
)

// Report sums up one import for the user and for `gatekey import --json`
// (CLI.md): how many accounts were added, how many were already present,
// and which entries were skipped and why.
type Report struct {
	Imported   int       `json:"imported"`
	Duplicates int       `json:"duplicates"`
	Skipped    []Skipped `json:"skipped"`
}

// Merge splits incoming accounts into those to add and those already
// present: an account is a duplicate when one in existing, or one earlier in
// incoming, has the same secret bytes, issuer and name (all compared
// exactly). Importing the same file twice therefore adds nothing the second
// time, and a file listing an account twice adds it once.
func Merge(existing, incoming []otp.Account) (add, duplicates []otp.Account) {
	seen := make(map[accountKey][][]byte, len(existing)+len(incoming))
	isKnown := func(a otp.Account) bool {
		k := accountKey{a.Issuer, a.Name}
		for _, s := range seen[k] {
			if bytes.Equal(s, a.Secret) {
				return true
			}
		}
		seen[k] = append(seen[k], a.Secret)
		return false
	}
	for _, a := range existing {
		isKnown(a)
	}
	for _, a := range incoming {
		if isKnown(a) {
			duplicates = append(duplicates, a)
		} else {
			add = append(add, a)
		}
	}
	return add, duplicates
}

type accountKey struct{ issuer, name string }

// NewReport sums up an import of b whose accounts Merge split into add and
// duplicates.
func NewReport(b *Batch, add, duplicates []otp.Account) Report {
	r := Report{Imported: len(add), Duplicates: len(duplicates), Skipped: []Skipped{}}
	if b != nil {
		r.Skipped = append(r.Skipped, b.Skipped...)
	}
	return r
}
