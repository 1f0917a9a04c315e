package routersim

import (
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/gatekey/gatekey/internal/testenv"
)

func TestIPv6ManagementForm(t *testing.T) {
	t.Parallel()
	r := startRouter(t, Options{})
	c := newClient(t, r, r.URLs().LANHTTP)
	c.mustLogin("admin", "admin", nil)
	f := readForm(t, c.page("2041").body)
	// Factory: off, HTTPS selected, pings answered (sIp6Ping unchecked).
	checkValues(t, f, map[string]string{"sIp6RMC": "", "sIp6Https": "1", "sIp6Ping": "", "v6index1": ""})
	f.check(t, "sIp6RMC", true)
	f.check(t, "sIp6Http", true)
	f.check(t, "sIp6Ssh", true)
	f.check(t, "sIp6Ping", true)
	f.values.Set("v6index1", "2001:DB8::1:2/32")
	f.values.Set("v6index2", "2001:db8:0::5/128")
	if rep := c.submit("/doc/acontrol.sht", f); rep.status != http.StatusFound {
		t.Fatalf("save: %d %s", rep.status, rep.body)
	}
	v6 := r.Snapshot().Management.IPv6
	if !v6.Internet || !v6.HTTP || !v6.HTTPS || !v6.SSH || v6.Telnet || v6.SNMP || v6.Ping {
		t.Fatalf("IPv6 settings after save: %+v", v6)
	}
	// The IPv4 switches are separate.
	if m := r.Snapshot().Management; m.Internet || m.HTTP || !m.Ping {
		t.Fatal("the IPv6 switches changed IPv4 ones")
	}
	back := readForm(t, c.get("/doc/acontrol.sht").body)
	checkValues(t, back, map[string]string{"sIp6RMC": "1", "sIp6Ping": "1", "v6index1": "2001:db8::/32", "v6index2": "2001:db8::5"})
	// Anything but an IPv6 address or prefix is refused, naming the field.
	for _, bad := range []string{"192.0.2.1", "3", "2001:db8::/129", "fe80::1%eth0", "::ffff:192.0.2.1"} {
		g := readForm(t, c.get("/doc/acontrol.sht").body)
		g.values.Set("v6index3", bad)
		if rep := c.submit("/doc/acontrol.sht", g); rep.status != http.StatusBadRequest || !strings.Contains(rep.body, "v6index3") {
			t.Fatalf("v6index3=%q: %d %s", bad, rep.status, rep.body)
		}
	}
}

// startIPv6Router starts a router with IPv4 and IPv6 WAN listeners, or
// reports that IPv6 loopback is missing here.
func startIPv6Router(t *testing.T, o Options) *Router {
	t.Helper()
	ln, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		testenv.Unavailable(t, "no IPv6 loopback: "+err.Error())
	}
	ln.Close()
	o.WANHTTP6, o.WANHTTPS6 = "[::1]:0", "[::1]:0"
	return startRouter(t, o)
}

func TestIPv6WANListener(t *testing.T) {
	t.Parallel()
	r := startIPv6Router(t, Options{})
	u := r.URLs()
	if !strings.HasPrefix(u.WANHTTPS6, "https://[::1]:") || !strings.HasPrefix(u.WANHTTP6, "http://[::1]:") {
		t.Fatalf("IPv6 URLs %q %q", u.WANHTTPS6, u.WANHTTP6)
	}
	v6 := newClient(t, r, u.WANHTTPS6)
	v6.source = "2001:db8:1::7"
	// Off by default: the page loads, the login fails.
	if rep := v6.get("/weblogin.htm"); rep.status != http.StatusOK {
		t.Fatalf("IPv6 login page: %d", rep.status)
	}
	// IPv4 management from the Internet does not open IPv6.
	if err := r.Update(func(s *State) { s.Management.Internet, s.Management.HTTPS = true, true }); err != nil {
		t.Fatal(err)
	}
	if rep := v6.login("admin", "admin", nil); rep.loc != "/weblogin.htm" {
		t.Fatalf("IPv6 login with only IPv4 management on: %d to %q", rep.status, rep.loc)
	}
	// IPv6 on, HTTPS only: HTTPS logs in, HTTP closes the connection, and
	// IPv4's Enforce HTTPS redirects nothing here.
	if err := r.Update(func(s *State) {
		s.Management.IPv6.Internet, s.Management.IPv6.HTTPS, s.Management.IPv6.HTTP = true, true, false
		s.Management.EnforceHTTPS = true
	}); err != nil {
		t.Fatal(err)
	}
	v6.mustLogin("admin", "admin", nil)
	v6.page("2041")
	plain := newClient(t, r, u.WANHTTP6)
	if rep, err := plain.try(http.MethodGet, "/weblogin.htm", nil); err == nil {
		t.Fatalf("IPv6 HTTP answered %d although it is off", rep.status)
	}
	if err := r.Update(func(s *State) { s.Management.IPv6.HTTP = true }); err != nil {
		t.Fatal(err)
	}
	if rep := plain.get("/weblogin.htm"); rep.status != http.StatusOK {
		t.Fatalf("IPv6 HTTP with the service on: %d to %q", rep.status, rep.loc)
	}
	// The IPv6 access list decides who comes in.
	if err := r.Update(func(s *State) { s.Management.IPv6.AccessList = [10]string{"2001:db8::/32"} }); err != nil {
		t.Fatal(err)
	}
	v6.mustLogin("admin", "admin", nil)
	outside := newClient(t, r, u.WANHTTPS6)
	outside.source = "2001:db9::1"
	if rep := outside.login("admin", "admin", nil); rep.loc != "/weblogin.htm" {
		t.Fatalf("IPv6 source outside the list: %d to %q", rep.status, rep.loc)
	}
}

func TestIPv6OpenAndTR069Open(t *testing.T) {
	t.Parallel()
	r := startIPv6Router(t, Options{IPv6Open: true, TR069Open: true})
	m := r.Snapshot().Management
	if !m.IPv6.Internet || !m.IPv6.HTTP || !m.IPv6.HTTPS || !m.Internet || !m.TR069 {
		t.Fatalf("start-up settings not applied: IPv6 %+v, IPv4 internet %v tr069 %v", m.IPv6, m.Internet, m.TR069)
	}
	if m != r.Committed().Management {
		t.Fatal("start-up settings not written to flash")
	}
	c := newClient(t, r, r.URLs().WANHTTP6)
	c.source = "2001:db8::99"
	c.mustLogin("admin", "admin", nil)
}
