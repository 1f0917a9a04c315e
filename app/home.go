// Package app holds Gatekey's use cases with no GUI: where its files live,
// the authenticator service, the router service and the TOTP enrolment flow.
// Both the window (ui/) and the command line (cli/) call it.
package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Version is Gatekey's version, set at build time with
// -ldflags "-X github.com/gatekey/gatekey/app.Version=...".
var Version = "0.1.0"

// HomeEnv names the environment variable that overrides where Gatekey keeps
// its files.
const HomeEnv = "GATEKEY_HOME"

// ResolveHome chooses the folder that holds the vault, router records and
// settings: the flag value when given, else $GATEKEY_HOME, else "gatekey"
// under the OS user config folder.
func ResolveHome(flagValue string) (string, error) {
	if flagValue != "" {
		return filepath.Abs(flagValue)
	}
	if env := os.Getenv(HomeEnv); env != "" {
		return filepath.Abs(env)
	}
	cfg, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("finding the user config folder (set %s to choose one): %w", HomeEnv, err)
	}
	return filepath.Join(cfg, "gatekey"), nil
}

// EnsureHome creates the home folder with mode 0700 and tightens an existing
// one, since it holds the vault and router records.
func EnsureHome(dir string) error {
	if dir == "" {
		return errors.New("no home folder given")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("creating %s: %w", dir, err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return fmt.Errorf("restricting %s to its owner: %w", dir, err)
	}
	return nil
}
