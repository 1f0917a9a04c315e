// Package otp computes one-time passwords (HOTP, TOTP, Steam) and reads and
// writes the URI formats authenticator apps exchange accounts in.
package otp

// Type is the kind of one-time password an account produces.
type Type string

// The account types Gatekey understands. Values match the Aegis vault's
// entry "type" field so that no mapping is needed there.
const (
	TOTP  Type = "totp"
	HOTP  Type = "hotp"
	Steam Type = "steam"
)

// Algorithm is the HMAC hash of an account.
type Algorithm string

// Supported HMAC hashes, spelled as in otpauth URIs and Aegis vaults.
const (
	SHA1   Algorithm = "SHA1"
	SHA256 Algorithm = "SHA256"
	SHA512 Algorithm = "SHA512"
)

// Account is one authenticator entry: what is needed to compute its codes,
// plus what the vault carries for the person (note, favourite, groups, icon).
type Account struct {
	UUID      string
	Type      Type
	Issuer    string
	Name      string
	Secret    []byte // raw key bytes, not Base32
	Algorithm Algorithm
	Digits    int
	Period    int    // seconds; TOTP and Steam
	Counter   uint64 // HOTP only: the counter of the next code
	Note      string
	Favorite  bool
	Groups    []string // group names
	Icon      []byte   // optional image data
	IconMime  string
}
