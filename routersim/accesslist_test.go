package routersim

import (
	"net/netip"
	"strings"
	"testing"
)

// accessObjects are the objects and groups the WAN access cases use.
var (
	accessObjects = map[int]IPObject{
		1: {Name: "home", Type: ObjectSingle, Start: "198.51.100.7"},
		2: {Name: "branch", Type: ObjectRange, Start: "198.51.100.20", End: "198.51.100.29"},
		3: {Name: "office", Interface: InterfaceWAN, Type: ObjectSubnet, Start: "203.0.113.0", Mask: "255.255.255.0"},
		4: {Name: "not-lab", Type: ObjectSubnet, Start: "192.0.2.0", Mask: "255.255.255.128", Invert: true},
		5: {Name: "lan only", Interface: InterfaceLAN, Type: ObjectSingle, Start: "198.51.100.99"},
	}
	accessGroups = map[int]IPGroup{2: {Name: "partners", Objects: [MaxGroupMembers]int{1, 0, 3}}}
)

// TestWANAccessThroughObjects checks that WAN logins are decided by the
// objects the access list points to (drayos-web.md §4.1, §4.3).
func TestWANAccessThroughObjects(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		list []string
		in   []string
		out  []string
	}{
		{"empty list lets everyone in", []string{}, []string{"198.51.100.1", "192.0.2.200"}, nil},
		{"single", []string{"1"}, []string{"198.51.100.7"}, []string{"198.51.100.8"}},
		{"range", []string{"2"}, []string{"198.51.100.20", "198.51.100.29"}, []string{"198.51.100.19", "198.51.100.30"}},
		{"subnet on the WAN interface", []string{"3"}, []string{"203.0.113.0", "203.0.113.255"}, []string{"203.0.114.1"}},
		{"inverted subnet", []string{"4"}, []string{"192.0.2.128", "8.8.8.8"}, []string{"192.0.2.1"}},
		{"a LAN object never lets a WAN source in", []string{"5"}, nil, []string{"198.51.100.99"}},
		{"group", []string{"g2"}, []string{"198.51.100.7", "203.0.113.9"}, []string{"198.51.100.20"}},
		{"host names never match", []string{"vpn.example.net"}, nil, []string{"198.51.100.7"}},
		{"several entries", []string{"", "vpn.example.net", "1", "2"}, []string{"198.51.100.7", "198.51.100.25"}, []string{"203.0.113.9"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := startRouter(t, Options{TR069Open: true, Objects: accessObjects, Groups: accessGroups, AccessList: tc.list})
			for _, src := range append(tc.in, tc.out...) {
				c := newClient(t, r, r.URLs().WANHTTPS)
				c.source = src
				ok := c.login("admin", "admin", nil).loc == "/"
				if want := !strings.Contains(strings.Join(tc.out, " ")+" ", src+" "); ok != want {
					t.Errorf("source %s: logged in %v, want %v", src, ok, want)
				}
			}
		})
	}
}

func TestAccessListPreloadsAndChecks(t *testing.T) {
	t.Parallel()
	r := startRouter(t, Options{Objects: accessObjects, Groups: accessGroups, AccessList: []string{"3", "G2", "VPN.example.net"},
		IPv6AccessList: []string{"2001:db8::/32"}})
	c := newClient(t, r, r.URLs().LANHTTP)
	c.mustLogin("admin", "admin", nil)
	checkValues(t, readForm(t, c.page("2041").body), map[string]string{"index1": "3", "index2": "g2", "index3": "VPN.example.net", "v6index1": "2001:db8::/32"})
	if out := c.console("object ip obj 3 -v"); !strings.Contains(out, "Name   :[office]") {
		t.Fatalf("preloaded object:\n%s", out)
	}
	// Preloads a form would refuse stop the start with a reason.
	for name, o := range map[string]Options{
		"object index":    {Objects: map[int]IPObject{193: {Name: "x"}}},
		"object":          {Objects: map[int]IPObject{1: {Name: "x", Type: ObjectRange, Start: "10.0.0.9", End: "10.0.0.1"}}},
		"group member":    {Groups: map[int]IPGroup{1: {Objects: [MaxGroupMembers]int{200}}}},
		"access entry":    {AccessList: []string{"203.0.113.0/24"}},
		"too many":        {AccessList: make([]string, 11)},
		"IPv6 list entry": {IPv6AccessList: []string{"192.0.2.1"}},
	} {
		o.LANHTTP = "127.0.0.1:0"
		if r, err := Start(t.Context(), o); err == nil {
			r.Close()
			t.Errorf("%s: Start accepted an invalid preload", name)
		}
	}
	// Update refuses what a form would, and changes nothing.
	before := r.Snapshot()
	if err := r.Update(func(s *State) { s.Management.AccessList[0] = "198.51.100.0/24" }); err == nil || r.Snapshot() != before {
		t.Fatalf("Update accepted a CIDR in the access list: %v", err)
	}
}

// accessEntryCases are access-list entries and what the router shows them
// as ("" for refused); they seed FuzzAccessEntry.
var accessEntryCases = []struct{ in, want string }{
	{"7", "7"}, {"007", "7"}, {" 192 ", "192"}, {"193", ""}, {"0", ""},
	{"g1", "g1"}, {"G32", "g32"}, {"g33", ""}, {"g", "g"}, {"gx", "gx"},
	{"vpn.example.net", "vpn.example.net"}, {"Host-1", "Host-1"}, {"-bad.example", ""}, {"a..b", ""},
	{"192.0.2.1", ""}, {"203.0.113.0/24", ""}, {"bad_name", ""}, {"", ""},
}

func TestNormalizeAccessEntry(t *testing.T) {
	t.Parallel()
	for _, tc := range accessEntryCases {
		got, err := normalizeAccessEntry(tc.in)
		if got != tc.want || (err != nil) != (tc.want == "" && strings.TrimSpace(tc.in) != "") {
			t.Errorf("normalizeAccessEntry(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func FuzzAccessEntry(f *testing.F) {
	for _, tc := range accessEntryCases {
		f.Add(tc.in)
	}
	st := factoryState("admin", "admin", DefaultBruteForce())
	for n, o := range accessObjects {
		st.Objects[n-1] = o
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := normalizeAccessEntry(s)
		if err != nil {
			return
		}
		// What the router shows reads back as itself, and evaluating it never
		// fails whatever it points to.
		if again, err := normalizeAccessEntry(v); err != nil || again != v {
			t.Fatalf("%q shows as %q, which reads back as %q (%v)", s, v, again, err)
		}
		st.Management.AccessList[0] = v
		st.wanAccessAllowed(netip.MustParseAddr("198.51.100.7"))
	})
}
