package vault

import "errors"

// Sentinel errors callers branch on. They are always wrapped, usually in a
// *FileError that names the vault file; test for them with errors.Is.
var (
	// ErrNoKeychain means no OS keychain answered: no Secret Service is
	// running, or the keychain is locked and the user refused to unlock it.
	// The vault still works with its password.
	ErrNoKeychain = errors.New("no keychain available (on Linux, a Secret Service such as gnome-keyring must be running and unlocked)")

	// ErrNotInKeychain means the keychain works but holds no key for this
	// vault, as for a vault copied from another machine.
	ErrNotInKeychain = errors.New("the vault's key is not in this machine's keychain")

	// ErrPasswordRequired means the vault can only be opened with its
	// password here.
	ErrPasswordRequired = errors.New("the vault needs its password to open on this machine")

	// ErrWrongPassword means no password slot of the vault opens with the
	// password given.
	ErrWrongPassword = errors.New("wrong password")

	// ErrCorrupt means the file does not parse or does not decrypt with a
	// key that opened one of its slots: it is damaged or was not written as
	// an Aegis vault. The file is left untouched; the previous version is
	// kept as vault.json.bak beside it.
	ErrCorrupt = errors.New("the vault file is damaged")

	// ErrUnsupportedVersion means the file was written by a newer version
	// of the format than this program reads.
	ErrUnsupportedVersion = errors.New("the vault file uses a format version this program does not read")

	// ErrNotEncrypted means the file is a plain (unencrypted) Aegis export:
	// import it rather than opening it as a vault.
	ErrNotEncrypted = errors.New("the file is a plain Aegis export, not an encrypted vault; import it instead")

	// ErrLocked means the vault is locked: unlock it with its password or
	// the keychain first.
	ErrLocked = errors.New("the vault is locked")

	// ErrExists means Create found a file already at the path.
	ErrExists = errors.New("a file already exists there")

	// ErrNotFound means no account has the uuid asked for.
	ErrNotFound = errors.New("no account with that uuid")

	// ErrDuplicate means an account with the same uuid already exists.
	ErrDuplicate = errors.New("an account with that uuid already exists")

	// ErrInvalidAccount means an account cannot be stored as it is (empty
	// secret, unknown type or algorithm, digits or period out of range).
	ErrInvalidAccount = errors.New("invalid account")

	// ErrChangedOnDisk means the file was changed by someone else (a sync
	// tool, another device) since it was loaded, and the changes could not
	// be merged with the ones made here. Nothing was written.
	ErrChangedOnDisk = errors.New("the vault file changed on disk since it was opened")

	// ErrLastKey means the change asked for would leave no way to open the
	// vault: removing the password when the key is not in a working
	// keychain, or forgetting the keychain key when there is no password.
	ErrLastKey = errors.New("this would leave no way to open the vault")

	// ErrTooCostly means the file asks for more work than Gatekey spends on
	// a password: a slot whose scrypt cost is above the bounds, or more
	// password slots than Gatekey tries. The file is bad input, not a wrong
	// password; the message names the cost.
	ErrTooCostly = errors.New("the file asks for more key-derivation work than Gatekey allows")

	// ErrTooLarge means a save would write a file larger than Gatekey reads
	// back (64 MiB). Nothing was written.
	ErrTooLarge = errors.New("too large for the vault")

	// ErrBusy means another program held the vault's lock file for longer
	// than a save waits. Nothing was written.
	ErrBusy = errors.New("another program is writing the vault")
)

// costError is an ErrTooCostly with the cost in its message.
type costError struct{ what string }

func (e *costError) Error() string        { return e.what + ", more than Gatekey allows" }
func (e *costError) Is(target error) bool { return target == ErrTooCostly }

// FileError is an error about one vault file. Path names the file; Err
// wraps one of the sentinels above with details. It never contains a
// password or a secret.
type FileError struct {
	Path string
	Err  error
}

func (e *FileError) Error() string { return "vault " + e.Path + ": " + e.Err.Error() }

// Unwrap returns the wrapped error, so that errors.Is finds the sentinel.
func (e *FileError) Unwrap() error { return e.Err }
