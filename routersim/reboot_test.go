package routersim

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// waitBack polls the login page until the router answers again.
func waitBack(t *testing.T, c *client) time.Duration {
	t.Helper()
	start := time.Now()
	for time.Since(start) < 10*time.Second {
		if rep, err := c.try(http.MethodGet, "/weblogin.htm", nil); err == nil && rep.status == http.StatusOK {
			return time.Since(start)
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatal("the router did not come back after a reboot")
	return 0
}

func TestRebootWithAndWithoutCommit(t *testing.T) {
	t.Parallel()
	r := startRouter(t, Options{RebootDelay: 400 * time.Millisecond})
	c := newClient(t, r, r.URLs().LANHTTP)
	c.mustLogin("admin", "admin", nil)

	reboot := func() {
		t.Helper()
		f := readForm(t, c.page("2201").body)
		if f.values.Get("sReboot") != "Current" {
			t.Fatalf("reboot form: %v", f.values)
		}
		rep := c.submit("/doc/rebootsys.sht", f)
		if rep.status != http.StatusOK || !strings.Contains(rep.body, "Router is restarting") {
			t.Fatalf("reboot: got %d %s", rep.status, rep.body)
		}
		time.Sleep(100 * time.Millisecond)
		// Both listeners are unreachable while the router restarts.
		for _, base := range []string{r.URLs().LANHTTP, r.URLs().WANHTTPS} {
			if _, err := newClient(t, r, base).try(http.MethodGet, "/weblogin.htm", nil); err == nil {
				t.Fatalf("%s answered during the reboot", base)
			}
		}
		if d := waitBack(t, c); d < 150*time.Millisecond {
			t.Fatalf("back after %v, before the reboot delay", d)
		}
	}

	// A console change without sys commit is lost.
	c.console("mngt rmtcfg enable")
	reboot()
	if rep := c.get("/doc/acontrol.sht"); rep.loc != "/weblogin.htm" {
		t.Fatalf("the session survived the reboot: %d %q", rep.status, rep.loc)
	}
	c.mustLogin("admin", "admin", nil)
	if out := c.console("mngt rmtcfg status"); !strings.Contains(out, "Remote Management: Disabled") {
		t.Fatalf("uncommitted change kept: %q", out)
	}

	// With sys commit it is kept.
	c.console("mngt rmtcfg enable")
	c.console("sys commit")
	reboot()
	c.mustLogin("admin", "admin", nil)
	if out := c.console("mngt rmtcfg status"); !strings.Contains(out, "Remote Management: Enabled") {
		t.Fatalf("committed change lost: %q", out)
	}

	// sys reboot from the console, and Reboot from a test, behave the same.
	if out := c.console("sys reboot"); !strings.Contains(out, "restarting") {
		t.Fatalf("sys reboot: %q", out)
	}
	waitBack(t, c)
	r.Reboot()
	if !r.Rebooting() {
		t.Fatal("Reboot did not start a reboot")
	}
	waitBack(t, c)
}

func TestStateSurvivesRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	r := startRouter(t, Options{StateDir: dir, AdminPassword: "first"})
	fp := r.Fingerprint()
	secret, err := r.EnrollTOTP()
	if err != nil {
		t.Fatal(err)
	}
	c := newClient(t, r, r.URLs().LANHTTP)
	c.mustLogin("admin", "first", nil)
	f := readForm(t, c.page("2041").body)
	f.check(t, "sRMC", true)
	f.values.Set("index1", "4")
	c.submit("/doc/acontrol.sht", f)
	c.console("mngt rmtcfg ssh on") // not committed: lost at restart
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}

	// The factory password of the second start is ignored: the state exists.
	r2 := startRouter(t, Options{StateDir: dir, AdminPassword: "second"})
	if r2.Fingerprint() != fp {
		t.Fatal("the certificate changed across a restart")
	}
	st := r2.Snapshot()
	if !st.Management.Internet || st.Management.AccessList[0] != "4" || st.Management.SSH ||
		st.TOTP.Secret != secret || !st.TOTP.Enabled || st.AdminPassword != "first" {
		t.Fatalf("state after restart: internet %v, list %q, ssh %v, TOTP %v, password kept %v",
			st.Management.Internet, st.Management.AccessList, st.Management.SSH, st.TOTP.Enabled, st.AdminPassword == "first")
	}
	c2 := newClient(t, r2, r2.URLs().LANHTTPS)
	c2.mustLogin("admin", "first", nil)
}

func TestFaultsLatencyAndCounters(t *testing.T) {
	t.Parallel()
	r := startRouter(t, Options{})
	c := newClient(t, r, r.URLs().LANHTTP)
	r.ResetRequests()

	r.FailRequests(2)
	for i := 0; i < 2; i++ {
		if rep := c.get("/weblogin.htm"); rep.status != http.StatusInternalServerError {
			t.Fatalf("fault %d: %d", i, rep.status)
		}
	}
	// A failed request acts on nothing: this login did not happen.
	r.FailRequests(1)
	if rep := c.login("admin", "admin", nil); rep.status != http.StatusInternalServerError || r.LoggedIn() {
		t.Fatalf("faulted login: %d, logged in %v", rep.status, r.LoggedIn())
	}
	c.mustLogin("admin", "admin", nil)

	r.DropConnections(1)
	fresh := newClient(t, r, r.URLs().LANHTTP)
	if _, err := fresh.try(http.MethodGet, "/weblogin.htm", nil); err == nil {
		t.Fatal("a dropped connection answered")
	}
	fresh.get("/weblogin.htm")

	r.SetLatency(150 * time.Millisecond)
	start := time.Now()
	c.get("/weblogin.htm")
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Fatalf("latency: request took %v", d)
	}
	r.SetLatency(0)

	if got := r.Requests(); got != 6 {
		t.Fatalf("Requests() = %d, want 6", got)
	}
	by := r.RequestsByPath()
	if by["/weblogin.htm"] != 4 || by["/cgi-bin/wlogin.cgi"] != 2 {
		t.Fatalf("RequestsByPath() = %v", by)
	}

	// The Date header carries the router's clock.
	r.SetClockOffset(-2 * time.Hour)
	rep := c.get("/weblogin.htm")
	d, err := http.ParseTime(rep.header.Get("Date"))
	if err != nil {
		t.Fatal(err)
	}
	if off := time.Until(d); off > -119*time.Minute || off < -121*time.Minute {
		t.Fatalf("Date header %v is %v from now, want about -2h", d, off)
	}
}
