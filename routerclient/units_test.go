package routerclient

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/gatekey/gatekey/routersim"
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
		{"kept entries", []string{"access_list=10.0.0.0/8,group:3,host:vpn.example.net,object:9"}, true, "access_list", "10.0.0.0/8,group:3,host:vpn.example.net,object:9"},
		{"bad group", []string{"access_list=group:x"}, false, "", ""},
		{"ipv6 switch", []string{"ipv6_http=off", "ipv6_ping=on"}, true, "ipv6_ping", "on"},
		{"ipv6 list", []string{"ipv6_access_list=2001:DB8::/32,2001:db8:1::5/128"}, true, "ipv6_access_list", "2001:db8::/32,2001:db8:1::5"},
		{"ipv4 in the ipv6 list", []string{"ipv6_access_list=10.0.0.0/8"}, false, "", ""},
		{"unknown ipv6 key", []string{"ipv6_ftp=on"}, false, "", ""},
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

// The mgmt --json object has the IPv6 keys at the top level (CLI.md), and
// none of them when the IPv6 settings are unknown; it reads back the same.
func TestManagementJSON(t *testing.T) {
	m := Management{AccessList: []string{"192.0.2.0/24", "group:2"}, BruteForceServices: []string{},
		IPv6: &IPv6{Internet: true, HTTPS: true, AccessList: []string{"2001:db8::/32"}}}
	data, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"ipv6_internet":true`, `"ipv6_https":true`, `"ipv6_ping":false`, `"ipv6_access_list":["2001:db8::/32"]`,
		`"access_list":["192.0.2.0/24","group:2"]`} {
		if !strings.Contains(string(data), key) {
			t.Errorf("%s lacks %s", data, key)
		}
	}
	var back Management
	if err := json.Unmarshal(data, &back); err != nil || !reflect.DeepEqual(back, m) {
		t.Errorf("read back %+v, %v", back, err)
	}
	m.IPv6 = nil
	if data, _ := json.Marshal(m); strings.Contains(string(data), "ipv6") {
		t.Errorf("unknown IPv6 settings in %s", data)
	}
	for _, k := range SettingKeys {
		if strings.HasPrefix(k, "ipv6_") {
			if _, ok := m.Value(k); ok {
				t.Errorf("%s has a value while IPv6 is unknown", k)
			}
		}
	}
}
