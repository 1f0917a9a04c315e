package transfer

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/gatekey/gatekey/otp"
)

// Readers of the JSON exports of password managers and smaller
// authenticator apps (formats.md §6). Each entry that cannot be used is
// skipped with its name and the reason; only a file that is not the format
// at all is an error.

type bitwardenFile struct {
	Encrypted bool `json:"encrypted"`
	Items     []struct {
		Name  string `json:"name"`
		Notes string `json:"notes"`
		Login *struct {
			Username string `json:"username"`
			TOTP     string `json:"totp"`
		} `json:"login"`
	} `json:"items"`
}

// readBitwarden reads a Bitwarden JSON export. Only login items with a
// totp field are accounts; the other items are passwords, cards and notes
// that have nothing to import, so they are not listed as skipped.
func readBitwarden(data []byte, b *Batch) error {
	var f bitwardenFile
	if err := json.Unmarshal(data, &f); err != nil {
		return fmt.Errorf("%w: not a Bitwarden export: %s", ErrMalformed, jsonProblem(err))
	}
	if f.Encrypted {
		return fmt.Errorf("%w: an encrypted Bitwarden export (export it as unencrypted JSON)", ErrUnsupported)
	}
	for i, it := range f.Items {
		if it.Login == nil || strings.TrimSpace(it.Login.TOTP) == "" {
			continue
		}
		a, err := totpField(it.Login.TOTP, it.Name, it.Login.Username)
		if err != nil {
			b.skip(it.Name, it.Login.Username, i, err)
			continue
		}
		b.add(a, i)
	}
	return nil
}

// totpField reads a password manager's TOTP field: an otpauth:// URI,
// steam://SECRET, or a bare Base32 secret (then a 6-digit, 30-second SHA-1
// TOTP, the default every app assumes). Labels missing from the field come
// from the item: its title as issuer, its user name as account name.
func totpField(field, title, user string) (otp.Account, error) {
	field = strings.TrimSpace(field)
	var a otp.Account
	var err error
	switch {
	case hasPrefixFold(field, "otpauth://"):
		a, err = otp.ParseURI(field)
	case hasPrefixFold(field, "steam://"):
		a = otp.Account{Type: otp.Steam, Algorithm: otp.SHA1, Digits: otp.SteamDigits, Period: 30}
		a.Secret, err = otp.DecodeBase32(field[len("steam://"):])
	default:
		a = otp.Account{Type: otp.TOTP, Algorithm: otp.SHA1, Digits: 6, Period: 30}
		a.Secret, err = otp.DecodeBase32(field)
	}
	if a.Issuer == "" && a.Name != title {
		a.Issuer = title
	}
	if a.Name == "" {
		a.Name = user
	}
	return a, err
}

type andOTPEntry struct {
	Secret    string   `json:"secret"`
	Issuer    string   `json:"issuer"`
	Label     string   `json:"label"`
	Digits    int      `json:"digits"`
	Type      string   `json:"type"`
	Algorithm string   `json:"algorithm"`
	Period    int      `json:"period"`
	Counter   uint64   `json:"counter"`
	Tags      []string `json:"tags"`
}

// readAndOTP reads andOTP's plain JSON backup. Its tags become groups.
func readAndOTP(data []byte, b *Batch) error {
	var entries []json.RawMessage
	if err := json.Unmarshal(data, &entries); err != nil {
		return fmt.Errorf("%w: not an andOTP backup: %s", ErrMalformed, jsonProblem(err))
	}
	for i, raw := range entries {
		var e andOTPEntry
		if err := json.Unmarshal(raw, &e); err != nil {
			b.addSkipped(Skipped{Item: itemName("", "", i), Reason: "not an andOTP entry: " + jsonProblem(err)})
			continue
		}
		issuer, name := e.Issuer, e.Label
		if issuer == "" {
			// Older andOTP versions kept "issuer:account" in the label.
			if is, n, ok := strings.Cut(name, ":"); ok {
				issuer, name = strings.TrimSpace(is), strings.TrimSpace(n)
			}
		}
		a := otp.Account{Issuer: issuer, Name: name, Digits: e.Digits, Period: e.Period, Algorithm: otp.SHA1, Groups: e.Tags}
		if e.Algorithm != "" {
			a.Algorithm = otp.Algorithm(strings.ToUpper(e.Algorithm))
		}
		var err error
		if a.Type, err = appType(e.Type); err != nil {
			b.skip(issuer, name, i, err)
			continue
		}
		fillDefaults(&a, e.Counter)
		if a.Secret, err = otp.DecodeBase32(e.Secret); err != nil {
			b.skip(issuer, name, i, err)
			continue
		}
		b.add(a, i)
	}
	return nil
}

type freeOTPFile struct {
	Tokens []json.RawMessage `json:"tokens"`
}

