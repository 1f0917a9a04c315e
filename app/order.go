package app

import (
	"cmp"
	"slices"
	"strings"

	"github.com/gatekey/gatekey/otp"
)

// OrderAccounts sorts accounts for the list: favourites first, then by
// order (SortIssuer, SortName or SortLastUsed, most recent first, with
// never-used accounts after by issuer). lastUsed maps uuids to Unix seconds.
func OrderAccounts(accs []otp.Account, order string, lastUsed map[string]int64) {
	byIssuer := func(x, y otp.Account) int {
		return cmp.Or(
			cmp.Compare(strings.ToLower(x.Issuer), strings.ToLower(y.Issuer)),
			cmp.Compare(strings.ToLower(x.Name), strings.ToLower(y.Name)))
	}
	slices.SortStableFunc(accs, func(x, y otp.Account) int {
		if x.Favorite != y.Favorite {
			if x.Favorite {
				return -1
			}
			return 1
		}
		switch order {
		case SortName:
			return cmp.Or(cmp.Compare(strings.ToLower(x.Name), strings.ToLower(y.Name)), byIssuer(x, y))
		case SortLastUsed:
			return cmp.Or(cmp.Compare(lastUsed[y.UUID], lastUsed[x.UUID]), byIssuer(x, y))
		}
		return byIssuer(x, y)
	})
}

// InGroup returns the accounts that belong to group; an empty group
// returns them all.
func InGroup(accs []otp.Account, group string) []otp.Account {
	if group == "" {
		return accs
	}
	var out []otp.Account
	for _, acc := range accs {
		if slices.Contains(acc.Groups, group) {
			out = append(out, acc)
		}
	}
	return out
}

// GroupCode writes a code in groups for reading aloud or typing:
// "123456" as "123 456", "12345678" as "1234 5678", "1234567" as
// "123 4567". Codes shorter than six characters (Steam's five) stay whole.
func GroupCode(code string) string {
	if len(code) < 6 {
		return code
	}
	half := len(code) / 2
	return code[:half] + " " + code[half:]
}
