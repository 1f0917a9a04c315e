package routerclient

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gatekey/gatekey/routersim"
	"github.com/google/go-cmp/cmp"
)

func TestParseSetting(t *testing.T) {
	base := Management{AccessList: []string{}, BruteForceServices: []string{}}
	cases := []struct {
		name string
		args []string
		ok   bool
		key  string
		want string
	}{
		{"bool on", []string{"telnet=on"}, true, "telnet", "on"},
		{"bool off upper", []string{"HTTPS=OFF"}, true, "https", "off"},
		{"ping", []string{"ping=off"}, true, "ping", "off"},
		{"access list", []string{"access_list=10.0.0.0/8, 192.0.2.1/32"}, true, "access_list", "10.0.0.0/8,192.0.2.1"},
		{"empty access list", []string{"access_list="}, true, "access_list", ""},
		{"port", []string{"https_port=8443"}, true, "https_port", "8443"},
		{"tls", []string{"tls1_0=off"}, true, "tls1_0", "off"},
		{"bad bool", []string{"ssh=maybe"}, false, "", ""},
		{"bad port", []string{"ssh_port=70000"}, false, "", ""},
		{"ipv6 entry", []string{"access_list=::1"}, false, "", ""},
		{"unknown key", []string{"wifi=on"}, false, "", ""},
		{"not key=value", []string{"telnet"}, false, "", ""},
	}
	for _, tc := range cases {
		got, err := ApplySettings(base, tc.args)
		if (err == nil) != tc.ok {
			t.Errorf("%s: err %v", tc.name, err)
			continue
		}
		if !tc.ok {
			if !errors.Is(err, ErrBadSetting) {
				t.Errorf("%s: %v is not ErrBadSetting", tc.name, err)
			}
			continue
		}
		if v, _ := got.Value(tc.key); v != tc.want {
			t.Errorf("%s: %s = %q, want %q", tc.name, tc.key, v, tc.want)
		}
	}
}

