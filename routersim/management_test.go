package routersim

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestManagementFormSaveAndReadBack(t *testing.T) {
	t.Parallel()
	// The check box value is a profile name: test the default and plain HTML.
	for _, cb := range []string{"", "on", CheckboxNoValue} {
		t.Run("checkbox="+cb, func(t *testing.T) {
			t.Parallel()
			managementRoundTrip(t, cb)
		})
	}
}

// managementRoundTrip saves the Management form with a router whose check
// boxes carry cb and reads the page back.
func managementRoundTrip(t *testing.T, cb string) {
	r := startRouter(t, Options{Names: Names{CheckboxValue: cb}})
	c := newClient(t, r, r.URLs().LANHTTP)
	c.mustLogin("admin", "admin", nil)
	page := c.page("2041")
	f := readForm(t, page.body)
	if f.action != "../cgi-bin/acontrol.cgi" {
		t.Fatalf("form action %q", f.action)
	}
	checkManagementFields(t, page.body, f)
	// Factory defaults as the page shows them.
	if f.values.Get("sRMC") != "" || f.values.Get("ConfigPort") != "Default" || f.values.Get("HttpsPort") != "443" {
		t.Fatalf("defaults: sRMC=%q ConfigPort=%q HttpsPort=%q", f.values.Get("sRMC"), f.values.Get("ConfigPort"), f.values.Get("HttpsPort"))
	}

	f.check(t, "sRMC", true)
	f.check(t, "sRMCHttps", true)
	f.check(t, "iRMCHsfrc", true)
	f.check(t, "sWPing", true)
	f.check(t, "enTLSv1_1", false)
	// The access list holds object indexes, groups and host names.
	f.values.Set("index1", "007")
	f.values.Set("index2", "g2")
	f.values.Set("index3", "vpn.example.net")
	f.check(t, "iBrEn", true)
	f.values.Set("iLoginFailures", "5")
	f.values.Set("iPenaltyPeriod", "1800")
	rep := c.submit("/doc/acontrol.sht", f)
	if rep.status != http.StatusFound || rep.loc != "/doc/acontrol.sht" {
		t.Fatalf("save: got %d to %q: %s", rep.status, rep.loc, rep.body)
	}
	back := readForm(t, c.get(rep.loc).body)
	checkValues(t, back, map[string]string{
		"sRMC": f.checkboxValue["sRMC"], "sRMCHttps": f.checkboxValue["sRMCHttps"], "sWPing": f.checkboxValue["sWPing"],
		"enTLSv1_1": "", "index1": "7", "index2": "g2", "index3": "vpn.example.net", "iLoginFailures": "5", "iPenaltyPeriod": "1800",
	})
	m := r.Snapshot().Management
	want := []bool{m.Internet, m.HTTPS, m.EnforceHTTPS, !m.Ping, !m.TLS.TLS11, m.BruteForce.Enabled, m.BruteForce.PenaltySeconds == 1800}
	if slices.Contains(want, false) {
		t.Fatalf("state after save: %+v", m)
	}
	// Form saves are written to flash at once.
	if diff := cmp.Diff(r.Snapshot(), r.Committed()); diff != "" {
		t.Fatalf("form save not committed (-running +committed):\n%s", diff)
	}
}

// checkValues checks fields of a form read back.
func checkValues(t *testing.T, f htmlForm, want map[string]string) {
	t.Helper()
	for field, w := range want {
		if got := f.values.Get(field); got != w {
			t.Errorf("read back %s = %q, want %q", field, got, w)
		}
	}
}

