package otp

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"time"
)

// ErrInvalidAccount reports an account whose parameters cannot produce codes
// (digits out of range, no period, no secret). It is always wrapped with the
// field at fault.
var ErrInvalidAccount = errors.New("invalid account")

// ErrUnsupported reports input that is well formed but asks for something
// Gatekey does not implement, such as an MD5 account or an unknown OTP type.
var ErrUnsupported = errors.New("unsupported")

// Limits on the digits of a code. Standard apps use 6 to 8; Aegis accepts 1
// to 10 from files (formats.md §1). Ten is also the most a 31-bit truncated
// value can fill.
const (
	MinDigits = 1
	MaxDigits = 10
)

// SteamDigits is the number of characters of a Steam Guard code.
const SteamDigits = 5

// steamAlphabet is the 26 characters Steam Guard codes are written in: digits
// and upper-case letters without the look-alikes (formats.md §1).
const steamAlphabet = "23456789BCDFGHJKMNPQRTVWXY"

// Validate reports whether the account can produce codes: a known type and
// algorithm, 1 to 10 digits, a positive period for TOTP and Steam, and a
// non-empty secret. The error wraps ErrInvalidAccount or, for a type or
// algorithm Gatekey does not know, ErrUnsupported.
func (a *Account) Validate() error {
	switch a.Type {
	case TOTP, HOTP, Steam:
	default:
		return fmt.Errorf("%w: type %q", ErrUnsupported, a.Type)
	}
	if _, err := a.Algorithm.hash(); err != nil {
		return err
	}
	if a.Digits < MinDigits || a.Digits > MaxDigits {
		return fmt.Errorf("%w: %d digits, want %d to %d", ErrInvalidAccount, a.Digits, MinDigits, MaxDigits)
	}
	if a.Type != HOTP && a.Period <= 0 {
		return fmt.Errorf("%w: period %d s, want a positive number", ErrInvalidAccount, a.Period)
	}
	if len(a.Secret) == 0 {
		return fmt.Errorf("%w: empty secret", ErrInvalidAccount)
	}
	return nil
}

// hash maps an algorithm to its constructor.
func (alg Algorithm) hash() (func() hash.Hash, error) {
	switch alg {
	case SHA1:
		return sha1.New, nil
	case SHA256:
		return sha256.New, nil
	case SHA512:
		return sha512.New, nil
	}
	return nil, fmt.Errorf("%w: algorithm %q", ErrUnsupported, alg)
}

// Code returns the code the account shows at time t: for TOTP and Steam the
// code of t's time step, for HOTP the code of a.Counter (t is ignored, and
// the caller advances Counter after using a code).
func (a *Account) Code(t time.Time) (string, error) {
	if a.Type == HOTP {
		return a.CodeAt(a.Counter)
	}
	if err := a.Validate(); err != nil {
		return "", err
	}
	unix := t.Unix()
	if unix < 0 {
		return "", fmt.Errorf("time %s is before 1970", t.UTC().Format(time.RFC3339))
	}
	return a.CodeAt(uint64(unix) / uint64(a.Period))
}

// CodeAt returns the code for an explicit counter value: the HOTP counter,
// or for TOTP and Steam the time step (Unix time divided by the period).
func (a *Account) CodeAt(counter uint64) (string, error) {
	if err := a.Validate(); err != nil {
		return "", err
	}
	newHash, _ := a.Algorithm.hash() // checked by Validate
	value := truncate(newHash, a.Secret, counter)
	if a.Type == Steam {
		return steamCode(value, a.Digits), nil
	}
	return decimalCode(value, a.Digits), nil
}

// Remaining is how long the code shown at t stays valid: from the full period
// just as a step begins down to one second at its end, never zero. HOTP codes
// do not expire, so for HOTP (or an account without a period) it is zero.
func (a *Account) Remaining(t time.Time) time.Duration {
	if a.Type == HOTP || a.Period <= 0 {
		return 0
	}
	period := int64(a.Period)
	elapsed := t.Unix() % period
	if elapsed < 0 { // before 1970: keep the countdown in range
		elapsed += period
	}
	return time.Duration(period-elapsed) * time.Second
}

// truncate is RFC 4226 §5.3: HMAC over the 8-byte big-endian counter, then
// the 31-bit value at the offset named by the low nibble of the last byte.
//
// The HMAC is computed here with crypto/hmac rather than through
// github.com/pquerna/otp because pquerna takes the secret as Base32 text,
// decodes it again on every call and formats the result with fmt: for 10,000
// SHA-1 accounts it measured about 1.5 times slower (11 against 7.5 ms, 11
// against 8 allocations a code; BenchmarkCodes10000 and
// BenchmarkCodes10000Pquerna). Most of what remains is hmac.New itself.
// pquerna stays the reference the tests compare against, with oathtool.
func truncate(newHash func() hash.Hash, secret []byte, counter uint64) uint32 {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	mac := hmac.New(newHash, secret)
	mac.Write(msg[:])
	var buf [sha512.Size]byte
	sum := mac.Sum(buf[:0])
	offset := sum[len(sum)-1] & 0x0f
	return binary.BigEndian.Uint32(sum[offset:offset+4]) & 0x7fffffff
}

// decimalCode writes the low digits of value, zero-padded. It is done here
// for every digit count, not only pquerna's 6 and 8, so that 1 to 10 digit
// accounts from Aegis files work the same way.
func decimalCode(value uint32, digits int) string {
	var buf [MaxDigits]byte
	for i := digits - 1; i >= 0; i-- {
		buf[i] = byte('0' + value%10)
		value /= 10
	}
	return string(buf[:digits])
}

// steamCode writes value in Steam's alphabet, least significant character
// first. pquerna has a Steam encoder too, but it shares the slow path above
// and appends one string per character.
func steamCode(value uint32, digits int) string {
	var buf [MaxDigits]byte
	for i := range digits {
		buf[i] = steamAlphabet[value%uint32(len(steamAlphabet))]
		value /= uint32(len(steamAlphabet))
	}
	return string(buf[:digits])
}
