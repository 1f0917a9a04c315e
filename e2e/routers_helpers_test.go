//go:build linux

package e2e

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gatekey/gatekey/internal/desktoptest"
	"github.com/gatekey/gatekey/routersim"
)

// click clicks at (x, y) of the Gatekey window and lets it redraw.
func (s *session) click(x, y int) {
	s.t.Helper()
	s.xdotool("mousemove", "--window", strconv.FormatUint(uint64(s.win), 10), strconv.Itoa(x), strconv.Itoa(y), "click", "1")
	time.Sleep(400 * time.Millisecond)
}

// clickUntil clicks at (x, y) until cond holds, again every few seconds
// while the window is still busy (a probe, a login, a scan), and fails the
// test after timeout. A click that lands before a button is shown, or on a
// disabled one, does nothing, so retrying is safe where the test uses it.
func (s *session) clickUntil(x, y int, timeout time.Duration, what string, cond func() bool) {
	s.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		s.click(x, y)
		if waitFor(3*time.Second, cond) {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("%s: not done after %v", what, timeout)
		}
	}
}

// requests counts the requests the simulated router received for path.
func requests(r *routersim.Router, path string) int { return r.RequestsByPath()[path] }

// fill clicks an entry, selects what it holds and types text over it.
func (s *session) fill(x, y int, text string) {
	s.t.Helper()
	s.click(x, y)
	s.key("ctrl+a")
	s.typeText(text)
}

// currentCode is the code of the router's account, as `gatekey code` prints
// it, waiting for a fresh period when fewer than 8 s are left.
func (s *session) currentCode() string {
	s.t.Helper()
	for range 3 {
		var codes []struct {
			Code      string `json:"code"`
			Remaining int    `json:"remaining"`
		}
		if !waitFor(30*time.Second, func() bool {
			return json.Unmarshal([]byte(s.cli("code", "--json", "DrayTek")), &codes) == nil && len(codes) == 1
		}) {
			s.t.Fatalf("no single DrayTek account in the vault: %+v", codes)
		}
		code, left := codes[0].Code, codes[0].Remaining
		if code != "" && left >= 8 {
			return code
		}
		time.Sleep(time.Duration(left+1) * time.Second)
	}
	s.t.Fatal("no code for the DrayTek account")
	return ""
}

// routerBrowser is chromium showing the router's web interface.
type routerBrowser struct {
	t   *testing.T
	cmd *exec.Cmd
	win string
}

// startRouterBrowser opens url in chromium on the right of the screen.
// --ignore-certificate-errors is for this test only: the simulated router's
// certificate is self-signed.
func startRouterBrowser(t *testing.T, url string) *routerBrowser {
	t.Helper()
	cmd := desktoptest.Chromium(t, url, "--ignore-certificate-errors", "--window-position=800,0", "--window-size=1100,1000")
	b := &routerBrowser{t: t, cmd: cmd}
	if !waitFor(60*time.Second, func() bool {
		out, _ := exec.Command("xdotool", "search", "--onlyvisible", "--name", "Vigor Login Page").Output()
		b.win = strings.TrimSpace(strings.Split(string(out), "\n")[0])
		return b.win != ""
	}) {
		t.Fatal("chromium did not show the router's login page")
	}
	time.Sleep(time.Second)
	return b
}

func (b *routerBrowser) xdotool(args ...string) {
	b.t.Helper()
	all := append([]string{"windowactivate", "--sync", b.win}, args...)
	if out, err := exec.Command("xdotool", all...).CombinedOutput(); err != nil {
		all = append([]string{"windowfocus", "--sync", b.win}, args...)
		if out2, err2 := exec.Command("xdotool", all...).CombinedOutput(); err2 != nil {
			b.t.Fatalf("xdotool %v: %v\n%s\n%s", args, err2, out, out2)
		}
	}
}

func (b *routerBrowser) keys(keys ...string) {
	b.xdotool(append([]string{"key", "--delay", "120"}, keys...)...)
}

func (b *routerBrowser) typeText(text string) { b.xdotool("type", "--delay", "40", text) }

// login fills the router's login form as a person does: the username field
// is the first on the page.
func (b *routerBrowser) login(user, password string) {
	b.keys("Tab")
	b.typeText(user)
	b.keys("Tab")
	b.typeText(password)
	b.keys("Return")
	time.Sleep(2 * time.Second)
}

// open goes to url through the address bar.
func (b *routerBrowser) open(url string) {
	b.keys("ctrl+l")
	b.typeText(url)
	b.keys("Return")
	time.Sleep(2 * time.Second)
}

// enableTOTP does what the wizard tells the person: type the code in
// "Validation code", tick "Enable Advanced Authentication method when login
// from WAN", and press OK. Find-in-page puts the keyboard focus near the
// label, from where Tab and Shift+Tab walk the form.
func (b *routerBrowser) enableTOTP(code string) {
	b.keys("ctrl+f")
	b.typeText("Validation code")
	b.keys("Escape", "Tab")
	b.typeText(code)
	b.keys("shift+Tab", "shift+Tab", "shift+Tab", "space")
	b.keys("Tab", "Tab", "Tab", "Tab", "Tab", "Return")
}

// shot saves a screenshot of the whole screen (Gatekey and the browser).
func (b *routerBrowser) shot(t *testing.T, s *session, name string) {
	path := filepath.Join(s.shots, name+".png")
	if out, err := exec.Command("import", "-window", "root", path).CombinedOutput(); err != nil {
		t.Logf("screenshot %s: %v %s", name, err, out)
	}
}
