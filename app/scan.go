package app

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gatekey/gatekey/otp"
	"github.com/gatekey/gatekey/qrscan"
)

// ErrNoAccounts means the text, image or screen held nothing that is an
// account: no otpauth:// or otpauth-migration:// link.
var ErrNoAccounts = errors.New("no account found: expected an otpauth:// or otpauth-migration:// link")

// Scan is what one source (a screen, an image, pasted text) held: the
// accounts found and, for each thing that could not be used, a sentence
// saying why. Problems never quote a secret.
type Scan struct {
	Accounts []otp.Account
	Problems []string
}

// ScanCodes reads decoded QR codes as accounts.
func ScanCodes(codes []qrscan.Code) Scan {
	texts := make([]string, len(codes))
	for i, c := range codes {
		texts[i] = c.Text
	}
	return ScanTexts(texts...)
}

// ScanTexts reads otpauth:// and otpauth-migration:// links as accounts;
// each text may hold several links, one a line. Other lines are reported as
// problems without their content, since they may be secrets.
func ScanTexts(texts ...string) Scan {
	var s Scan
	for _, text := range texts {
		for line := range strings.Lines(text) {
			s.addLine(strings.TrimSpace(line))
		}
	}
	return s
}

func (s *Scan) addLine(line string) {
	lower := strings.ToLower(line)
	switch {
	case line == "":
	case strings.HasPrefix(lower, "otpauth-migration:"):
		m, err := otp.ParseMigration(line)
		if err != nil {
			s.Problems = append(s.Problems, fmt.Sprintf("an export code could not be read: %v", err))
			return
		}
		s.Accounts = append(s.Accounts, m.Accounts...)
		for _, sk := range m.Skipped {
			s.Problems = append(s.Problems, fmt.Sprintf("%s was skipped: %v", Label(otp.Account{Issuer: sk.Issuer, Name: sk.Name}), sk.Reason))
		}
		if m.BatchSize > 1 {
			s.Problems = append(s.Problems, fmt.Sprintf("this is code %d of %d of one export; scan the others too", m.BatchIndex+1, m.BatchSize))
		}
	case strings.HasPrefix(lower, "otpauth:"):
		acc, err := otp.ParseURI(line)
		if err != nil {
			s.Problems = append(s.Problems, fmt.Sprintf("a link could not be read: %v", err))
			return
		}
		s.Accounts = append(s.Accounts, acc)
	default:
		s.Problems = append(s.Problems, "a code or line that is not an otpauth link was ignored")
	}
}

// Err is ErrNoAccounts when the scan found no account, else nil.
func (s Scan) Err() error {
	if len(s.Accounts) == 0 {
		if len(s.Problems) > 0 {
			return fmt.Errorf("%w (%s)", ErrNoAccounts, s.Problems[0])
		}
		return ErrNoAccounts
	}
	return nil
}
