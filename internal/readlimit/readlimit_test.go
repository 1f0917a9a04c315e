package readlimit

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAll(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		limit   int64
		wantErr bool
	}{
		{"empty", "", 4, false},
		{"under", "abc", 4, false},
		{"at the limit", "abcd", 4, false},
		{"one over", "abcde", 4, true},
		{"far over", strings.Repeat("x", 1<<16), 1 << 10, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := All(strings.NewReader(tt.in), tt.limit)
			if tt.wantErr {
				if !errors.Is(err, ErrTooLarge) || got != nil {
					t.Fatalf("got %q, %v; want ErrTooLarge and nothing", got, err)
				}
				return
			}
			if err != nil || string(got) != tt.in {
				t.Fatalf("got %q, %v", got, err)
			}
		})
	}
}

// A regular file larger than the limit is refused before it is read; its
// path is named.
func TestFile(t *testing.T) {
	dir := t.TempDir()
	small, big := filepath.Join(dir, "small"), filepath.Join(dir, "big")
	os.WriteFile(small, []byte("hello"), 0o600)
	os.WriteFile(big, bytes.Repeat([]byte("x"), 2<<20), 0o600)
	if got, err := File(small, 5); err != nil || string(got) != "hello" {
		t.Fatalf("small: %q %v", got, err)
	}
	_, err := File(big, 1<<20)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), big) || !strings.Contains(err.Error(), "1 MiB") {
		t.Fatalf("big: %v", err)
	}
	if _, err := File(filepath.Join(dir, "missing"), 5); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing: %v", err)
	}
}
