package app

import (
	"fmt"
	"strings"

	"github.com/gatekey/gatekey/otp"
)

// AccountFields are an account typed field by field (the command line's
// `add --issuer --name --secret ...` and the window's manual entry).
type AccountFields struct {
	Type, Issuer, Name, Secret, Algorithm string
	// Digits 0 means the type's default: 6, or 5 for Steam.
	Digits  int
	Period  int
	Counter uint64
}

// Account checks the fields and makes the account.
func (f AccountFields) Account() (otp.Account, error) {
	key, err := otp.DecodeBase32(f.Secret)
	if err != nil {
		return otp.Account{}, fmt.Errorf("the secret: %w", err)
	}
	acc := otp.Account{
		Type: otp.Type(strings.ToLower(f.Type)), Issuer: f.Issuer, Name: f.Name, Secret: key,
		Algorithm: otp.Algorithm(strings.ToUpper(f.Algorithm)), Digits: f.Digits, Period: f.Period, Counter: f.Counter,
	}
	if acc.Type == "" {
		acc.Type = otp.TOTP
	}
	if acc.Algorithm == "" {
		acc.Algorithm = otp.SHA1
	}
	if acc.Digits == 0 {
		acc.Digits = 6
		if acc.Type == otp.Steam {
			acc.Digits = otp.SteamDigits
		}
	}
	if acc.Type == otp.HOTP {
		acc.Period = 0
	} else if acc.Period == 0 {
		acc.Period = 30
	}
	if f.Name == "" && f.Issuer == "" {
		return acc, badInput("give the account a name or an issuer")
	}
	return acc, acc.Validate()
}

// ParseAccounts reads one otpauth:// or otpauth-migration:// link as the
// accounts it holds. Unlike ScanTexts it fails when the link cannot be
// used, since the person typed exactly this.
func ParseAccounts(text string) ([]otp.Account, error) {
	text = strings.TrimSpace(text)
	if strings.HasPrefix(strings.ToLower(text), "otpauth-migration:") {
		m, err := otp.ParseMigration(text)
		if err != nil {
			return nil, err
		}
		if len(m.Accounts) == 0 {
			return nil, badInput("the migration link holds no account Gatekey can use")
		}
		return m.Accounts, nil
	}
	acc, err := otp.ParseURI(text)
	if err != nil {
		return nil, err
	}
	return []otp.Account{acc}, nil
}

// IsAccountLink reports whether text is an otpauth:// or
// otpauth-migration:// link, the only QR codes that are accounts.
func IsAccountLink(text string) bool {
	lower := strings.ToLower(strings.TrimSpace(text))
	return strings.HasPrefix(lower, "otpauth://") || strings.HasPrefix(lower, "otpauth-migration://")
}
