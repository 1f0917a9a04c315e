package e2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jezek/xgb/xproto"

	"github.com/gatekey/gatekey/app"
	"github.com/gatekey/gatekey/internal/desktoptest"
	"github.com/gatekey/gatekey/internal/testenv"
	"github.com/gatekey/gatekey/otp"
)

// vaultPassword is the password slot of the test vaults.
const vaultPassword = "e2e vault password"

// makeVault creates a vault of n accounts under home with the real
// keychain (the desktop session's) and a password slot, in keychain mode
// (the window opens without the password), as a person who used Gatekey
// for a while has. Account i is "Issuer NNN" / "user-NNN";
// every 50th is a HOTP account and every 25th a favourite.
func makeVault(t testing.TB, home string, n int) {
	t.Helper()
	makeVaultIn(t, home, n, app.UnlockKeychain)
}

// makeVaultIn is makeVault with the unlock mode given.
func makeVaultIn(t testing.TB, home string, n int, mode app.UnlockMode) {
	t.Helper()
	testenv.SecretService(t)
	auth, err := app.OpenAuthenticator(home, app.OpenOptions{
		Create:         true,
		Mode:           mode,
		CreatePassword: func() ([]byte, error) { return []byte(vaultPassword), nil },
	})
	if err != nil {
		t.Fatalf("creating the test vault: %v", err)
	}
	accs := make([]otp.Account, n)
	for i := range accs {
		secret := []byte(fmt.Sprintf("gatekey-e2e-secret-%04d", i))
		accs[i] = otp.Account{Type: otp.TOTP, Issuer: fmt.Sprintf("Issuer %03d", i), Name: fmt.Sprintf("user-%03d@example.com", i),
			Secret: secret, Algorithm: otp.SHA1, Digits: 6, Period: 30, Favorite: i%25 == 7}
		if i%50 == 3 {
			accs[i].Type, accs[i].Period = otp.HOTP, 0
		}
	}
	if _, _, err := auth.Add(accs...); err != nil {
		t.Fatalf("adding the test accounts: %v", err)
	}
	if err := auth.Vault().Lock(); err != nil {
		t.Fatal(err)
	}
}

// session is a running gatekey window.
type session struct {
	t      *testing.T
	x      *desktoptest.X
	bin    string
	home   string
	cmd    *exec.Cmd
	win    xproto.Window
	exited chan error
	stderr bytes.Buffer
	shots  string
}

// startGatekey runs the binary with home and waits for its window.
func startGatekey(t *testing.T, home string) *session {
	t.Helper()
	s := &session{t: t, x: desktoptest.Connect(t), bin: desktoptest.Binary(t), home: home, shots: artifactDir(t)}
	testenv.Tool(t, "xdotool")
	s.cmd = exec.Command(s.bin)
	s.cmd.Env = append(os.Environ(), "GATEKEY_HOME="+home, "LANG=en_US.UTF-8")
	s.cmd.Stderr = &s.stderr
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s.exited = make(chan error, 1)
	go func() { s.exited <- s.cmd.Wait() }()
	t.Cleanup(func() {
		if s.cmd.ProcessState == nil {
			_ = s.cmd.Process.Kill()
			<-s.exited
		}
		if strings.Contains(s.stderr.String(), "panic") {
			t.Errorf("stderr mentions a panic:\n%s", s.stderr.String())
		}
	})
	s.win = s.x.WaitWindow(t, "Gatekey", 60*time.Second)
	return s
}

// shot saves a screenshot named name once the window shows at least
// minColours colours, retrying while it is being drawn.
func (s *session) shot(name string, minColours int) string {
	s.t.Helper()
	path := filepath.Join(s.shots, name+".png")
	var colours int
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(250 * time.Millisecond) {
		if colours = desktoptest.Colors(s.x.Screenshot(s.t, s.win, path)); colours >= minColours {
			return path
		}
	}
	s.t.Fatalf("%s: the window looks blank (%d colours, screenshot %s)", name, colours, path)
	return ""
}

// xdotool runs xdotool with the window focused first.
func (s *session) xdotool(args ...string) {
	s.t.Helper()
	id := strconv.FormatUint(uint64(s.win), 10)
	all := append([]string{"windowactivate", "--sync", id}, args...)
	if out, err := exec.Command("xdotool", all...).CombinedOutput(); err != nil {
		// Without a window manager windowactivate may fail; focus instead.
		all = append([]string{"windowfocus", "--sync", id}, args...)
		if out2, err2 := exec.Command("xdotool", all...).CombinedOutput(); err2 != nil {
			s.t.Fatalf("xdotool %v: %v\n%s\n%s", args, err2, out, out2)
		}
	}
}

func (s *session) key(keys ...string) {
	s.xdotool(append([]string{"key", "--delay", "60"}, keys...)...)
}

func (s *session) typeText(text string) { s.xdotool("type", "--delay", "40", text) }

// clipboard reads the clipboard's text with xclip.
func clipboard(t *testing.T) string {
	t.Helper()
	out, err := exec.Command(testenv.Tool(t, "xclip"), "-selection", "clipboard", "-o").Output()
	if err != nil {
		return ""
	}
	return string(out)
}

// waitFor polls cond until it holds or timeout passes.
func waitFor(timeout time.Duration, cond func() bool) bool {
	for deadline := time.Now().Add(timeout); ; time.Sleep(100 * time.Millisecond) {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
	}
}

// cli runs the gatekey command line on the same home.
func (s *session) cli(args ...string) string {
	s.t.Helper()
	cmd := exec.Command(s.bin, append(args, "--home", s.home)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		s.t.Fatalf("gatekey %v: %v\n%s", args, err, stderr.String())
	}
	return string(out)
}

// closeAndWait closes the window as a window manager would and expects the
// process to end with status 0 within 5 s (no tray on the test display).
func (s *session) closeAndWait() {
	s.t.Helper()
	s.x.Close(s.t, s.win)
	select {
	case err := <-s.exited:
		if err != nil {
			s.t.Fatalf("gatekey exited with %v after its window was closed; stderr:\n%s", err, s.stderr.String())
		}
	case <-time.After(5 * time.Second):
		s.t.Fatalf("gatekey still runs 5 s after its window was closed")
	}
}

// passwordFile writes pw into a file for the command line's
// --password-file.
func (s *session) passwordFile(pw string) string {
	s.t.Helper()
	p := filepath.Join(s.t.TempDir(), "pw")
	if err := os.WriteFile(p, []byte(pw+"\n"), 0o600); err != nil {
		s.t.Fatal(err)
	}
	return p
}
