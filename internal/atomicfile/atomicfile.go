// Package atomicfile writes files that hold secrets or settings so that a
// crash leaves either the old file or the new one, readable by their owner
// only (security.md: temporary file in the same folder, fsync, rename, fsync
// the folder).
package atomicfile

import (
	"os"
	"path/filepath"
)

// Write replaces path with data, with mode 0600.
func Write(path string, data []byte) error {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
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
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // not every file system syncs folders; the rename is done
		d.Close()
	}
	return nil
}
