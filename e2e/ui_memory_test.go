package e2e

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gatekey/gatekey/internal/desktoptest"
	"github.com/gatekey/gatekey/internal/testenv"
	"github.com/gatekey/gatekey/otp"
)

// memorySecrets is how many accounts the memory test searches for.
const memorySecrets = 20

// After the desktop locks its screen, Gatekey's process holds none of the
// vault's secrets, in raw or Base32 form: not in the vault, not in the
// window's copies, not in freed memory. The test searches the whole
// address space of the running window through /proc/PID/mem, before and
// after a screen-lock signal, and measures the time from the signal to
// the last secret gone.
func TestNothingReadableAfterLock(t *testing.T) {
	home := t.TempDir()
	makeVault(t, home, memorySecrets)
	needles := secretForms(memorySecrets)
	s := startGatekey(t, home)
	s.shot("memory-unlocked", 20)
	s.key("Return") // copy a code, as a person would
	scanStart := time.Now()
	before := countSecrets(t, s.cmd.Process.Pid, needles)
	scanTime := time.Since(scanStart)
	if before == 0 {
		t.Fatal("no secret found in the unlocked window's memory: the search finds nothing, so it proves nothing")
	}

	unlocked, err := s.x.Capture(s.win)
	if err != nil {
		t.Fatal(err)
	}
	sent := time.Now()
	emitScreenLock(t)
	// The window wipes the secrets before it draws the lock screen, so the
	// lock screen's first frame bounds the time to the wipe.
	var shown time.Duration
	if !waitFor(10*time.Second, func() bool {
		now, err := s.x.Capture(s.win)
		if err == nil && desktoptest.Changed(unlocked, now) > 0.3 {
			shown = time.Since(sent)
			return true
		}
		return false
	}) {
		t.Fatal("the lock screen did not show within 10 s of the screen-lock signal")
	}
	after := countSecrets(t, s.cmd.Process.Pid, needles)
	s.shot("memory-locked", 5)
	t.Logf("secrets in memory (raw and Base32 forms of %d accounts): %d unlocked, %d after the lock (one search takes %v)",
		memorySecrets, before, after, scanTime.Round(time.Millisecond))
	t.Logf("screen-lock signal to the lock screen drawn (the wipe comes before it): %v", shown.Round(time.Millisecond))
	if after != 0 {
		t.Fatalf("%d copies of secrets still in memory after the screen locked", after)
	}
}

// secretForms are the raw and Base32 forms of the test vault's secrets.
func secretForms(n int) [][]byte {
	var out [][]byte
	for i := range n {
		raw := []byte(fmt.Sprintf("gatekey-e2e-secret-%04d", i))
		out = append(out, raw, []byte(otp.EncodeBase32(raw)))
	}
	return out
}

// emitScreenLock sends the freedesktop screensaver's ActiveChanged(true) on
// the session bus, as a desktop does when it locks its screen.
func emitScreenLock(t *testing.T) {
	t.Helper()
	out, err := exec.Command(testenv.Tool(t, "dbus-send"), "--session", "--type=signal", "/org/freedesktop/ScreenSaver",
		"org.freedesktop.ScreenSaver.ActiveChanged", "boolean:true").CombinedOutput()
	if err != nil {
		t.Fatalf("dbus-send: %v\n%s", err, out)
	}
}

// countSecrets counts the occurrences of every needle in the readable
// memory of process pid.
func countSecrets(t *testing.T, pid int, needles [][]byte) int {
	t.Helper()
	maps, err := os.Open(fmt.Sprintf("/proc/%d/maps", pid))
	if err != nil {
		t.Fatal(err)
	}
	defer maps.Close()
	mem, err := os.Open(fmt.Sprintf("/proc/%d/mem", pid))
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()
	count := 0
	sc := bufio.NewScanner(maps)
	for sc.Scan() {
		start, end, ok := readableRange(sc.Text())
		if !ok {
			continue
		}
		buf := make([]byte, end-start)
		n, _ := mem.ReadAt(buf, int64(start)) // guard pages and the like read short
		for _, nd := range needles {
			count += bytes.Count(buf[:n], nd)
		}
	}
	return count
}

// readableRange parses a /proc/PID/maps line ("start-end perms ...") of a
// readable mapping that is not a file's read-only text or the vsyscall
// page.
func readableRange(line string) (start, end uint64, ok bool) {
	f := strings.Fields(line)
	if len(f) < 2 || !strings.HasPrefix(f[1], "r") || strings.Contains(line, "[vsyscall]") || strings.Contains(line, "[vvar]") {
		return 0, 0, false
	}
	lo, hi, found := strings.Cut(f[0], "-")
	if !found {
		return 0, 0, false
	}
	a, err1 := strconv.ParseUint(lo, 16, 64)
	b, err2 := strconv.ParseUint(hi, 16, 64)
	if err1 != nil || err2 != nil || b <= a || b-a > 1<<32 {
		return 0, 0, false
	}
	return a, b, true
}