// checkManagementFields checks that the Management page has every field of
// drayos-web.md §4.1 and its labels.
func checkManagementFields(t *testing.T, page string, f htmlForm) {
	t.Helper()
	for _, field := range []string{"sRMC", "sRMCFtp", "sRMCHttp", "sRMCHttps", "sRMCTelnet", "sRMCTr069", "sRMCSsh", "sRMCSnmp",
		"iRMCHsfrc", "sWPing", "iBrEn", "iBrHttp", "iBrHttps", "iBrTelnet", "iBrSsh", "iBrFtp", "iBrTr069",
		"enTLSv1_2", "enTLSv1_1", "enTLSv1", "enSSLv3", "sDeflogoff", "sValidatedCode",
		"sIp6RMC", "sIp6Http", "sIp6Https", "sIp6Telnt", "sIp6Ssh", "sIp6Snmp", "sIp6Ping"} {
		if _, ok := f.checkboxValue[field]; !ok {
			t.Errorf("no check box %s", field)
		}
	}
	for _, field := range []string{"index1", "index10", "v6index1", "v6index10", "ConfigPort", "HttpPort", "HttpsPort", "TelnetPort", "txtFtpPort",
		"txtTr069Port", "txtSshPort", "iLoginFailures", "iPenaltyPeriod", "sFormAuthStr", "webchange"} {
		if _, ok := f.values[field]; !ok {
			t.Errorf("no field %s", field)
		}
	}
	for _, label := range []string{"Allow management from the Internet", "Disable PING from the Internet", "Enforce HTTPS Access", "Enable Validation Code"} {
		if !strings.Contains(page, label) {
			t.Errorf("no label %q", label)
		}
	}
}

func TestManagementFormRules(t *testing.T) {
	t.Parallel()
	r := startRouter(t, Options{})
	c := newClient(t, r, r.URLs().LANHTTP)
	c.mustLogin("admin", "admin", nil)
	f := readForm(t, c.page("2041").body)

	// A check box posted with another value than its own counts as unchecked.
	f.values.Set("sRMC", "yes")
	c.submit("/doc/acontrol.sht", f)
	if r.Snapshot().Management.Internet {
		t.Fatal("sRMC=yes counted as checked")
	}
	// The first occurrence of a field counts.
	f.values["sRMCHttps"] = []string{"", "1"}
	c.submit("/doc/acontrol.sht", f)
	if r.Snapshot().Management.HTTPS {
		t.Fatal("the second occurrence of a field counted")
	}
	f = readForm(t, c.get("/doc/acontrol.sht").body)
	// A missing field rejects the whole save, naming the field.
	before := r.Snapshot()
	g := readForm(t, c.get("/doc/acontrol.sht").body)
	g.check(t, "sRMC", true)
	g.values.Del("index7")
	if rep := c.submit("/doc/acontrol.sht", g); rep.status != http.StatusBadRequest || !strings.Contains(rep.body, "index7") {
		t.Fatalf("missing field: got %d %s", rep.status, rep.body)
	}
	// A bad access-list entry is refused: addresses and CIDRs are objects'
	// business now, and indexes stay within the objects and groups.
	for _, bad := range []string{"300.1.1.1", "203.0.113.0/24", "192.0.2.1", "193", "0", "g33", "g0", "bad_name", "-x.example"} {
		g = readForm(t, c.get("/doc/acontrol.sht").body)
		g.values.Set("index1", bad)
		if rep := c.submit("/doc/acontrol.sht", g); rep.status != http.StatusBadRequest || !strings.Contains(rep.body, "index1") {
			t.Fatalf("bad entry %q: got %d %s", bad, rep.status, rep.body)
		}
	}
	// Without webchange=1 nothing changes.
	g = readForm(t, c.get("/doc/acontrol.sht").body)
	g.check(t, "sRMC", true)
	g.values.Del("webchange")
	if rep := c.submit("/doc/acontrol.sht", g); rep.status != http.StatusFound {
		t.Fatalf("no webchange: %d", rep.status)
	}
	if diff := cmp.Diff(before, r.Snapshot()); diff != "" {
		t.Fatalf("a refused save changed the state:\n%s", diff)
	}

	// A port change answers with the Reboot System page.
	f.values.Set("ConfigPort", "UserDefine")
	f.values.Set("HttpsPort", "8443")
	rep := c.submit("/doc/acontrol.sht", f)
	if rep.status != http.StatusOK || !strings.Contains(rep.body, `name="sReboot"`) {
		t.Fatalf("port change: got %d to %q", rep.status, rep.loc)
	}
	if !r.RebootPending() || r.Committed().Management.EffectivePorts().HTTPS != 8443 {
		t.Fatalf("port change not saved: pending %v, ports %+v", r.RebootPending(), r.Committed().Management.EffectivePorts())
	}
	if got := readForm(t, c.get("/doc/acontrol.sht").body).values.Get("HttpsPort"); got != "8443" {
		t.Fatalf("HttpsPort read back %q", got)
	}
}

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
