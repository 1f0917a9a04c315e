package vault

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"

	"golang.org/x/crypto/scrypt"
)

// Sizes fixed by the Aegis format (formats.md §4): AES-256-GCM with a
// 12-byte nonce and a 16-byte tag stored apart from the ciphertext.
const (
	keySize   = 32
	nonceSize = 12
	tagSize   = 16
	saltSize  = 32
)

// scrypt parameters written into new password slots: Aegis's own values, so
// that a phone opens the vault in reasonable time.
const (
	scryptN = 1 << 15
	scryptR = 8
	scryptP = 1
)

// testOnlyScryptN, when non-zero, replaces scryptN in password slots this
// package writes, so that tests do not spend a second per slot. Only tests
// set it; reading accepts any bounded N.
var testOnlyScryptN = 0

// Limits on scrypt parameters read from a file, checked before running
// scrypt so that a hostile file cannot ask for gigabytes of memory or hours
// of work. Aegis writes N=2^15, r=8, p=1; these leave room for 32 times
// that memory (128*N*r bytes, at most 256 MiB) and 128 times the work.
const (
	maxScryptN      = 1 << 20
	maxScryptR      = 32
	maxScryptP      = 16
	maxScryptNR     = 1 << 21
	maxScryptNRP    = 1 << 22
	minSaltSize     = 8
	maxSaltSize     = 256
	wrappedKeySize  = keySize
	randomIDSize    = 16
	maxAccountCount = 1 << 20
)

func checkScryptParams(n, r, p int) error {
	switch {
	case n < 2 || n > maxScryptN || n&(n-1) != 0:
		return fmt.Errorf("scrypt n=%d is not a power of two between 2 and %d", n, maxScryptN)
	case r < 1 || r > maxScryptR:
		return fmt.Errorf("scrypt r=%d is outside 1..%d", r, maxScryptR)
	case p < 1 || p > maxScryptP:
		return fmt.Errorf("scrypt p=%d is outside 1..%d", p, maxScryptP)
	case n*r > maxScryptNR || n*r*p > maxScryptNRP:
		return fmt.Errorf("scrypt n=%d r=%d p=%d asks for more work than this program allows", n, r, p)
	}
	return nil
}

// deriveSlotKey runs scrypt over the password after checking its
// parameters.
func deriveSlotKey(password, salt []byte, n, r, p int) ([]byte, error) {
	if err := checkScryptParams(n, r, p); err != nil {
		return nil, err
	}
	return scrypt.Key(password, salt, n, r, p, keySize)
}

// gcmOpen decrypts ciphertext whose tag is stored separately, as Aegis
// does. The result is a new slice the caller must zero.
func gcmOpen(key, nonce, ciphertext, tag []byte) ([]byte, error) {
	aead, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	if len(nonce) != nonceSize || len(tag) != tagSize {
		return nil, errors.New("nonce or tag has the wrong length")
	}
	buf := make([]byte, 0, len(ciphertext)+tagSize)
	buf = append(buf, ciphertext...)
	buf = append(buf, tag...)
	out, err := aead.Open(buf[:0], nonce, buf, nil)
	if err != nil {
		clear(buf)
		return nil, err
	}
	return out, nil
}

// gcmSeal encrypts plaintext in place under a fresh random nonce and
// returns the ciphertext (aliasing plaintext's memory), nonce and tag.
func gcmSeal(key, plaintext []byte) (ciphertext, nonce, tag []byte, err error) {
	aead, err := newGCM(key)
	if err != nil {
		return nil, nil, nil, err
	}
	nonce = make([]byte, nonceSize)
	if _, err := rand.Read(nonce); err != nil {
		return nil, nil, nil, err
	}
	sealed := aead.Seal(plaintext[:0], nonce, plaintext, nil)
	if cap(plaintext) < len(plaintext)+tagSize {
		// Seal could not work in place: the plaintext is still there.
		clear(plaintext)
	}
	n := len(sealed) - tagSize
	return sealed[:n], nonce, append([]byte(nil), sealed[n:]...), nil
}

func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		// crypto/rand.Read never fails on supported platforms (Go 1.24+).
		panic(err)
	}
	return b
}
