// Package testenv answers the questions tests ask about the machine they run
// on: where the reference files are, and whether a tool they compare
// against is installed. On CI a missing tool fails the test instead of
// skipping it, so that a green run always means the comparison ran.
package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// InCI reports whether the tests run under continuous integration, where
// `make test` has installed every tool and nothing may be skipped.
func InCI() bool { return os.Getenv("CI") != "" }

// RepoRoot is the folder that holds go.mod.
func RepoRoot(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot locate the repository root")
	}
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// Shared is a path inside ../shared (or $GATEKEY_SHARED), a folder beside
// the checkout holding files written by other authenticator apps. Only the
// interop checks, which compare Gatekey with those apps, read it; a clone
// without it skips them and runs everything else on testdata/.
func Shared(t testing.TB, elem ...string) string {
	t.Helper()
	dir := os.Getenv("GATEKEY_SHARED")
	if dir == "" {
		dir = filepath.Join(RepoRoot(t), "..", "shared")
	}
	p := filepath.Join(append([]string{dir}, elem...)...)
	if _, err := os.Stat(p); err != nil {
		Unavailable(t, "interop check against other apps' files: "+p+" is missing (set GATEKEY_SHARED to the folder that holds interop/)")
	}
	return p
}

// Testdata is a path inside the repository's testdata folder, the
// reference files the project makes itself (testdata/README.md). They are
// part of every checkout, so a missing one fails the test.
func Testdata(t testing.TB, elem ...string) string {
	t.Helper()
	p := filepath.Join(append([]string{RepoRoot(t), "testdata"}, elem...)...)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("testdata file missing: %v", err)
	}
	return p
}

// Tool returns the path of an external program a test needs, such as
// oathtool or zbarimg.
func Tool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Unavailable(t, name+" is not installed (make test installs it)")
	}
	return p
}

// Display requires an X display, which `make test` provides through
// scripts/desktop-session.
func Display(t testing.TB) string {
	t.Helper()
	d := os.Getenv("DISPLAY")
	if d == "" {
		Unavailable(t, "no X display (run the tests through scripts/desktop-session)")
	}
	return d
}

// SecretService requires a session D-Bus, on which scripts/desktop-session
// runs an unlocked gnome-keyring.
func SecretService(t testing.TB) {
	t.Helper()
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		Unavailable(t, "no session D-Bus with a Secret Service (run the tests through scripts/desktop-session)")
	}
}

// Unavailable fails the test on CI and skips it elsewhere.
func Unavailable(t testing.TB, why string) {
	t.Helper()
	if InCI() {
		t.Fatal(why)
	}
	t.Skip(why)
}
