package app

import "github.com/gatekey/gatekey/vault"

// UnlockMode is how the vault unlocks (security.md): keychain mode keeps the
// master key in the OS keychain, so the desktop login protects the vault
// and Lock only hides the codes; password mode keeps it out, so the
// password is asked at every start and after every lock.
type UnlockMode = vault.UnlockMode

// The unlock modes. UnlockDefault, for a new vault, is password mode when
// it has a password and keychain mode otherwise.
const (
	UnlockDefault  UnlockMode = 0
	UnlockKeychain            = vault.UnlockKeychain
	UnlockPassword            = vault.UnlockPassword
)

// ParseUnlockMode reads "keychain" or "password".
func ParseUnlockMode(s string) (UnlockMode, error) {
	m, err := vault.ParseUnlockMode(s)
	if err != nil {
		return m, badInput(err.Error())
	}
	return m, nil
}

// VaultInfo describes a vault: path, accounts, slots, keychain, mode.
type VaultInfo = vault.Info

// Errors about the vault's keys.
var (
	// ErrLastKey means a change would leave no way to open the vault.
	ErrLastKey = vault.ErrLastKey
	// ErrTooCostly means a vault file asks for more key-derivation work
	// than Gatekey allows: a damaged or hostile file.
	ErrTooCostly = vault.ErrTooCostly
)

// PasswordChangeResult is what changing the vault's password did.
type PasswordChangeResult struct {
	// NewKey: the master key changed too, so a copy of the vault made
	// before no longer opens the vault as it is now.
	NewKey bool
	// DroppedSlots counts other apps' slots (Aegis's fingerprint unlock,
	// a separate backup password) that held the old key and were removed:
	// those apps now need the new password.
	DroppedSlots int
}

// Mode is how the vault unlocks.
func (a *Authenticator) Mode() UnlockMode { return a.vault.UnlockMode() }

// SetMode switches how the vault unlocks. Password mode needs a password
// slot and the password that opens it (so that nobody locks themselves
// out), and removes the key from the keychain; keychain mode stores it.
func (a *Authenticator) SetMode(mode UnlockMode, password []byte) error {
	return a.vault.SetUnlockMode(mode, password)
}

// ChangePassword adds the vault's first password, or replaces it. With
// newKey the master key changes too (the accounts are encrypted again), so
// that an old copy of the vault and the old password do not open it as it
// is now; other apps' slots are then dropped, and the result counts them.
// current must open the vault's password slot when it has one. Either way
// vault.json.bak no longer opens with the old password.
func (a *Authenticator) ChangePassword(current, next []byte, newKey bool) (PasswordChangeResult, error) {
	if !newKey || !a.vault.HasPassword() {
		if a.vault.HasPassword() {
			if err := a.vault.CheckPassword(current); err != nil {
				return PasswordChangeResult{}, err
			}
		}
		return PasswordChangeResult{}, a.vault.SetPassword(next)
	}
	res, err := a.vault.ChangePassword(current, next)
	if err != nil {
		return PasswordChangeResult{}, err
	}
	return PasswordChangeResult{NewKey: true, DroppedSlots: res.DroppedSlots}, nil
}
