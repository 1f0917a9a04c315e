package vault

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gatekey/gatekey/internal/atomicfile"
	"github.com/gatekey/gatekey/internal/readlimit"
)

// readBounded reads a vault file, refusing files above maxFileSize.
func readBounded(path string) ([]byte, error) {
	data, err := readlimit.File(path, maxFileSize)
	if errors.Is(err, readlimit.ErrTooLarge) {
		return nil, fmt.Errorf("%w: larger than %d MiB", ErrCorrupt, maxFileSize>>20)
	}
	return data, err
}

// writeTemp writes data to a new synced 0600 file beside path; the caller
// renames or removes it.
func writeTemp(path string, data []byte) (string, error) { return atomicfile.WriteTemp(path, data) }

// errReplacedMeanwhile means the file changed between the read a save
// merged and the moment of its rename: a program that does not take the
// lock, such as a sync tool, replaced it.
var errReplacedMeanwhile = errors.New("the file was replaced during the save")

// replaceFile replaces path with data so that a crash at any moment leaves
// either the old or the new file (security.md: temp file, fsync, rename,
// fsync the folder), keeping the file being replaced as path+".bak", or
// what rebackup makes of it when rebackup is set and returns data. It does
// so only if path still holds the content whose hash is expected (or is
// still missing when existed is false), checked just before the rename,
// and fails with errReplacedMeanwhile otherwise.
func replaceFile(path string, data []byte, existed bool, expected [32]byte, rebackup func([]byte) []byte) error {
	tmp, err := writeTemp(path, data)
	if err != nil {
		return err
	}
	if testOnlyBeforeCheck != nil {
		testOnlyBeforeCheck(path)
	}
	old, err := checkUnchanged(path, existed, expected)
	if err != nil {
		os.Remove(tmp)
		return err
	}
	if existed {
		if err := keepBackup(path, old, rebackup); err != nil {
			os.Remove(tmp)
			return fmt.Errorf("keeping the previous version as %s: %w", filepath.Base(path)+".bak", err)
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	removeStaleTemps(path, staleTempAge)
	return syncDir(filepath.Dir(path))
}

// testOnlyBeforeCheck, when set, runs just before a save checks the file
// again: tests replace the file there, as a sync tool might.
var testOnlyBeforeCheck func(path string)

// checkUnchanged reads path again and compares it with what the save
// merged against. It returns what it read.
func checkUnchanged(path string, existed bool, expected [32]byte) ([]byte, error) {
	now, err := readBounded(path)
	switch {
	case err == nil && existed && sha256.Sum256(now) == expected:
		return now, nil
	case isNotExist(err) && !existed:
		return nil, nil
	case err != nil && !isNotExist(err):
		return nil, fmt.Errorf("reading the file again before replacing it: %w", err)
	}
	return nil, errReplacedMeanwhile
}

// keepBackup makes path+".bak" the file about to be replaced (old), or
// what rebackup makes of it.
func keepBackup(path string, old []byte, rebackup func([]byte) []byte) error {
	if rebackup == nil {
		return backupFile(path)
	}
	data := rebackup(old)
	if data == nil {
		return backupFile(path)
	}
	return atomicfile.Write(path+".bak", data)
}

// staleTempAge is how old a temporary file beside the vault must be before
// a save removes it: far older than any save still in progress.
const staleTempAge = time.Hour

// removeStaleTemps deletes the temporary files older than age that saves
// interrupted by a crash or a power cut left beside path, so that they do
// not pile up. They hold only ciphertext, like the vault itself, but under
// the slots of their time: a slot change removes them whatever their age.
func removeStaleTemps(path string, age time.Duration) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		bak := filepath.Join(dir, base+".bak")
		if !atomicfile.IsTemp(name, path) && !atomicfile.IsTemp(name, bak) && !strings.HasPrefix(name, base+".bak.tmp-") {
			continue
		}
		if info, err := e.Info(); err == nil && info.Mode().IsRegular() && time.Since(info.ModTime()) >= age {
			os.Remove(filepath.Join(dir, name))
		}
	}
}

// createExclusive writes a new file at path, failing with ErrExists if one
// appears there first.
func createExclusive(path string, data []byte) error {
	err := atomicfile.CreateExclusive(path, data)
	if errors.Is(err, fs.ErrExist) {
		return ErrExists
	}
	return err
}

// backupFile makes path+".bak" the current content of path. A hard link
// costs no copy; file systems without links get a synced copy. Either way
// the .bak name is switched by a rename, so it never holds half a file.
func backupFile(path string) error {
	bak := path + ".bak"
	tmp := fmt.Sprintf("%s.tmp-%x", bak, randomBytes(6))
	if err := os.Link(path, tmp); err != nil {
		data, rerr := readBounded(path)
		if rerr != nil {
			return rerr
		}
		return atomicfile.Write(bak, data)
	}
	if err := os.Rename(tmp, bak); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	if err := atomicfile.SyncDir(dir); err != nil {
		return fmt.Errorf("syncing folder %s: %w", dir, err)
	}
	return nil
}

// keepOldBackup renames path+".bak", if there is one, to
// path+".bak.<UTC time>" and returns the new name. A new vault calls it:
// its first save would replace that backup, which may be the only copy of
// an earlier vault's accounts.
func keepOldBackup(path string) (string, error) {
	bak := path + ".bak"
	if _, err := os.Lstat(bak); isNotExist(err) {
		return "", nil
	}
	stamp := time.Now().UTC().Format("20060102T150405Z")
	for i := 1; i <= 100; i++ {
		name := bak + "." + stamp
		if i > 1 {
			name = fmt.Sprintf("%s-%d", name, i)
		}
		if _, err := os.Lstat(name); err == nil {
			continue
		}
		// A hard link never replaces a file that appeared meanwhile.
		err := os.Link(bak, name)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err == nil {
			err = os.Remove(bak)
		} else {
			err = os.Rename(bak, name)
		}
		if err != nil {
			return "", fmt.Errorf("keeping the earlier %s: %w", filepath.Base(bak), err)
		}
		return name, syncDir(filepath.Dir(path))
	}
	return "", fmt.Errorf("keeping the earlier %s: too many kept backups with the same time", filepath.Base(bak))
}
