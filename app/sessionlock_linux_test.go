package app

import (
	"bufio"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/gatekey/gatekey/internal/testenv"
	"github.com/gatekey/gatekey/vault"
)

// systemBusConfig is a dbus-daemon configuration for a bus that stands in
// for the system bus: its own socket, and a policy that lets the test own
// logind's name.
const systemBusConfig = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=SOCKET</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
`

// privateSystemBus starts a dbus-daemon for the test and returns its
// address.
func privateSystemBus(t *testing.T) string {
	t.Helper()
	daemon := testenv.Tool(t, "dbus-daemon")
	dir := t.TempDir()
	config := filepath.Join(dir, "system.conf")
	text := strings.Replace(systemBusConfig, "SOCKET", filepath.Join(dir, "bus"), 1)
	if err := os.WriteFile(config, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(daemon, "--config-file="+config, "--nofork", "--nopidfile", "--print-address=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("dbus-daemon did not start: %v %s", err, stderr.String())
	}
	return strings.TrimSpace(addr)
}

func dialBus(addr string) func() (*dbus.Conn, error) {
	return func() (*dbus.Conn, error) {
		conn, err := dbus.Dial(addr)
		if err != nil {
			return nil, err
		}
		return authenticated(conn)
	}
}

// fakeLogind answers the two logind methods the watcher calls. Each
// Inhibit hands out the write end of a new pipe and keeps the read end,
// which sees end-of-file once every copy of the write end is closed.
type fakeLogind struct {
	conn *dbus.Conn
	mu   sync.Mutex
	held []*heldInhibitor
}

type heldInhibitor struct {
	args []string
	r, w *os.File
}

func (f *fakeLogind) Inhibit(what, who, why, mode string) (dbus.UnixFD, *dbus.Error) {
	r, w, err := os.Pipe()
	if err != nil {
		return 0, dbus.MakeFailedError(err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.held = append(f.held, &heldInhibitor{args: []string{what, who, why, mode}, r: r, w: w})
	return dbus.UnixFD(w.Fd()), nil
}

func (f *fakeLogind) GetSessionByPID(uint32) (dbus.ObjectPath, *dbus.Error) {
	return "/org/freedesktop/login1/session/_1", nil
}

func startFakeLogind(t *testing.T, addr string) *fakeLogind {
	t.Helper()
	conn, err := dialBus(addr)()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	f := &fakeLogind{conn: conn}
	if err := conn.Export(f, login1Path, login1Manager); err != nil {
		t.Fatal(err)
	}
	if reply, err := conn.RequestName(login1Name, dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("owning %s: %v %v", login1Name, reply, err)
	}
	return f
}

// inhibitor waits for the n-th Inhibit call (from 0) and, once the
// watcher holds its copy of the descriptor, closes the fake's own copy.
func (f *fakeLogind) inhibitor(t *testing.T, n int) *heldInhibitor {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		f.mu.Lock()
		var h *heldInhibitor
		if len(f.held) > n {
			h = f.held[n]
		}
		f.mu.Unlock()
		if h != nil && pipeEnds(t, h.r) >= 3 { // read end, our write end, the watcher's
			h.w.Close()
			return h
		}
		if time.Now().After(deadline) {
			t.Fatalf("the watcher took no inhibitor number %d", n+1)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (f *fakeLogind) calls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.held)
}

// pipeEnds counts this process's descriptors of the pipe r reads from.
func pipeEnds(t *testing.T, r *os.File) int {
	t.Helper()
	// Not r.Fd(): it would put r in blocking mode, and its read deadline
	// would stop working.
	var fd uintptr
	raw, err := r.SyscallConn()
	if err == nil {
		err = raw.Control(func(d uintptr) { fd = d })
	}
	if err != nil {
		t.Fatal(err)
	}
	self, err := os.Readlink("/proc/self/fd/" + strconv.Itoa(int(fd)))
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if l, err := os.Readlink("/proc/self/fd/" + e.Name()); err == nil && l == self {
			n++
		}
	}
	return n
}

// held reports whether some process still holds the inhibitor: its pipe
// has not reached end-of-file within wait.
func (h *heldInhibitor) held(wait time.Duration) bool {
	h.r.SetReadDeadline(time.Now().Add(wait))
	_, err := h.r.Read(make([]byte, 1))
	return !errors.Is(err, io.EOF)
}

func (f *fakeLogind) emit(t *testing.T, path dbus.ObjectPath, name string, body ...any) {
	t.Helper()
	if err := f.conn.Emit(path, name, body...); err != nil {
		t.Fatal(err)
	}
}

func nextEvent(t *testing.T, events <-chan SessionEvent, what string) SessionEvent {
	t.Helper()
	select {
	case ev := <-events:
		return ev
	case <-time.After(5 * time.Second):
		t.Fatalf("%s reported nothing", what)
	}
	return SessionEvent{}
}

// Before sleeping, the machine waits for the vault: the watcher holds a
// logind delay inhibitor from the start, keeps it while the window locks
// the vault, releases it only when told the wipe is done, and takes a new
// one at the wake-up. The logind here is a fake on a private bus.
func TestSleepWaitsForTheVaultLock(t *testing.T) {
	addr := privateSystemBus(t)
	logind := startFakeLogind(t, addr)
	events := watchSession(t.Context(), sessionBuses{system: dialBus(addr)})
	first := logind.inhibitor(t, 0)
	if got := strings.Join(first.args, "|"); got != "sleep|Gatekey|lock the vault before sleeping|delay" {
		t.Fatalf("Inhibit(%s)", got)
	}
	v, err := vault.Create(filepath.Join(t.TempDir(), "vault.json"), vault.CreateOptions{Password: []byte("pw")})
	if err != nil {
		t.Fatal(err)
	}

	logind.emit(t, login1Path, sleepSignal, true)
	ev := nextEvent(t, events, "PrepareForSleep(true)")
	if !ev.Sleep {
		t.Fatal("a sleep reported as a screen lock")
	}
	if !first.held(300 * time.Millisecond) {
		t.Fatal("the inhibitor was released before the vault was locked")
	}
	if err := v.Lock(); err != nil || !v.Locked() {
		t.Fatalf("lock: %v", err)
	}
	if !first.held(300 * time.Millisecond) {
		t.Fatal("the inhibitor was released before the window said the lock had finished")
	}
	ev.Locked()
	if first.held(2 * time.Second) {
		t.Fatal("the inhibitor is still held after the lock finished")
	}
	ev.Locked() // a second call changes nothing

	logind.emit(t, login1Path, sleepSignal, false)
	second := logind.inhibitor(t, 1)
	if !second.held(300 * time.Millisecond) {
		t.Fatal("no inhibitor held after the wake-up")
	}
	// A sleep the window never acknowledged: the wake-up drops the
	// inhibitor that was held through it and takes a new one.
	logind.emit(t, login1Path, sleepSignal, true)
	nextEvent(t, events, "the second sleep")
	logind.emit(t, login1Path, sleepSignal, false)
	third := logind.inhibitor(t, 2)
	if second.held(2 * time.Second) {
		t.Fatal("the inhibitor held through a sleep was kept after the wake-up")
	}
	if !third.held(300 * time.Millisecond) {
		t.Fatal("no inhibitor for the next sleep")
	}
}

// logind's session Lock is reported as a screen lock; signals that only
// imitate logind's, sent by another client, are not reported.
func TestLogindSignals(t *testing.T) {
	addr := privateSystemBus(t)
	logind := startFakeLogind(t, addr)
	events := watchSession(t.Context(), sessionBuses{system: dialBus(addr)})
	logind.inhibitor(t, 0)
	logind.emit(t, "/org/freedesktop/login1/session/_1", "org.freedesktop.login1.Session.Lock")
	if ev := nextEvent(t, events, "Session.Lock"); ev.Sleep {
		t.Fatal("a session lock reported as a sleep")
	}
	other, err := dialBus(addr)()
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := other.Emit(login1Path, sleepSignal, true); err != nil {
		t.Fatal(err)
	}
	select {
	case <-events:
		t.Fatal("an imitation of logind's PrepareForSleep was reported")
	case <-time.After(time.Second):
	}
	if n := logind.calls(); n != 1 {
		t.Fatalf("%d Inhibit calls, want 1", n)
	}
}
