package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/gatekey/gatekey/internal/testenv"
)

// WindowsBinEnv names the folder that holds the Windows build
// (scripts/build-windows --tests), which `make test` makes once per run.
const WindowsBinEnv = "GATEKEY_WINDOWS_BIN"

// wine runs the Windows build in one throwaway Wine prefix, shared by the
// tests of this process and removed by TestMain.
type wine struct {
	bin    string // the Windows build
	prefix string // WINEPREFIX
}

var (
	wineOnce   sync.Once
	wineShared *wine
	wineErr    error
	wineLog    []byte
)

// windowsBuild returns the Wine set-up, making the prefix on first use.
// Without the built programs (outside `make test`) the test is unavailable.
func windowsBuild(t *testing.T) *wine {
	t.Helper()
	bin := os.Getenv(WindowsBinEnv)
	if bin == "" {
		testenv.Unavailable(t, WindowsBinEnv+" is not set (make test builds the Windows programs with scripts/build-windows)")
	}
	for _, exe := range []string{"Gatekey.exe", "gatekey-cli.exe"} {
		if _, err := os.Stat(filepath.Join(bin, exe)); err != nil {
			t.Fatalf("%s names %s, which lacks %s: %v", WindowsBinEnv, bin, exe, err)
		}
	}
	testenv.Tool(t, "wine")
	testenv.Display(t)
	wineOnce.Do(func() {
		dir, err := os.MkdirTemp("", "gatekey-wine-")
		if err != nil {
			wineErr = err
			return
		}
		cmd := exec.Command(filepath.Join(testenv.RepoRoot(t), "scripts", "wine-prefix"), dir)
		wineLog, wineErr = cmd.CombinedOutput()
		wineShared = &wine{bin: bin, prefix: dir}
	})
	if wineErr != nil {
		t.Fatalf("making a Wine prefix: %v\n%s", wineErr, wineLog)
	}
	return wineShared
}

// stopWine ends the Wine server of the shared prefix (and with it any
// Windows program a test left running) and removes the prefix.
func stopWine() {
	if wineShared == nil {
		return
	}
	for _, arg := range []string{"-k", "-w"} { // kill, then wait until it is gone
		cmd := exec.Command("wineserver", arg)
		cmd.Env = wineShared.env()
		_ = cmd.Run()
	}
	_ = os.RemoveAll(wineShared.prefix)
}

func TestMain(m *testing.M) {
	code := m.Run()
	stopWine()
	os.Exit(code)
}

// env is the environment of a Windows program: the test display, the
// prefix, no Wine debug chatter, and a UTF-8 locale.
func (w *wine) env(extra ...string) []string {
	env := append(os.Environ(), "WINEPREFIX="+w.prefix, "WINEDEBUG=-all",
		"WINEDLLOVERRIDES=mscoree,mshtml=", "LANG=en_US.UTF-8", "LC_ALL=")
	return append(env, extra...)
}

// command prepares exe of the Windows build with args under Wine.
func (w *wine) command(exe string, args ...string) *exec.Cmd {
	cmd := exec.Command("wine", append([]string{filepath.Join(w.bin, exe)}, args...)...)
	cmd.Env = w.env()
	return cmd
}

// cli runs gatekey-cli.exe and returns its stdout, failing the test on a
// non-zero exit.
func (w *wine) cli(t *testing.T, args ...string) string {
	t.Helper()
	out, stderr, err := w.run(w.command("gatekey-cli.exe", args...))
	if err != nil {
		t.Fatalf("gatekey-cli.exe %s: %v\nstdout: %s\nstderr: %s", strings.Join(args, " "), err, out, stderr)
	}
	return out
}

func (w *wine) run(cmd *exec.Cmd) (stdout, stderr string, err error) {
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	return o.String(), e.String(), err
}

// appData is the prefix's %APPDATA% as a Linux path.
func (w *wine) appData(t *testing.T) string {
	t.Helper()
	matches, _ := filepath.Glob(filepath.Join(w.prefix, "drive_c", "users", "*", "AppData", "Roaming"))
	for _, m := range matches {
		if !strings.Contains(m, string(filepath.Separator)+"Public"+string(filepath.Separator)) {
			return m
		}
	}
	t.Fatalf("no AppData\\Roaming folder in the Wine prefix %s", w.prefix)
	return ""
}

// windowsPath is a Linux path as Windows programs under Wine see it: on the
// Z: drive, which Wine maps to /.
func windowsPath(p string) string {
	return `Z:` + strings.ReplaceAll(p, "/", `\`)
}
