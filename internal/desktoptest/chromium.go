//go:build linux

package desktoptest

import (
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/gatekey/gatekey/internal/testenv"
)

// Chromium shows url in a real (not headless) chromium window on the test
// display and stops it, with every helper process it started, when the test
// ends. The flags keep it from reaching for the network (this machine has
// none) and from asking first-run questions; extra adds window placement or
// test-only flags.
func Chromium(t testing.TB, url string, extra ...string) *exec.Cmd {
	t.Helper()
	testenv.Display(t)
	// The profile lives outside t.TempDir: chromium's helper processes may
	// still be writing to it for a moment after they are stopped.
	profile, err := os.MkdirTemp("", "gatekey-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	args := append([]string{"--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + profile}, extra...)
	cmd := exec.Command(testenv.Tool(t, "chromium"), append(args, url)...)
	cmd.Env = append(os.Environ(), "LANG=en_US.UTF-8")
	// Its own process group, so that stopping it stops the renderer and GPU
	// helpers it started too, and nothing else.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		cmd.Wait()
		time.Sleep(200 * time.Millisecond)
		os.RemoveAll(profile)
	})
	return cmd
}
