package otp

import (
	"bytes"
	"encoding/base32"
	"errors"
	"fmt"
)

// ErrInvalidSecret reports a secret that is empty or not valid Base32. It is
// always wrapped; test for it with errors.Is.
var ErrInvalidSecret = errors.New("invalid secret")

// maxSecretLen bounds the Base32 text accepted from untrusted input. Real
// secrets are 16 to 128 characters; 4096 leaves room for odd exporters while
// keeping a hostile file from costing memory.
const maxSecretLen = 4096

// DecodeBase32 decodes an account secret written in Base32 (RFC 4648). It is
// lenient in the ways authenticator apps and websites are (formats.md §1):
// lower case, spaces, dashes and missing '=' padding are accepted. An empty
// secret or invalid input gives an error wrapping ErrInvalidSecret; the error
// never contains the secret itself.
func DecodeBase32(s string) ([]byte, error) {
	if len(s) > maxSecretLen {
		return nil, fmt.Errorf("%w: longer than %d characters", ErrInvalidSecret, maxSecretLen)
	}
	return DecodeBase32Bytes([]byte(s))
}

var base32NoPad = base32.StdEncoding.WithPadding(base32.NoPadding)

// DecodeBase32Bytes is DecodeBase32 for text held in a byte slice, which
// its owner can zero (a string cannot be): in is not changed, and the
// cleaned copy made on the way is zeroed before it returns.
func DecodeBase32Bytes(in []byte) ([]byte, error) {
	if len(in) > maxSecretLen {
		return nil, fmt.Errorf("%w: longer than %d characters", ErrInvalidSecret, maxSecretLen)
	}
	clean := make([]byte, 0, len(in))
	defer func() { clear(clean[:cap(clean)]) }()
	for _, c := range in {
		switch {
		case c == ' ' || c == '-' || c == '\t':
			continue
		case c >= 'a' && c <= 'z':
			c -= 'a' - 'A'
		}
		clean = append(clean, c)
	}
	text := bytes.TrimRight(clean, "=")
	if len(text) == 0 {
		return nil, fmt.Errorf("%w: empty", ErrInvalidSecret)
	}
	// Go's unpadded decoder silently drops a trailing group of 1, 3 or 6
	// characters, lengths no byte count encodes to; reject those instead of
	// returning a shorter key than the one the user typed.
	switch len(text) % 8 {
	case 1, 3, 6:
		return nil, fmt.Errorf("%w: %d characters is not a valid Base32 length", ErrInvalidSecret, len(text))
	}
	out := make([]byte, base32NoPad.DecodedLen(len(text)))
	n, err := base32NoPad.Decode(out, text)
	if err != nil {
		clear(out)
		// The decoder's position counts the cleaned text, not what the
		// user typed, so it would mislead; name only the problem.
		return nil, fmt.Errorf("%w: not Base32 (letters A-Z and digits 2-7)", ErrInvalidSecret)
	}
	if n == 0 { // the decoder skips '\r' and '\n': "\r2" decodes to nothing
		return nil, fmt.Errorf("%w: empty", ErrInvalidSecret)
	}
	return out[:n], nil
}

// EncodeBase32 writes a secret as upper-case Base32 without padding, the form
// otpauth URIs and most apps use.
func EncodeBase32(b []byte) string {
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)
}
