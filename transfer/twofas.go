package transfer

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/pbkdf2"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/gatekey/gatekey/otp"
)

// 2FAS encryption (formats.md §5): PBKDF2-HMAC-SHA256 with 10000
// iterations gives a 256-bit AES-GCM key. The iteration count is fixed by
// the app, not read from the file, so a hostile file cannot ask for more
// work; the salt length is bounded because it is read from the file.
const (
	twoFASIterations = 10000
	twoFASKeySize    = 32
	twoFASNonceSize  = 12
	twoFASMaxSalt    = 1024
)

type twoFASFile struct {
	Services          []json.RawMessage `json:"services"`
	SchemaVersion     int               `json:"schemaVersion"`
	ServicesEncrypted string            `json:"servicesEncrypted"`
	Reference         string            `json:"reference"`
}

type twoFASService struct {
	Name   string `json:"name"`
	Secret string `json:"secret"`
	OTP    struct {
		Label     string `json:"label"`
		Account   string `json:"account"`
		Issuer    string `json:"issuer"`
		Digits    *int   `json:"digits"`
		Period    *int   `json:"period"`
		Algorithm string `json:"algorithm"`
		Counter   uint64 `json:"counter"`
		TokenType string `json:"tokenType"`
	} `json:"otp"`
}

// read2FAS reads a 2FAS backup of schema 4, plain or encrypted.
func read2FAS(data []byte, ask func() ([]byte, error), b *Batch) error {
	var f twoFASFile
	if err := json.Unmarshal(data, &f); err != nil {
		return fmt.Errorf("%w: not a 2FAS backup: %s", ErrMalformed, jsonProblem(err))
	}
	if f.SchemaVersion > 4 {
		return fmt.Errorf("%w: 2FAS backup schema %d (Gatekey reads up to 4)", ErrUnsupported, f.SchemaVersion)
	}
	services := f.Services
	if f.ServicesEncrypted != "" {
		pw, err := askPassword(ask)
		if err != nil {
			return err
		}
		plain, err := decrypt2FAS(f.ServicesEncrypted, f.Reference, pw)
		if err != nil {
			return err
		}
		defer clear(plain)
		services = nil
		if err := json.Unmarshal(plain, &services); err != nil {
			return fmt.Errorf("%w: the decrypted services are not a JSON list: %s", ErrMalformed, jsonProblem(err))
		}
	}
	for i, raw := range services {
		var s twoFASService
		if err := json.Unmarshal(raw, &s); err != nil {
			b.addSkipped(Skipped{Item: itemName("", "", i), Reason: "not a 2FAS service: " + jsonProblem(err)})
			continue
		}
		a, err := s.account()
		if err != nil {
			b.skip(a.Issuer, a.Name, i, err)
			continue
		}
		b.add(a, i)
	}
	return nil
}

func (s *twoFASService) account() (otp.Account, error) {
	a := otp.Account{Issuer: firstNonEmpty(s.Name, s.OTP.Issuer), Name: firstNonEmpty(s.OTP.Account, s.OTP.Label),
		Algorithm: otp.SHA1, Digits: 6, Period: 30}
	switch strings.ToUpper(s.OTP.TokenType) {
	case "", "TOTP":
		a.Type = otp.TOTP
	case "HOTP":
		a.Type, a.Counter = otp.HOTP, s.OTP.Counter
	case "STEAM":
		a.Type, a.Digits = otp.Steam, otp.SteamDigits
	default:
		return a, fmt.Errorf("%w: token type %q", otp.ErrUnsupported, printable(s.OTP.TokenType))
	}
	if s.OTP.Algorithm != "" {
		a.Algorithm = otp.Algorithm(strings.ToUpper(s.OTP.Algorithm))
	}
	if s.OTP.Digits != nil {
		a.Digits = *s.OTP.Digits
	}
	if s.OTP.Period != nil && *s.OTP.Period > 0 {
		a.Period = *s.OTP.Period
	}
	secret, err := otp.DecodeBase32(s.Secret)
	a.Secret = secret
	return a, err
}

// decrypt2FAS opens servicesEncrypted. The reference field is the same
// construction over a fixed text: when it does not open either, the
// password is wrong; when it opens but the services do not, the file is
// damaged.
func decrypt2FAS(servicesEncrypted, reference string, password []byte) ([]byte, error) {
	ct, salt, iv, err := split2FAS(servicesEncrypted)
	if err != nil {
		return nil, fmt.Errorf("%w: servicesEncrypted: %w", ErrMalformed, err)
	}
	key, err := pbkdf2.Key(sha256.New, string(password), salt, twoFASIterations, twoFASKeySize)
	if err != nil {
		return nil, fmt.Errorf("deriving the key: %w", err)
	}
	defer clear(key)
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	plain, err := aead.Open(nil, iv, ct, nil)
	if err == nil {
		return plain, nil
	}
	if reference == "" {
		return nil, fmt.Errorf("%w (or the file is damaged: it has no reference to tell)", ErrWrongPassword)
	}
	rct, rsalt, riv, rerr := split2FAS(reference)
	if rerr != nil {
		return nil, fmt.Errorf("%w: reference: %w", ErrMalformed, rerr)
	}
	if string(rsalt) != string(salt) {
		// The reference is made with the same key; another salt would need
		// a second derivation, which 2FAS never writes.
		return nil, fmt.Errorf("%w: the reference uses another salt than the services", ErrMalformed)
	}
	if _, err := aead.Open(nil, riv, rct, nil); err != nil {
		return nil, ErrWrongPassword
	}
	return nil, fmt.Errorf("%w: the password is right but the services do not decrypt", ErrMalformed)
}

// split2FAS reads `B64(ciphertext||tag):B64(salt):B64(iv)`.
func split2FAS(s string) (ct, salt, iv []byte, err error) {
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return nil, nil, nil, fmt.Errorf("%d parts separated by ':' instead of 3", len(parts))
	}
	var out [3][]byte
	for i, p := range parts {
		if out[i], err = base64.StdEncoding.DecodeString(p); err != nil {
			return nil, nil, nil, errors.New("invalid Base64")
		}
	}
	ct, salt, iv = out[0], out[1], out[2]
	switch {
	case len(iv) != twoFASNonceSize:
		return nil, nil, nil, fmt.Errorf("an iv of %d bytes instead of %d", len(iv), twoFASNonceSize)
	case len(salt) == 0 || len(salt) > twoFASMaxSalt:
		return nil, nil, nil, fmt.Errorf("a salt of %d bytes (1 to %d allowed)", len(salt), twoFASMaxSalt)
	case len(ct) < 16:
		return nil, nil, nil, errors.New("a ciphertext shorter than its tag")
	}
	return ct, salt, iv, nil
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
