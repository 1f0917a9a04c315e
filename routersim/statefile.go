package routersim

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gatekey/gatekey/internal/atomicfile"
)

const stateFile = "state.json"

// loadState reads the saved configuration; ok is false when there is none.
func loadState(dir string) (st State, ok bool, err error) {
	data, err := os.ReadFile(filepath.Join(dir, stateFile))
	if errors.Is(err, os.ErrNotExist) {
		return State{}, false, nil
	}
	if err != nil {
		return State{}, false, fmt.Errorf("reading router state: %w", err)
	}
	if len(data) > 1<<20 {
		return State{}, false, fmt.Errorf("reading router state: %s is larger than 1 MiB", stateFile)
	}
	if err := json.Unmarshal(data, &st); err != nil {
		return State{}, false, fmt.Errorf("reading router state %s: %w", stateFile, err)
	}
	// A state saved before IP objects existed gets free objects; anything a
	// form would refuse is an error rather than a router that behaves oddly.
	if err := st.normalize(); err != nil {
		return State{}, false, fmt.Errorf("reading router state %s: %w", stateFile, err)
	}
	return st, true, nil
}

// saveState writes the configuration atomically with mode 0600 (it holds the
// admin password and the TOTP secret). Everything State holds is kept: the
// IP objects and groups, the IPv6 settings, the password and the Validation
// Code switch included.
func saveState(dir string, st State) error {
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding router state: %w", err)
	}
	return writeFileAtomic(filepath.Join(dir, stateFile), append(data, '\n'))
}

// writeFileAtomic writes path so that a crash leaves the old or the new
// state, never half of one.
func writeFileAtomic(path string, data []byte) error {
	if err := atomicfile.Write(path, data); err != nil {
		return fmt.Errorf("writing %s: %w", filepath.Base(path), err)
	}
	return nil
}
