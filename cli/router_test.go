package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gatekey/gatekey/internal/testenv"
	"github.com/gatekey/gatekey/routersim"
)

func startRouter(t *testing.T, opts routersim.Options) *routersim.Router {
	t.Helper()
	r, err := routersim.Start(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

func passwordFile(t *testing.T, pw string) string {
	p := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(p, []byte(pw+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// The router commands end to end against the simulator on loopback: add
// with certificate pinning, read, audit, harden, set, capture, reboot, rm.
func TestRouterCommandsOnLAN(t *testing.T) {
	testenv.SecretService(t)
	sim := startRouter(t, routersim.Options{LANHTTPS: "127.0.0.1:0", RebootDelay: 500 * time.Millisecond})
	url := sim.URLs().LANHTTPS
	h := "--home=" + t.TempDir()
	pw := passwordFile(t, "admin")

	code, out, _ := run(t, "router", "probe", "--json", url)
	var probe struct {
		Family, Model, Fingerprint string
		Supported                  bool
	}
	if err := json.Unmarshal([]byte(out), &probe); err != nil || code != ExitOK || probe.Family != "drayos4" || !probe.Supported || probe.Fingerprint != sim.Fingerprint() {
		t.Fatalf("probe: exit %d %s (fingerprint should be %s)", code, out, sim.Fingerprint())
	}

	code, _, errOut := run(t, "router", "add", h, "home", url, "--user", "admin", "--password-file", pw)
	if code != ExitUsage || !strings.Contains(errOut, sim.Fingerprint()) {
		t.Fatalf("add without accepting the fingerprint off a terminal: exit %d stderr %q", code, errOut)
	}
	wrongFP := strings.Repeat("ab", 32)
	if code, _, errOut := run(t, "router", "add", h, "home", url, "--password-file", pw, "--accept-fingerprint", wrongFP); code != ExitFailed || !strings.Contains(errOut, "intercept") {
		t.Fatalf("add with another fingerprint: exit %d stderr %q", code, errOut)
	}
	if code, _, errOut := run(t, "router", "add", h, "home", url, "--password-file", passwordFile(t, "wrong"), "--accept-fingerprint", sim.Fingerprint()); code != ExitFailed || !strings.Contains(errOut, "never retries") {
		t.Fatalf("add with a wrong password: exit %d stderr %q", code, errOut)
	}
	if code, out, _ := run(t, "router", "list", h); code != ExitOK || out != "" {
		t.Fatalf("a failed add left a record: %q", out)
	}
	upperFP := strings.ToUpper(sim.Fingerprint())
	if code, out, errOut := run(t, "router", "add", h, "home", url, "--password-file", pw, "--accept-fingerprint", upperFP); code != ExitOK || !strings.HasPrefix(out, "added home: drayos4") {
		t.Fatalf("add: exit %d stdout %q stderr %q", code, out, errOut)
	}
	code, out, _ = run(t, "router", "list", "--json", h)
	if code != ExitOK || !strings.Contains(out, `"fingerprint": "`+sim.Fingerprint()+`"`) || !strings.Contains(out, `"totp": null`) || strings.Contains(out, "admin\n") {
		t.Errorf("list --json: %s", out)
	}

	code, out, _ = run(t, "router", "mgmt", "--json", h, "home")
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil || code != ExitOK || m["internet"] != false {
		t.Fatalf("mgmt --json: exit %d %s", code, out)
	}

	code, out, _ = run(t, "router", "audit", "--json", h, "home")
	if code != ExitFailed || !strings.Contains(out, `"severity"`) {
		t.Errorf("audit of a router with factory settings: exit %d (want 1) %s", code, out)
	}

	code, out, _ = run(t, "router", "harden", "--dry-run", h, "home")
	if code != ExitOK || !strings.Contains(out, "would change") {
		t.Errorf("harden --dry-run: exit %d %q", code, out)
	}
	if before := sim.Snapshot().Management; !before.HTTP && !before.Telnet {
		t.Logf("factory WAN services: %+v", before)
	}
	code, out, errOut = run(t, "router", "harden", h, "home")
	if code != ExitOK || !strings.Contains(out, "changed") {
		t.Errorf("harden: exit %d stdout %q stderr %q", code, out, errOut)
	}
	after := sim.Snapshot().Management
	if after.HTTP || after.Telnet || after.FTP || after.SNMP || !after.EnforceHTTPS || after.Ping || !after.BruteForce.Enabled || after.Internet {
		t.Errorf("after harden the router holds %+v", after)
	}
	if code, out, _ := run(t, "router", "harden", "--dry-run", h, "home"); code != ExitOK || out != "nothing to change\n" {
		t.Errorf("harden again: exit %d %q", code, out)
	}

	if code, _, _ := run(t, "router", "set", h, "home", "ping=maybe"); code != ExitUsage {
		t.Errorf("set with a bad value: exit %d, want 2", code)
	}
	if code, out, _ := run(t, "router", "set", h, "home", "brute_force_failures=7"); code != ExitOK || !strings.Contains(out, "brute_force_failures") {
		t.Errorf("set: exit %d %q", code, out)
	}
	if got := sim.Snapshot().Management.BruteForce.Failures; got != 7 {
		t.Errorf("the router holds brute-force failures %d, want 7", got)
	}

	capture := filepath.Join(t.TempDir(), "capture.jsonl")
	if code, _, errOut := run(t, "router", "capture", h, "home", capture); code != ExitOK {
		t.Fatalf("capture: exit %d %q", code, errOut)
	}
	data, _ := os.ReadFile(capture)
	if len(data) == 0 || strings.Contains(string(data), "YWRtaW4=") || strings.Contains(string(data), "SESSION_ID_VIGOR=") && !strings.Contains(string(data), "redacted") {
		t.Errorf("the capture is empty or holds the password: %.300s", data)
	}

	// A script without --yes gets a usage error before anything is sent
	// or read from stdin.
	logins := sim.RequestsByPath()["/cgi-bin/wlogin.cgi"]
	var stdout, stderr bytes.Buffer
	stdin := &readSpy{}
	if code := Run([]string{"router", "reboot", h, "home"}, IO{Stdin: stdin, Stdout: &stdout, Stderr: &stderr}); code != ExitUsage {
		t.Errorf("reboot without --yes off a terminal: exit %d, want 2 (stderr %q)", code, stderr.String())
	}
	if stdin.reads != 0 || sim.RequestsByPath()["/cgi-bin/wlogin.cgi"] != logins {
		t.Errorf("reboot without --yes read stdin %d times and logged in %d times", stdin.reads, sim.RequestsByPath()["/cgi-bin/wlogin.cgi"]-logins)
	}
	if code, out, errOut := run(t, "router", "reboot", "--yes", h, "home"); code != ExitOK || !strings.Contains(out, "home is back") {
		t.Errorf("reboot: exit %d stdout %q stderr %q", code, out, errOut)
	}

	if code, _, _ := run(t, "router", "rm", h, "home"); code != ExitOK {
		t.Errorf("rm failed")
	}
	if code, _, _ := run(t, "router", "status", h, "home"); code != ExitFailed {
		t.Errorf("status of a removed router: exit %d", code)
	}
}

// A WAN login with TOTP: the router's secret goes into the vault, the router
// is linked to it, and every command computes the code at the last moment.
func TestRouterTOTPFromWAN(t *testing.T) {
	testenv.SecretService(t)
	sim := startRouter(t, routersim.Options{LANHTTPS: "127.0.0.1:0", WANHTTPS: "127.0.0.1:0"})
	secret, err := sim.EnrollTOTP()
	if err != nil {
		t.Fatal(err)
	}
	if err := sim.Update(func(s *routersim.State) {
		s.Management.Internet, s.Management.HTTPS = true, true
	}); err != nil {
		t.Fatal(err)
	}
	h := "--home=" + t.TempDir()
	if code, _, errOut := run(t, "add", h, "otpauth://totp/DrayTek:office?secret="+secret+"&issuer=DrayTek"); code != ExitOK {
		t.Fatalf("add account: %d %q", code, errOut)
	}
	wan := sim.URLs().WANHTTPS
	pw := passwordFile(t, "admin")
	if code, _, errOut := run(t, "router", "add", h, "office", wan, "--password-file", pw, "--accept-fingerprint", sim.Fingerprint()); code != ExitFailed || !strings.Contains(errOut, "--totp") {
		t.Fatalf("add over the WAN without a TOTP account: exit %d stderr %q", code, errOut)
	}
	if code, _, errOut := run(t, "router", "add", h, "office", wan, "--password-file", pw, "--accept-fingerprint", sim.Fingerprint(), "--totp", "office"); code != ExitOK {
		t.Fatalf("add over the WAN with TOTP: exit %d stderr %q", code, errOut)
	}
	code, out, errOut := run(t, "router", "status", "--json", h, "office")
	if code != ExitOK || !strings.Contains(out, `"model"`) {
		t.Fatalf("status over the WAN (a second login, in the next period): exit %d %q %q", code, out, errOut)
	}
}

// readSpy is a stdin that counts reads and gives nothing.
type readSpy struct{ reads int }

func (r *readSpy) Read([]byte) (int, error) { r.reads++; return 0, io.EOF }
