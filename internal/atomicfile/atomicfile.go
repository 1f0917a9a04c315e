// Package atomicfile writes files that hold secrets or settings so that a
// crash leaves either the old file or the new one, readable by their owner
// only (security.md: temporary file in the same folder, fsync, rename, fsync
// the folder). Write is the whole of it; the vault builds its backups and
// its checks on the pieces (WriteTemp, SyncDir, CreateExclusive).
package atomicfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// Write replaces path with data, with mode 0600.
func Write(path string, data []byte) error {
	tmp, err := WriteTemp(path, data)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	_ = SyncDir(filepath.Dir(path)) // the rename is done; not every file system syncs folders
	return nil
}

// WriteTemp writes data to a new synced 0600 file beside path, named so
// that IsTemp recognises it, and returns its name. The caller renames or
// removes it.
func WriteTemp(path string, data []byte) (string, error) {
	dir, base := split(path)
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return "", err
	}
	name := f.Name()
	err = f.Chmod(0o600)
	if err == nil {
		_, err = f.Write(data)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name)
		return "", err
	}
	return name, nil
}

// IsTemp reports whether name, a file in path's folder, is a temporary
// file WriteTemp made for path: one a crash may have left behind.
func IsTemp(name, path string) bool {
	_, base := split(path)
	return strings.HasPrefix(name, "."+base+".tmp-")
}

// CreateExclusive writes a new file at path, failing with an error that
// wraps fs.ErrExist if one is there or appears there first.
func CreateExclusive(path string, data []byte) error {
	tmp, err := WriteTemp(path, data)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	// A hard link, unlike a rename, never replaces an existing file.
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return err
		}
		if _, serr := os.Lstat(path); serr == nil {
			return &fs.PathError{Op: "create", Path: path, Err: fs.ErrExist}
		}
		// A file system without hard links: the rename is the next best.
		if err := os.Rename(tmp, path); err != nil {
			return err
		}
	}
	return SyncDir(filepath.Dir(path))
}

// SyncDir makes a rename in dir durable. Windows cannot sync a folder; its
// rename is made durable by the file system journal.
func SyncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

func split(path string) (dir, base string) {
	dir, base = filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	return dir, base
}
