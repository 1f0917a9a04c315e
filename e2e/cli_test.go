package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/gatekey/gatekey/internal/desktoptest"
)

// The binary links Fyne even for the command line; Fyne's locale warning
// (printed while it initialises, for locales such as C.UTF-8) must never
// reach a script's stderr.
func TestCommandLineStderrIsClean(t *testing.T) {
	bin := desktoptest.Binary(t)
	for _, lang := range []string{"LANG=C", "LANG=", "LANG=C.UTF-8", "LANG=POSIX.utf8"} {
		var stdout, stderr bytes.Buffer
		cmd := exec.Command(bin, "version")
		cmd.Env = append(os.Environ(), lang, "LC_ALL=", "GATEKEY_HOME="+t.TempDir())
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s gatekey version: %v", lang, err)
		}
		if !strings.HasPrefix(stdout.String(), "gatekey ") || stderr.Len() != 0 {
			t.Errorf("%s: stdout %q, stderr %q", lang, stdout.String(), stderr.String())
		}
	}
}