func TestHardenPlan(t *testing.T) {
	weak := Management{Internet: true, HTTP: true, Telnet: true, FTP: true, SNMP: true, Ping: true,
		AccessList: []string{}, BruteForceServices: []string{}, TLS: &TLSVersions{TLS12: true, TLS10: true}}
	target, steps, warnings, err := HardenPlan(weak, HardenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, s := range steps {
		keys = append(keys, s.Key)
	}
	want := []string{"https", "http", "telnet", "ftp", "snmp", "enforce_https", "tls1_0", "ping",
		"brute_force", "brute_force_services", "brute_force_failures", "brute_force_penalty"}
	if d := cmp.Diff(want, keys); d != "" {
		t.Errorf("steps (-want +got):\n%s", d)
	}
	if !target.Internet || !target.HTTPS || target.BruteForceFailures != 5 || target.BruteForcePenalty != 1800 {
		t.Errorf("target %+v", target)
	}
	if len(warnings) != 2 {
		t.Errorf("warnings %v", warnings)
	}
	// Management from the Internet is never turned off, with or without --allow.
	off := Management{AccessList: []string{}, BruteForceServices: []string{}}
	if target, _, _, _ := HardenPlan(off, HardenOptions{}); target.Internet || target.HTTPS {
		t.Error("harden without --allow turned management from the Internet on")
	}
	target, _, _, err = HardenPlan(off, HardenOptions{Allow: []string{"198.51.100.0/24"}})
	if !errors.Is(err, ErrTOTPNotLinked) || target.Internet || !target.EnforceHTTPS {
		t.Errorf("--allow without TOTP: internet %v, err %v", target.Internet, err)
	}
	target, _, _, err = HardenPlan(off, HardenOptions{Allow: []string{"198.51.100.0/24"}, TOTPLinked: true})
	if err != nil || !target.Internet || !target.HTTPS || !cmp.Equal(target.AccessList, []string{"198.51.100.0/24"}) {
		t.Errorf("--allow with TOTP: %+v %v", target, err)
	}
	if _, _, _, err := HardenPlan(off, HardenOptions{Allow: []string{"nonsense"}}); !errors.Is(err, ErrBadSetting) {
		t.Errorf("bad CIDR: %v", err)
	}
	// Existing brute-force limits are kept.
	on := Management{BruteForce: true, BruteForceFailures: 9, BruteForcePenalty: 60}
	if target, _, _, _ := HardenPlan(on, HardenOptions{}); target.BruteForceFailures != 9 || target.BruteForcePenalty != 60 {
		t.Errorf("limits not kept: %+v", target)
	}
}

func TestFirmwareAdvice(t *testing.T) {
	cases := []struct {
		model, fw   string
		totp, below bool
		advisories  int
	}{
		{"Vigor2927Lac", "4.5.2.2", true, false, 0},
		{"Vigor2927", "4.4.5.1", true, true, 1},
		{"Vigor 3910", "4.3.5", true, false, 1},
		{"3910", "4.4.0", true, true, 1},
		{"3910", "4.4.3.6", true, false, 0},
		{"Vigor2962", "4.3.2.8", true, true, 1},
		{"Vigor2865", "4.3.0", false, true, 1},
		{"Vigor2135", "4.5.1", false, false, 0},
		{"Vigor9999", "1.0", false, false, 0},
		{"Vigor29270", "1.0", false, false, 0},
	}
	for _, tc := range cases {
		a := FirmwareAdvice(tc.model, tc.fw)
		if a.TOTPDocumented != tc.totp || a.BelowSafeMinimum != tc.below || len(a.Advisories) != tc.advisories {
			t.Errorf("%s %s: %+v", tc.model, tc.fw, a)
		}
		for _, adv := range a.Advisories {
			if adv.Source == "" || adv.Date == "" {
				t.Errorf("advisory %s has no source or date", adv.ID)
			}
		}
	}
	if CompareVersions("4.5.1", "4.5.1.0") != 0 || CompareVersions("3.9.9.12", "3.9.9.8") != 1 {
		t.Error("CompareVersions")
	}
}

func TestFingerprint(t *testing.T) {
	want := strings.Repeat("0a", 32)
	for _, in := range []string{want, strings.ToUpper(want), strings.TrimSuffix(strings.Repeat("0A:", 32), ":")} {
		if got, err := ParseFingerprint(in); err != nil || got != want {
			t.Errorf("ParseFingerprint(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "zz" + want[2:], want[:62]} {
		if _, err := ParseFingerprint(in); err == nil {
			t.Errorf("ParseFingerprint(%q) accepted", in)
		}
	}
}

func TestLoadProfile(t *testing.T) {
	p, err := LoadProfile(strings.NewReader(`{"totp_field": "obj3", "settings_paths": ["console"], "console": {"labels": {"echo_icmp": ["Ping Reply"]}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if p.TOTPField != "obj3" || p.SettingsPaths[0] != "console" || p.Console.Labels["echo_icmp"][0] != "Ping Reply" {
		t.Errorf("override not applied: %+v", p)
	}
	if p.Console.Labels["https"][0] != "HTTPS" || p.LoginPath != "/cgi-bin/wlogin.cgi" {
		t.Error("keys absent from the override lost their built-in values")
	}
	_, err = LoadProfile(strings.NewReader(`{"console": {"comands": {}}}`))
	if !errors.Is(err, ErrBadProfile) || !strings.Contains(err.Error(), `"comands"`) {
		t.Errorf("unknown key: %v", err)
	}
	for _, bad := range []string{`{"settings_paths": ["telepathy"]}`, `{"reboot": {"value": "Default"}}`, `{"totp_period": 0}`, `[`} {
		if _, err := LoadProfile(strings.NewReader(bad)); !errors.Is(err, ErrBadProfile) {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

func FuzzLoadProfile(f *testing.F) {
	f.Add(`{"totp_field": "obj3"}`)
	f.Add(string(drayos4JSON))
	f.Fuzz(func(t *testing.T, data string) {
		p, err := LoadProfile(strings.NewReader(data))
		if err == nil && p.validate() != nil {
			t.Error("an accepted profile does not validate")
		}
	})
}

// Odd answers that the simulator does not give: an expired session shown
// as a 200 login page or as a script-only page; a form with a relative action.
func TestExpiredSessionShapes(t *testing.T) {
	pages := map[string]string{
		"login page": `<html><title>Vigor Login Page</title><form><input name=aa><input type=password name=ab></form></html>`,
		"script":     `<html><script>top.location='/weblogin.htm';</script></html>`,
	}
	for name, page := range pages {
		t.Run(name, func(t *testing.T) {
			logins := 0
			srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch {
				case strings.EqualFold(r.URL.Path, "/weblogin.htm"):
					w.Write([]byte(`<title>Vigor Login Page</title><p>Vigor2865</p>fwver:"4.4.5.8"`))
				case r.URL.Path == "/cgi-bin/wlogin.cgi":
					logins++
					http.SetCookie(w, &http.Cookie{Name: "SESSION_ID_VIGOR", Value: "abc"})
					http.Redirect(w, r, "/", http.StatusFound)
				default:
					w.Write([]byte(page))
				}
			}))
			defer srv.Close()
			c, err := New(srv.URL, WithPin(Fingerprint(srv.Certificate())))
			if err != nil {
				t.Fatal(err)
			}
			s, err := c.Login(t.Context(), adminCreds, nil)
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.ReadManagement(t.Context())
			if !errors.Is(err, ErrSessionExpired) {
				t.Errorf("got %v, want ErrSessionExpired", err)
			}
			if logins != 2 {
				t.Errorf("%d logins, want 2 (one transparent retry, no more)", logins)
			}
		})
	}
}

func TestHTTPRedirectsToHTTPS(t *testing.T) {
	t.Parallel()
	r := startSim(t, routersim.Options{})
	if err := r.Update(func(s *routersim.State) {
		s.Management.Internet, s.Management.HTTP, s.Management.HTTPS, s.Management.EnforceHTTPS = true, true, true, true
	}); err != nil {
		t.Fatal(err)
	}
	// No WithPlainHTTP: the client moves to HTTPS before posting anything.
	c, err := New(r.URLs().WANHTTP, WithPin(r.Fingerprint()))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Login(t.Context(), adminCreds, nil)
	if err != nil && !errors.Is(err, ErrBadCredentials) {
		t.Fatal(err)
	}
	if !strings.HasPrefix(c.URL(), "https://") {
		t.Errorf("client URL %s, want the HTTPS one", c.URL())
	}
}
