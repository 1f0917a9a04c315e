package vault

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// readBounded reads a vault file, refusing files above maxFileSize.
func readBounded(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("%w: larger than %d MiB", ErrCorrupt, maxFileSize>>20)
	}
	return data, nil
}

// writeTemp writes data to a new 0600 file beside path and syncs it. The
// caller renames or removes it.
func writeTemp(path string, data []byte) (string, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return "", err
	}
	name := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o600)
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

// writeAtomic replaces path with data so that a crash at any moment leaves
// either the old or the new file (security.md: temp file, fsync, rename,
// fsync the folder). With backup set, the file being replaced is kept as
// path+".bak".
func writeAtomic(path string, data []byte, backup bool) error {
	tmp, err := writeTemp(path, data)
	if err != nil {
		return err
	}
	if backup {
		if err := backupFile(path); err != nil {
			os.Remove(tmp)
			return fmt.Errorf("keeping the previous version as %s: %w", filepath.Base(path)+".bak", err)
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	removeStaleTemps(path)
	return syncDir(filepath.Dir(path))
}

// staleTempAge is how old a temporary file beside the vault must be before
// a save removes it: far older than any save still in progress.
const staleTempAge = time.Hour

// removeStaleTemps deletes the temporary files that saves interrupted by a
// crash or a power cut left beside path, so that they do not pile up. They
// hold only ciphertext, like the vault itself.
func removeStaleTemps(path string) {
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
		if !strings.HasPrefix(name, "."+base+".tmp-") && !strings.HasPrefix(name, base+".bak.tmp-") {
			continue
		}
		if info, err := e.Info(); err == nil && info.Mode().IsRegular() && time.Since(info.ModTime()) > staleTempAge {
			os.Remove(filepath.Join(dir, name))
		}
	}
}

// createExclusive writes a new file at path, failing with ErrExists if one
// appears there first.
func createExclusive(path string, data []byte) error {
	tmp, err := writeTemp(path, data)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	// A hard link, unlike a rename, never replaces an existing file.
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return ErrExists
		}
		if _, serr := os.Lstat(path); serr == nil {
			return ErrExists
		}
		if err := os.Rename(tmp, path); err != nil {
			return err
		}
	}
	return syncDir(filepath.Dir(path))
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
		name, werr := writeTemp(bak, data)
		if werr != nil {
			return werr
		}
		tmp = name
	}
	if err := os.Rename(tmp, bak); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// syncDir makes a rename in dir durable. Windows cannot sync a folder; its
// rename is made durable by the file system journal.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("syncing folder %s: %w", dir, err)
	}
	return nil
}