type freeOTPToken struct {
	Algo      string  `json:"algo"`
	Counter   uint64  `json:"counter"`
	Digits    int     `json:"digits"`
	IssuerExt string  `json:"issuerExt"`
	IssuerInt string  `json:"issuerInt"`
	Label     string  `json:"label"`
	Period    int     `json:"period"`
	Secret    []int64 `json:"secret"`
	Type      string  `json:"type"`
}

// readFreeOTP reads a FreeOTP+ JSON export. Its secrets are arrays of
// signed bytes (Java's byte), and its HOTP counter is the one of the code
// last shown, one lower than the next code's counter that other apps and
// Gatekey store (formats.md §6), so one is added.
func readFreeOTP(data []byte, b *Batch) error {
	var f freeOTPFile
	if err := json.Unmarshal(data, &f); err != nil {
		return fmt.Errorf("%w: not a FreeOTP+ export: %s", ErrMalformed, jsonProblem(err))
	}
	for i, raw := range f.Tokens {
		var t freeOTPToken
		if err := json.Unmarshal(raw, &t); err != nil {
			b.addSkipped(Skipped{Item: itemName("", "", i), Reason: "not a FreeOTP+ token: " + jsonProblem(err)})
			continue
		}
		a := otp.Account{Issuer: firstNonEmpty(t.IssuerExt, t.IssuerInt), Name: t.Label, Digits: t.Digits, Period: t.Period, Algorithm: otp.SHA1}
		if t.Algo != "" {
			a.Algorithm = otp.Algorithm(strings.ToUpper(t.Algo))
		}
		var err error
		if a.Type, err = appType(t.Type); err != nil {
			b.skip(a.Issuer, a.Name, i, err)
			continue
		}
		counter := t.Counter
		if a.Type == otp.HOTP {
			if counter == ^uint64(0) {
				b.skip(a.Issuer, a.Name, i, fmt.Errorf("%w: counter out of range", otp.ErrInvalidAccount))
				continue
			}
			counter++
		}
		fillDefaults(&a, counter)
		if a.Secret, err = signedBytes(t.Secret); err != nil {
			b.skip(a.Issuer, a.Name, i, err)
			continue
		}
		b.add(a, i)
	}
	return nil
}

// signedBytes turns Java's signed bytes back into a key.
func signedBytes(v []int64) ([]byte, error) {
	if len(v) == 0 {
		return nil, fmt.Errorf("%w: empty secret", otp.ErrInvalidSecret)
	}
	out := make([]byte, len(v))
	for i, n := range v {
		if n < -128 || n > 255 {
			return nil, fmt.Errorf("%w: a secret byte out of range", otp.ErrInvalidSecret)
		}
		out[i] = byte(n)
	}
	return out, nil
}

type protonFile struct {
	Version int `json:"version"`
	Entries []struct {
		Content struct {
			URI       string `json:"uri"`
			EntryType string `json:"entry_type"`
			Name      string `json:"name"`
		} `json:"content"`
		Note *string `json:"note"`
	} `json:"entries"`
}

// readProton reads Proton Authenticator's JSON export, whose entries hold
// otpauth:// (or steam://) URIs.
func readProton(data []byte, b *Batch) error {
	var f protonFile
	if err := json.Unmarshal(data, &f); err != nil {
		return fmt.Errorf("%w: not a Proton Authenticator export: %s", ErrMalformed, jsonProblem(err))
	}
	for i, e := range f.Entries {
		if e.Content.URI == "" {
			b.skip("", e.Content.Name, i, errors.New("no otpauth URI in the entry"))
			continue
		}
		a, err := totpField(e.Content.URI, "", e.Content.Name)
		if err != nil {
			b.skip("", e.Content.Name, i, err)
			continue
		}
		if e.Note != nil {
			a.Note = *e.Note
		}
		b.add(a, i)
	}
	return nil
}

// appType reads the upper-case type names andOTP and FreeOTP+ write.
func appType(s string) (otp.Type, error) {
	switch strings.ToUpper(s) {
	case "TOTP", "":
		return otp.TOTP, nil
	case "HOTP":
		return otp.HOTP, nil
	case "STEAM":
		return otp.Steam, nil
	}
	return "", fmt.Errorf("%w: type %q", otp.ErrUnsupported, printable(s))
}

// fillDefaults completes what apps leave out: 30-second periods, six
// digits (five for Steam), and the counter for HOTP only. HOTP accounts
// get the 30-second period too, as otp.ParseURI gives them.
func fillDefaults(a *otp.Account, counter uint64) {
	if a.Type == otp.Steam {
		a.Digits, a.Algorithm = otp.SteamDigits, otp.SHA1
	}
	if a.Digits == 0 {
		a.Digits = 6
	}
	if a.Type == otp.HOTP {
		a.Counter = counter
	}
	if a.Period <= 0 {
		a.Period = 30
	}
}
