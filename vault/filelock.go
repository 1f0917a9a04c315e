package vault

import (
	"errors"
	"fmt"
	"os"
	"time"
)

// The vault file is written by more than one program: the window, each
// `gatekey` command, and a second window on the same folder. Each save reads
// the file, merges what changed on disk and renames a new file over it; two
// saves that overlap would each merge against the same old file and the
// second rename would drop the first one's changes. An exclusive lock on a
// file beside the vault, held from the read to the rename, puts the saves
// one after the other. The lock is advisory: sync tools do not take it,
// which is why a save also checks the file's hash again just before its
// rename.

// lockSuffix names the lock file beside the vault. It is never removed:
// deleting a lock file while another process waits on it would let a third
// lock a new file of the same name at the same time.
const lockSuffix = ".lock"

// lockTimeout bounds the wait for another writer. A save holds the lock for
// milliseconds, a 64 MiB vault for a few seconds; a lock held longer belongs
// to a process that hangs.
var lockTimeout = 30 * time.Second

// lockPoll is how often a waiting save tries the lock again.
const lockPoll = 5 * time.Millisecond

// errLockBusy is what tryLock returns while another process holds the lock.
var errLockBusy = errors.New("locked by another process")

// lockFile holds the exclusive lock on a vault's lock file until unlock.
type lockFile struct {
	f *os.File
}

// lockVault takes the exclusive lock of the vault at path, waiting for
// another writer to finish. It fails with ErrBusy after lockTimeout.
func lockVault(path string) (*lockFile, error) {
	f, err := os.OpenFile(path+lockSuffix, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("opening the lock file: %w", err)
	}
	deadline := time.Now().Add(lockTimeout)
	for {
		err := tryLock(f)
		if err == nil {
			return &lockFile{f: f}, nil
		}
		if !errors.Is(err, errLockBusy) {
			f.Close()
			return nil, fmt.Errorf("locking %s: %w", f.Name(), err)
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, fmt.Errorf("%w (%s has been locked for %v)", ErrBusy, f.Name(), lockTimeout)
		}
		time.Sleep(lockPoll)
	}
}

// unlock releases the lock. Closing the file releases it too, even when the
// explicit unlock fails, and the operating system releases it when the
// process dies.
func (l *lockFile) unlock() {
	_ = unlockFile(l.f)
	l.f.Close()
}
