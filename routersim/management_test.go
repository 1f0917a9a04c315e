package routersim

import (
	"net/http"
	"slices"
	"strings"
	"testing"

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
