package routerclient

import (
	"errors"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func keysOf(changes []Change) []string {
	out := []string{}
	for _, c := range changes {
		out = append(out, c.Key)
	}
	return out
}

// mgmt builds settings for plan tests from a base with empty lists.
func mgmt(edit func(m *Management)) Management {
	m := Management{AccessList: []string{}, BruteForceServices: []string{}, TLS: &TLSVersions{TLS12: true}}
	edit(&m)
	return m
}

var allServices = []string{"http", "https", "telnet", "ssh", "ftp", "tr069"}

// The preset of CLI.md, case by case: what changes, in which order, what
// it warns about and what it refuses.
func TestPlanHarden(t *testing.T) {
	weak := mgmt(func(m *Management) {
		m.Internet, m.HTTP, m.Telnet, m.FTP, m.SNMP, m.Ping = true, true, true, true, true, true
		m.TLS = &TLSVersions{TLS12: true, TLS10: true}
	})
	hardened := mgmt(func(m *Management) {
		m.EnforceHTTPS, m.BruteForce, m.BruteForceServices, m.BruteForceFailures, m.BruteForcePenalty = true, true, allServices, 9, 60
	})
	cases := []struct {
		name     string
		current  Management
		opts     HardenOptions
		keys     []string
		check    func(t *testing.T, p *HardenPlan)
		warnings int
		blocked  bool
	}{
		{"weak router", weak, HardenOptions{},
			[]string{"https", "http", "telnet", "ftp", "snmp", "enforce_https", "tls1_0", "ping",
				"brute_force", "brute_force_services", "brute_force_failures", "brute_force_penalty"},
			func(t *testing.T, p *HardenPlan) {
				if !p.Target.Internet || p.Target.BruteForceFailures != 5 || p.Target.BruteForcePenalty != 1800 {
					t.Errorf("target %+v", p.Target)
				}
			}, 2, false},
		{"limits kept, TR-069 off", mgmt(func(m *Management) { *m = hardened.Clone(); m.TR069 = true }), HardenOptions{},
			[]string{"tr069"}, nil, 0, false},
		{"TR-069 kept for an ACS", mgmt(func(m *Management) { *m = hardened.Clone(); m.TR069 = true }), HardenOptions{KeepTR069: true},
			[]string{}, nil, 0, false},
		{"never switched on without --allow", mgmt(func(*Management) {}), HardenOptions{},
			[]string{"enforce_https", "brute_force", "brute_force_services", "brute_force_failures", "brute_force_penalty"},
			func(t *testing.T, p *HardenPlan) {
				if p.Target.Internet || p.Target.HTTPS {
					t.Error("management from the Internet switched on")
				}
			}, 0, false},
		{"--allow without TOTP", hardened, HardenOptions{Allow: []string{"198.51.100.0/24"}}, []string{}, nil, 0, true},
		{"--allow keeps groups and host names", mgmt(func(m *Management) {
			*m = hardened.Clone()
			m.AccessList = []string{"group:2", "192.0.2.1", "host:vpn.example.net"}
		}), HardenOptions{Allow: []string{"198.51.100.7/24"}, TOTPLinked: true},
			[]string{"https", "internet", "access_list"},
			func(t *testing.T, p *HardenPlan) {
				if d := cmp.Diff([]string{"198.51.100.0/24", "group:2", "host:vpn.example.net"}, p.Target.AccessList); d != "" {
					t.Errorf("access list (-want +got):\n%s", d)
				}
			}, 0, false},
		{"IPv6 like IPv4", mgmt(func(m *Management) {
			*m = hardened.Clone()
			m.IPv6 = &IPv6{Internet: true, HTTP: true, Telnet: true, SNMP: true, Ping: true, SSH: true, AccessList: []string{}}
		}), HardenOptions{TOTPLinked: true},
			[]string{"ipv6_https", "ipv6_http", "ipv6_telnet", "ipv6_snmp", "ipv6_ping"},
			func(t *testing.T, p *HardenPlan) {
				if !p.Target.IPv6.SSH || !p.Target.IPv6.Internet {
					t.Error("harden changed IPv6 SSH or switched IPv6 management off")
				}
			}, 1, false},
		{"IPv6 prefixes go to the IPv6 list", mgmt(func(m *Management) {
			*m = hardened.Clone()
			m.IPv6 = &IPv6{AccessList: []string{"group:1"}}
		}), HardenOptions{Allow: []string{"2001:db8::/32", "2001:DB8:1::1"}, TOTPLinked: true},
			[]string{"ipv6_https", "ipv6_internet", "ipv6_access_list"},
			func(t *testing.T, p *HardenPlan) {
				if d := cmp.Diff([]string{"2001:db8::/32", "2001:db8:1::1", "group:1"}, p.Target.IPv6.AccessList); d != "" {
					t.Errorf("IPv6 list (-want +got):\n%s", d)
				}
				if p.Target.Internet {
					t.Error("an IPv6 --allow switched IPv4 management on")
				}
			}, 0, false},
		{"IPv6 prefixes on a router without IPv6 settings", hardened, HardenOptions{Allow: []string{"2001:db8::/32"}, TOTPLinked: true},
			[]string{}, nil, 1, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := PlanHarden(tc.current, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			checkPlan(t, p, tc.current, tc.keys, tc.warnings, tc.blocked)
			if tc.check != nil {
				tc.check(t, p)
			}
		})
	}
}

// checkPlan checks a plan's changes (in order), warnings and refusal, and
// that its changes are exactly the difference to its target.
func checkPlan(t *testing.T, p *HardenPlan, current Management, keys []string, warnings int, blocked bool) {
	t.Helper()
	if d := cmp.Diff(keys, keysOf(p.Changes)); d != "" {
		t.Errorf("changes (-want +got):\n%s", d)
	}
	if d := cmp.Diff(orderChanges(Diff(current, p.Target), hardenOrder), p.Changes); d != "" {
		t.Errorf("the plan's changes are not the difference to its target:\n%s", d)
	}
	if len(p.Warnings) != warnings {
		t.Errorf("warnings %q, want %d", p.Warnings, warnings)
	}
	if errors.Is(p.Blocked, ErrTOTPNotLinked) != blocked {
		t.Errorf("blocked %v, want %v", p.Blocked, blocked)
	}
}

func TestPlanHardenRefusals(t *testing.T) {
	base := mgmt(func(*Management) {})
	if _, err := PlanHarden(base, HardenOptions{Allow: []string{"nonsense"}}); !errors.Is(err, ErrBadSetting) {
		t.Errorf("bad --allow: %v", err)
	}
	full := mgmt(func(m *Management) {
		for i := 1; i <= 10; i++ {
			m.AccessList = append(m.AccessList, "group:"+strconv.Itoa(i))
		}
	})
	if _, err := PlanHarden(full, HardenOptions{Allow: []string{"192.0.2.0/24"}, TOTPLinked: true}); !errors.Is(err, ErrBadSetting) {
		t.Errorf("an access list of 11 entries: %v", err)
	}
}
