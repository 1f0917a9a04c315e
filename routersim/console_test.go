package routersim

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestConsoleSysAndErrors(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	r := startRouter(t, Options{Now: clock.Now, ClockOffset: 90 * time.Second, Model: "Vigor2927Lac", Firmware: "4.5.2.2"})
	c := newClient(t, r, r.URLs().LANHTTPS)
	c.mustLogin("admin", "admin", nil)
	if out := c.console("sys version"); !strings.HasPrefix(out, "Router Model: Vigor2927Lac    Version: 4.5.2.2 English\n") {
		t.Fatalf("sys version: %q", out)
	}
	want := "Current Time: [" + clock.Now().Add(90*time.Second).UTC().Format("2006-01-02 15:04:05") + "]"
	if out := c.console("sys time show"); !strings.Contains(out, want) || !strings.Contains(out, "Time Server: [pool.ntp.org]") {
		t.Fatalf("sys time show: %q, want %q", out, want)
	}

	// Anything else answers an error.
	for _, cmd := range []string{"sys cfg default", "sys adminuser view", "mngt rmtcfg gopher on", "hello", "mngt rmtcfg https maybe"} {
		if out := c.console(cmd); !strings.Contains(out, "Unknown") && !strings.Contains(out, "Invalid") {
			t.Errorf("%q: no error reply: %q", cmd, out)
		}
	}
	if out := c.console(strings.Repeat("x", 600)); !strings.Contains(out, "Invalid") {
		t.Errorf("long command: %q", out)
	}

}

func TestConsoleCommands(t *testing.T) {
	t.Parallel()
	r := startRouter(t, Options{})
	c := newClient(t, r, r.URLs().LANHTTPS)
	c.mustLogin("admin", "admin", nil)

	// A service switch while remote management is off fails.
	if out := c.console("mngt rmtcfg https on"); !strings.Contains(out, "has been disabled") {
		t.Fatalf("rmtcfg https on while disabled: %q", out)
	}
	for _, cmd := range []string{"mngt rmtcfg enable", "mngt rmtcfg https on", "mngt rmtcfg http off", "mngt rmtcfg enforce_https on", "mngt rmtcfg ssh on"} {
		if out := c.console(cmd); !strings.Contains(out, "Set OK") {
			t.Fatalf("%s: %q", cmd, out)
		}
	}
	status := c.console("mngt rmtcfg status")
	for _, line := range []string{"Remote Management: Enabled", "HTTPS: on", "HTTP: off", "Enforce HTTPS: on", "SSH: on", "TR-069: off", "SNMP: off", "FTP: off", "Telnet: off"} {
		if !strings.Contains(status, line+"\n") {
			t.Errorf("rmtcfg status lacks %q:\n%s", line, status)
		}
	}
	// The Management page reads the console's changes back.
	f := readForm(t, c.page("2041").body)
	checkValues(t, f, map[string]string{"sRMC": "1", "sRMCHttps": "1", "sRMCSsh": "1", "sRMCHttp": ""})

	// echoicmp reads the other way round from sWPing.
	if out := c.console("mngt echoicmp"); strings.TrimSpace(out) != "Echo ICMP: enable" {
		t.Fatalf("echoicmp: %q", out)
	}
	c.console("mngt echoicmp disable")
	if out := c.console("mngt echoicmp"); strings.TrimSpace(out) != "Echo ICMP: disable" || r.Snapshot().Management.Ping {
		t.Fatalf("echoicmp after disable: %q", out)
	}

	// Nothing is in flash until sys commit.
	if r.Committed().Management.Internet {
		t.Fatal("console change committed without sys commit")
	}
	c.console("sys commit")
	if diff := cmp.Diff(r.Snapshot(), r.Committed()); diff != "" {
		t.Fatalf("sys commit (-running +committed):\n%s", diff)
	}
	// The console needs the session: a stranger is sent to the login page.
	anon := newClient(t, r, r.URLs().LANHTTPS)
	if rep := anon.post("/cgi-bin/v2x00.cgi", url.Values{"fid": {"310"}, "cmd": {"sys version"}, "sFormAuthStr": {c.token}}); rep.status != http.StatusFound {
		t.Fatalf("console without session: %d", rep.status)
	}
}

func TestConsoleAccessList(t *testing.T) {
	t.Parallel()
	r := startRouter(t, Options{})
	c := newClient(t, r, r.URLs().LANHTTPS)
	c.mustLogin("admin", "admin", nil)
	// Entries are object indexes, groups and host names (drayos-web.md
	// §4.1); without an index an entry takes the first free place.
	for _, cmd := range []string{"mngt accesslist add 1 7", "mngt accesslist add 3 G2", "mngt accesslist add 12"} {
		if out := c.console(cmd); !strings.Contains(out, "Set OK") {
			t.Fatalf("%s: %q", cmd, out)
		}
	}
	if out := c.console("mngt accesslist list"); out != "1: 7\n2: 12\n3: g2\n" {
		t.Fatalf("accesslist list: %q", out)
	}
	c.console("mngt accesslist remove 1")
	if out := c.console("mngt accesslist list"); out != "2: 12\n3: g2\n" {
		t.Fatalf("after remove: %q", out)
	}
	if out := c.console("mngt accesslist add 11 5"); !strings.Contains(out, "Invalid") {
		t.Fatalf("index 11: %q", out)
	}
	for _, bad := range []string{"203.0.113.0/24", "192.0.2.1", "193", "g33", "not_a_name"} {
		if out := c.console("mngt accesslist add 4 " + bad); !strings.Contains(out, "Invalid") {
			t.Fatalf("bad entry %q: %q", bad, out)
		}
	}
	// A host name keeps its case; it is shown as typed.
	c.console("mngt accesslist add 4 VPN.example.net")
	if out := c.console("mngt accesslist list"); out != "2: 12\n3: g2\n4: VPN.example.net\n" {
		t.Fatalf("after adding a host name: %q", out)
	}
	c.console("mngt accesslist flush")
	if out := c.console("mngt accesslist list"); out != "" {
		t.Fatalf("after flush: %q", out)
	}

}

func TestConsoleBruteForceAndPorts(t *testing.T) {
	t.Parallel()
	r := startRouter(t, Options{})
	c := newClient(t, r, r.URLs().LANHTTPS)
	c.mustLogin("admin", "admin", nil)
	// Brute-force protection.
	if out := c.console("mngt bfp -e on -s http,https -l 5 -p 1800"); !strings.Contains(out, "Set OK") {
		t.Fatalf("bfp: %q", out)
	}
	out := c.console("mngt bfp -v")
	for _, line := range []string{"Enable: on", "Services: HTTP HTTPS", "Login Failures: 5", "Penalty Period: 1800"} {
		if !strings.Contains(out, line+"\n") {
			t.Errorf("bfp -v lacks %q: %q", line, out)
		}
	}
	if out := c.console("mngt bfp -l 0"); !strings.Contains(out, "Invalid") {
		t.Fatalf("bfp -l 0: %q", out)
	}

	// Ports: the change waits for a reboot.
	if out := c.console("mngt httpsport 8443"); !strings.Contains(out, "Set https server port to 8443 done.") || !r.RebootPending() {
		t.Fatalf("httpsport: %q", out)
	}
	if out := c.console("mngt httpsport"); !strings.Contains(out, "8443") {
		t.Fatalf("httpsport read: %q", out)
	}

}
