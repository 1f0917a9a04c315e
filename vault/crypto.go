package vault

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
	"math/bits"

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
	// maxPasswordSlots is how many password slots Gatekey tries: Aegis
	// writes one or two (the vault password and a backup password), and
	// each try may cost seconds of scrypt.
	maxPasswordSlots = 16
)

// checkScryptParams refuses scrypt parameters that are not valid (an
// error that makes the slot unusable) or that cost more than the bounds
// above (an ErrTooCostly that names the cost).
func checkScryptParams(n, r, p int64) error {
	switch {
	case n < 2 || n&(n-1) != 0:
		return fmt.Errorf("scrypt n=%d is not a power of two of at least 2", n)
	case r < 1:
		return fmt.Errorf("scrypt r=%d is not positive", r)
	case p < 1:
		return fmt.Errorf("scrypt p=%d is not positive", p)
	case n > maxScryptN:
		return &costError{fmt.Sprintf("asks for scrypt N=2^%d", bits.TrailingZeros64(uint64(n)))}
	case r > maxScryptR || p > maxScryptP || n*r > maxScryptNR || n*r*p > maxScryptNRP:
		return &costError{fmt.Sprintf("asks for scrypt N=2^%d, r=%d, p=%d", bits.TrailingZeros64(uint64(n)), r, p)}
	}
	return nil
}

// deriveSlotKey runs scrypt over the password after checking its
// parameters.
func deriveSlotKey(password, salt []byte, n, r, p int) ([]byte, error) {
	if err := checkScryptParams(int64(n), int64(r), int64(p)); err != nil {
		return nil, err
	}
	return scrypt.Key(password, salt, n, r, p, keySize)
}

// deriveSlotKeyContext is deriveSlotKey that returns when ctx is done.
// scrypt itself cannot be interrupted: it finishes in the background on a
// copy of the password, which it zeroes, and its result is zeroed too.
func deriveSlotKeyContext(ctx context.Context, password, salt []byte, n, r, p int) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if ctx.Done() == nil {
		return deriveSlotKey(password, salt, n, r, p)
	}
	type result struct {
		key []byte
		err error
	}
	pw := bytes.Clone(password)
	done := make(chan result, 1)
	go func() {
		key, err := deriveSlotKey(pw, salt, n, r, p)
		clear(pw)
		done <- result{key, err}
	}()
	select {
	case res := <-done:
		return res.key, res.err
	case <-ctx.Done():
		go func() { clear((<-done).key) }()
		return nil, ctx.Err()
	}
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
