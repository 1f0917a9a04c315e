// Package readlimit reads files and streams whole, up to a size limit:
// input larger than the limit is refused, never truncated, because a
// truncated vault, export or image would be read as something else.
package readlimit

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// ErrTooLarge means the input is larger than the limit.
var ErrTooLarge = errors.New("larger than allowed")

// All reads r to its end, or fails with ErrTooLarge once more than limit
// bytes have come.
func All(r io.Reader, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		clear(data) // it may be secret
		return nil, fmt.Errorf("%w: over %s", ErrTooLarge, size(limit))
	}
	return data, nil
}

// File reads the file at path as All does, without reading a regular file
// that is already too large.
func File(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > limit {
		return nil, fmt.Errorf("%s: %w: %s, over %s", path, ErrTooLarge, size(st.Size()), size(limit))
	}
	data, err := All(f, limit)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return data, nil
}

// size writes a byte count as people read it.
func size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
