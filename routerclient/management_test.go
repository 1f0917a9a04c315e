package routerclient

import (
	"errors"
	"testing"
	"time"

	"github.com/gatekey/gatekey/routersim"
	"github.com/google/go-cmp/cmp"
)

func consoleFirst() *Profile {
	p := DefaultProfile()
	p.SettingsPaths = []string{pathConsole, pathForm}
	return p
}

// settingsPathState is a router with management from the Internet on,
// an access list of an object, a group and a host name, another object
// that holds 203.0.113.7, and IPv6 management on.
func settingsPathState(s *routersim.State) {
	s.Management.Internet, s.Management.HTTPS, s.Management.Telnet = true, true, true
	allowObject(s, 1, 5, "office", "198.51.100.0/24")
	s.Management.AccessList[1] = "g2"
	s.Management.AccessList[2] = "vpn.example.net"
	s.Objects[6] = routersim.IPObject{Name: "partner", Type: routersim.ObjectSingle, Start: "203.0.113.7", End: "0.0.0.0", Mask: "0.0.0.0"}
	s.Management.IPv6 = routersim.IPv6Management{Internet: true, HTTP: true, HTTPS: true, AccessList: [10]string{"2001:db8:1::/48"}}
}

// Both settings paths read the same settings (objects resolved, IPv6 from
// the page) and write them, reusing an object that holds an address,
// filling a free one for a new network and leaving the others alone.
func TestSettingsPaths(t *testing.T) {
	t.Parallel()
	paths := []struct {
		name    string
		profile *Profile
	}{
		{"form", DefaultProfile()},
		{"console", consoleFirst()},
	}
	for _, v := range nameVariants {
		for _, path := range paths {
			t.Run(v.name+"/"+path.name, func(t *testing.T) {
				t.Parallel()
				r := startSim(t, routersim.Options{Names: v.names})
				if err := r.Update(settingsPathState); err != nil {
					t.Fatal(err)
				}
				before := r.Snapshot()
				s := login(t, lanClient(t, r, WithProfile(path.profile)), adminCreds, nil)
				m, err := s.ReadManagement(t.Context())
				if err != nil {
					t.Fatal(err)
				}
				if d := cmp.Diff(fromSim(before), m); d != "" {
					t.Fatalf("read (-sim +client):\n%s", d)
				}
				if want := []string{"198.51.100.0/24", "group:2", "host:vpn.example.net"}; !cmp.Equal(m.AccessList, want) {
					t.Errorf("access list %v, want %v", m.AccessList, want)
				}
				target, err := ApplySettings(m, []string{"telnet=off", "ping=off", "enforce_https=on",
					"access_list=203.0.113.7,192.0.2.0/28,group:2,host:vpn.example.net", "brute_force=on", "brute_force_failures=4",
					"brute_force_penalty=600", "brute_force_services=http,https,ssh", "ipv6_http=off", "ipv6_access_list=2001:db8::/48"})
				if err != nil {
					t.Fatal(err)
				}
				res, err := s.ApplyManagement(t.Context(), target, ApplyOptions{})
				if err != nil {
					t.Fatalf("apply: %v (paths %v)", err, res)
				}
				if len(res.NotTaken) != 0 || len(res.Changed) != 10 {
					t.Errorf("changed %v, not taken %v", res.Changed, res.NotTaken)
				}
				if res.Paths[0] != path.name {
					t.Errorf("paths used %v, want %s first", res.Paths, path.name)
				}
				after := r.Snapshot()
				if d := cmp.Diff(target, fromSim(after)); d != "" {
					t.Errorf("router state after apply (-want +got):\n%s", d)
				}
				if d := cmp.Diff(target, res.After); d != "" {
					t.Errorf("read back (-want +got):\n%s", d)
				}
				checkObjects(t, before, after, map[int]string{1: "192.0.2.0/28"})
				if got := after.Management.AccessList[:4]; !cmp.Equal(got, []string{"7", "1", "g2", "vpn.example.net"}) {
					t.Errorf("router's access list %q, want the partner object reused and object 1 filled", got)
				}
			})
		}
	}
}

