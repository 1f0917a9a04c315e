package vault

import (
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/zalando/go-keyring"
)

// keychainService is the service name every Gatekey vault key is filed
// under; the user field tells vaults apart.
const keychainService = "Gatekey"

// Keychain stores short secrets in the operating system's credential store.
// The default, SystemKeychain, is the OS keychain through go-keyring; the
// app may pass another. Implementations report a missing item with an error
// that wraps ErrNotInKeychain or keyring.ErrNotFound, and an unusable
// keychain with one that wraps ErrNoKeychain; any other error is taken to
// mean that no keychain is usable.
type Keychain interface {
	Get(service, user string) (string, error)
	Set(service, user, secret string) error
	Delete(service, user string) error
}

// SystemKeychain is the OS keychain: the Secret Service on Linux and BSD,
// the Keychain on macOS, the Credential Manager on Windows.
type SystemKeychain struct{}

// keychainTimeout bounds each call to the OS keychain. A locked keychain
// asks the person to unlock it; one who walks away from that prompt, or a
// Secret Service that hangs, must not leave Gatekey waiting forever.
var keychainTimeout = 2 * time.Minute

// Get returns the secret filed under service and user.
func (SystemKeychain) Get(service, user string) (string, error) {
	return withKeychainTimeout(func() (string, error) { return keyring.Get(service, user) })
}

// Set files secret under service and user, replacing any previous one.
func (SystemKeychain) Set(service, user, secret string) error {
	_, err := withKeychainTimeout(func() (struct{}, error) { return struct{}{}, keyring.Set(service, user, secret) })
	return err
}

// Delete removes the secret filed under service and user.
func (SystemKeychain) Delete(service, user string) error {
	_, err := withKeychainTimeout(func() (struct{}, error) { return struct{}{}, keyring.Delete(service, user) })
	return err
}

// withKeychainTimeout runs a keychain call and gives up after
// keychainTimeout, reporting the keychain as unavailable. The call itself
// cannot be cancelled; it finishes, or not, in the background.
func withKeychainTimeout[T any](call func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := call()
		done <- result{v, err}
	}()
	timer := time.NewTimer(keychainTimeout)
	defer timer.Stop()
	select {
	case r := <-done:
		return r.v, r.err
	case <-timer.C:
		var zero T
		return zero, fmt.Errorf("%w: the keychain did not answer within %v (is an unlock prompt waiting?)", ErrNoKeychain, keychainTimeout)
	}
}

// KeychainStatus says whether the vault's master key can be found in the
// keychain on this machine.
type KeychainStatus int

// The keychain states Info reports.
const (
	KeychainUnknown     KeychainStatus = iota // not asked yet
	KeychainHasKey                            // the key is stored there
	KeychainMissingKey                        // the keychain works but has no key for this vault
	KeychainUnavailable                       // no keychain answered
	KeychainNotUsed                           // password mode: the keychain is not asked
)

func (s KeychainStatus) String() string {
	switch s {
	case KeychainHasKey:
		return "key in keychain"
	case KeychainMissingKey:
		return "key not in keychain"
	case KeychainUnavailable:
		return "no keychain available"
	case KeychainNotUsed:
		return "keychain not used (password mode)"
	}
	return "keychain not checked"
}

// keychainUser is the keychain item's user field for a vault id. The id is
// stored in the vault header, so the item follows the vault when its folder
// moves.
func keychainUser(id string) string { return "vault:" + id }

// classifyKeychainError maps an implementation's error onto ErrNotInKeychain
// or ErrNoKeychain, keeping the cause for the message.
func classifyKeychainError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrNotInKeychain), errors.Is(err, keyring.ErrNotFound):
		return ErrNotInKeychain
	case errors.Is(err, ErrNoKeychain):
		return err
	}
	return fmt.Errorf("%w: %v", ErrNoKeychain, err)
}

// keychainGet loads the master key of vault id. The key is stored as hex
// (64 characters), far below the 2560-byte limit of Windows' Credential
// Manager. The string the keychain returns is decoded at once and dropped;
// see keychainSet.
func keychainGet(kc Keychain, id string) ([]byte, error) {
	s, err := kc.Get(keychainService, keychainUser(id))
	if err != nil {
		return nil, classifyKeychainError(err)
	}
	key, err := hex.DecodeString(s)
	if err != nil || len(key) != keySize {
		// The item exists but does not hold a key this package wrote;
		// treat it as absent rather than as a damaged vault.
		return nil, fmt.Errorf("%w (the keychain item does not hold a vault key)", ErrNotInKeychain)
	}
	return key, nil
}

// keychainSet files the master key of vault id. The Keychain interface,
// like go-keyring under it, takes a string, which Go cannot zero: the hex
// string is made here, at the boundary, right before the call and dropped
// right after it (go-keyring and the D-Bus library copy it again into
// buffers of their own). Everywhere else the key is a byte slice that Lock
// zeroes.
func keychainSet(kc Keychain, id string, key []byte) error {
	return classifyKeychainError(kc.Set(keychainService, keychainUser(id), hex.EncodeToString(key)))
}

func keychainDelete(kc Keychain, id string) error {
	err := classifyKeychainError(kc.Delete(keychainService, keychainUser(id)))
	if errors.Is(err, ErrNotInKeychain) {
		return nil
	}
	return err
}
