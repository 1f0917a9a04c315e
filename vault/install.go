package vault

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Install makes data, an encrypted Aegis vault (a backup, or a vault
// copied from another device), the vault at path and opens it as Open
// does with opts: it must open before anything is written. Like Create it
// never replaces a file (ErrExists), keeps an earlier vault's
// vault.json.bak under a new name (Info().KeptBackup), and writes under
// the vault's lock. The unlock mode follows the file's record, or the
// defaults for a file without one (UnlockMode); storing the key in the
// keychain is left to the caller.
func Install(path string, data []byte, opts OpenOptions) (*Vault, error) {
	v := newVault(path, opts.Keychain)
	if len(data) > maxFileSize {
		return nil, v.fileErr(fmt.Errorf("%w: larger than %d MiB", ErrCorrupt, maxFileSize>>20))
	}
	if err := v.unlockFrom(context.Background(), data, opts.Password, true); err != nil {
		return nil, err
	}
	if _, err := os.Lstat(v.path); err == nil {
		v.wipe()
		return nil, v.fileErr(ErrExists)
	}
	if err := os.MkdirAll(filepath.Dir(v.path), 0o700); err != nil {
		v.wipe()
		return nil, v.fileErr(fmt.Errorf("creating its folder: %w", err))
	}
	lock, err := lockVault(v.path)
	if err != nil {
		v.wipe()
		return nil, v.fileErr(err)
	}
	defer lock.unlock()
	if v.keptBackup, err = keepOldBackup(v.path); err != nil {
		v.wipe()
		return nil, v.fileErr(err)
	}
	if err := createExclusive(v.path, data); err != nil {
		v.wipe()
		if errors.Is(err, ErrExists) {
			return nil, v.fileErr(err)
		}
		return nil, v.fileErr(fmt.Errorf("writing: %w", err))
	}
	return v, nil
}
