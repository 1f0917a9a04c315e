package app

import (
	"context"
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

// QRSource says where to read QR codes: the whole screen, the clipboard's
// image, or an image file.
type QRSource struct {
	Screen    bool
	Clipboard bool
	File      string
}

// String names the source: "screen", "clipboard" or the file's path.
func (s QRSource) String() string {
	switch {
	case s.Screen:
		return "screen"
	case s.Clipboard:
		return "clipboard"
	}
	return s.File
}

// ReadQRCodes decodes every QR code the source shows, largest first.
func ReadQRCodes(ctx context.Context, src QRSource) ([]string, error) {
	var codes []qrscan.Code
	var err error
	switch {
	case src.Screen:
		codes, err = qrscan.ScanScreen(ctx)
	case src.Clipboard:
		codes, err = qrscan.ScanClipboard(ctx)
	default:
		codes, err = qrscan.DecodeFile(src.File)
	}
	texts := make([]string, len(codes))
	for i, c := range codes {
		texts[i] = c.Text
	}
	return texts, err
}

// scanSource reads a source's QR codes as accounts.
func scanSource(ctx context.Context, src QRSource) (Scan, error) {
	texts, err := ReadQRCodes(ctx, src)
	if err != nil {
		return Scan{}, err
	}
	return ScanTexts(texts...), nil
}