func TestApplyTLSThroughFormWhenConsoleFirst(t *testing.T) {
	t.Parallel()
	r := startSim(t, routersim.Options{})
	s := login(t, lanClient(t, r, WithProfile(consoleFirst())), adminCreds, nil)
	m, err := s.ReadManagement(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	target, err := ApplySettings(m, []string{"tls1_2=on", "tls1_1=off", "tls1_0=off", "ssl3=off"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.ApplyManagement(t.Context(), target, ApplyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if tls := r.Snapshot().Management.TLS; !tls.TLS12 || tls.TLS11 || tls.TLS10 || tls.SSL3 {
		t.Errorf("router TLS %+v", tls)
	}
	if len(res.Paths) == 0 || res.Paths[len(res.Paths)-1] != pathForm {
		t.Errorf("paths %v, want the form for TLS", res.Paths)
	}
}

func TestApplyPortAsksForReboot(t *testing.T) {
	t.Parallel()
	r := startSim(t, routersim.Options{})
	s := login(t, lanClient(t, r), adminCreds, nil)
	m, err := s.ReadManagement(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	target, _ := ApplySettings(m, []string{"https_port=8443"})
	res, err := s.ApplyManagement(t.Context(), target, ApplyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.RebootRequired {
		t.Error("a port change that asks for a reboot was not reported")
	}
	if r.Rebooting() {
		t.Error("the client rebooted the router by itself")
	}
	if res.After.HTTPSPort != 8443 {
		t.Errorf("read back port %d", res.After.HTTPSPort)
	}
}

func TestApplyInterlocks(t *testing.T) {
	t.Parallel()
	r := startSim(t, routersim.Options{})
	s := login(t, lanClient(t, r), adminCreds, nil)
	m, err := s.ReadManagement(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		set  []string
		opts ApplyOptions
		keys []string
	}{
		{"internet without TOTP", []string{"internet=on"}, ApplyOptions{}, []string{"internet"}},
		{"telnet from the WAN", []string{"telnet=on"}, ApplyOptions{TOTPVerified: true}, []string{"telnet"}},
	}
	for _, tc := range cases {
		target, _ := ApplySettings(m, tc.set)
		before := r.Requests()
		_, err := s.ApplyManagement(t.Context(), target, tc.opts)
		var il *InterlockError
		if !errors.As(err, &il) || !cmp.Equal(il.Keys, tc.keys) {
			t.Errorf("%s: %v, want an interlock on %v", tc.name, err, tc.keys)
		}
		if r.RequestsByPath()["/cgi-bin/acontrol.cgi"] != 0 {
			t.Errorf("%s: the form was posted", tc.name)
		}
		_ = before
	}
	// With the person's explicit override the change goes through.
	target, _ := ApplySettings(m, []string{"telnet=on"})
	if _, err := s.ApplyManagement(t.Context(), target, ApplyOptions{AcceptRisk: true}); err != nil {
		t.Fatal(err)
	}
	if !r.Snapshot().Management.Telnet {
		t.Error("override did not apply")
	}
}

func TestReadLogsInAgainAfterExpiry(t *testing.T) {
	t.Parallel()
	var offset time.Duration
	clock := func() time.Time { return time.Now().Add(offset) }
	r := startSim(t, routersim.Options{Now: clock})
	c := lanClient(t, r)
	s := login(t, c, adminCreds, nil)
	offset = 10 * time.Minute // beyond the 300 s idle limit
	before := r.RequestsByPath()["/cgi-bin/wlogin.cgi"]
	if _, err := s.ReadManagement(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := r.RequestsByPath()["/cgi-bin/wlogin.cgi"] - before; got != 1 {
		t.Errorf("logged in %d times after expiry, want exactly 1", got)
	}
}

func TestRebootAndWaitBack(t *testing.T) {
	t.Parallel()
	r := startSim(t, routersim.Options{RebootDelay: 700 * time.Millisecond})
	p := DefaultProfile()
	p.Reboot.FirstPollMillis, p.Reboot.MaxPollIntervalMilli, p.Reboot.TimeoutSeconds = 100, 400, 20
	s := login(t, lanClient(t, r, WithProfile(p)), adminCreds, nil)
	if err := s.Reboot(t.Context()); err != nil {
		t.Fatal(err)
	}
	if !r.Rebooting() {
		t.Fatal("the router is not rebooting")
	}
	m, err := s.WaitBack(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if r.Rebooting() {
		t.Error("WaitBack returned while the router was still down")
	}
	if d := cmp.Diff(fromSim(r.Snapshot()), m); d != "" {
		t.Errorf("read back after reboot (-sim +client):\n%s", d)
	}
}

func TestWaitBackIsBounded(t *testing.T) {
	t.Parallel()
	r := startSim(t, routersim.Options{RebootDelay: 30 * time.Second})
	p := DefaultProfile()
	p.Reboot.FirstPollMillis, p.Reboot.MaxPollIntervalMilli, p.Reboot.TimeoutSeconds = 100, 200, 1
	s := login(t, lanClient(t, r, WithProfile(p), WithTimeout(time.Second)), adminCreds, nil)
	if err := s.Reboot(t.Context()); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := s.WaitBack(t.Context()); !errors.Is(err, ErrUnreachable) {
		t.Fatalf("got %v, want ErrUnreachable after the bound", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("waited %s with a 1 s bound", time.Since(start))
	}
}

// With the console alone, what only the Management page shows cannot be
// changed, and Set says so instead of doing nothing.
func TestSetUnreadableOnConsoleOnly(t *testing.T) {
	t.Parallel()
	r := startSim(t, routersim.Options{})
	p := DefaultProfile()
	p.SettingsPaths = []string{pathConsole}
	s := login(t, lanClient(t, r, WithProfile(p)), adminCreds, nil)
	m, err := s.ReadManagement(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if m.IPv6 != nil || m.TLS != nil || m.HTTPSPort != 0 {
		t.Errorf("the console alone read %+v", m)
	}
	for _, kv := range []string{"ipv6_http=off", "tls1_1=off", "https_port=8443"} {
		if _, err := s.Set(t.Context(), []string{kv}, ApplyOptions{}); !errors.Is(err, ErrBadSetting) {
			t.Errorf("%s: %v, want ErrBadSetting", kv, err)
		}
		// ApplyManagement, which the fleet uses, refuses the same target.
		target, err := ApplySettings(m, []string{kv})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.ApplyManagement(t.Context(), target, ApplyOptions{}); !errors.Is(err, ErrBadSetting) {
			t.Errorf("ApplyManagement with %s: %v, want ErrBadSetting", kv, err)
		}
	}
}
