package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gatekey/gatekey/internal/desktoptest"
)

// TestWindowOpensAndCloses starts the binary with no arguments, as a person
// does, and checks that the Gatekey window appears with something drawn in
// it, and that closing it ends the process cleanly.
func TestWindowOpensAndCloses(t *testing.T) {
	x := desktoptest.Connect(t)
	bin := desktoptest.Binary(t)
	home := t.TempDir()

	var stderr bytes.Buffer
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "GATEKEY_HOME="+home, "LANG=en_US.UTF-8")
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			<-exited
		}
	})

	win := x.WaitWindow(t, "Gatekey", 60*time.Second)

	// The first frames may still be blank while Fyne lays out and paints.
	shot := filepath.Join(artifactDir(t), "empty-accounts.png")
	var colors int
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(250 * time.Millisecond) {
		colors = desktoptest.Colors(x.Screenshot(t, win, shot))
		if colors >= 16 {
			break
		}
	}
	if colors < 16 {
		t.Fatalf("the window looks blank: %d distinct colours (screenshot %s)", colors, shot)
	}

	x.Close(t, win)
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("gatekey exited with %v after its window was closed; stderr:\n%s", err, stderr.String())
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("gatekey still runs 5 s after its window was closed")
	}
	if strings.Contains(stderr.String(), "panic") {
		t.Errorf("stderr mentions a panic:\n%s", stderr.String())
	}
}

// artifactDir is where a test keeps its screenshots: $GATEKEY_ARTIFACTS when
// set (to look at them after the run), else the test's temporary folder.
func artifactDir(t *testing.T) string {
	dir := os.Getenv("GATEKEY_ARTIFACTS")
	if dir == "" {
		return t.TempDir()
	}
	dir = filepath.Join(dir, t.Name())
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}
