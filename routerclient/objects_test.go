package routerclient

import (
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// IP Object pages: the table under the form, with headers as the profile
// names them, numbers or words, and a combined End/Mask column.
var objectPageCases = []struct {
	name string
	page string
	want []ipObject // nil: no table
}{
	{"simulator-like", `<form><input type=hidden name=iObjIdx value=3></form><table><tr><th>Index</th><th>Name</th><th>Interface</th><th>Address Type</th>
<th>Start IP Address</th><th>End IP Address</th><th>Subnet Mask</th><th>Invert Selection</th></tr>
<tr><td><a href="x">1</a></td><td>office</td><td>Any</td><td>subnet</td><td>198.51.100.0</td><td>0.0.0.0</td><td>255.255.255.0</td><td>No</td></tr>
<tr><td>2</td><td></td><td>Any</td><td>single</td><td>0.0.0.0</td><td>0.0.0.0</td><td>0.0.0.0</td><td>No</td></tr>
<tr><td>3</td><td>lan hosts</td><td>LAN</td><td>range</td><td>10.0.0.1</td><td>10.0.0.9</td><td>0.0.0.0</td><td>Yes</td></tr></table>`,
		[]ipObject{
			{Index: 1, Name: "office", Intf: objIntfAny, Type: objTypeSubnet, Start: "198.51.100.0", End: "0.0.0.0", Mask: "255.255.255.0"},
			{Index: 2, Intf: objIntfAny, Type: objTypeSingle, Start: "0.0.0.0", End: "0.0.0.0", Mask: "0.0.0.0"},
			{Index: 3, Name: "lan hosts", Intf: objIntfLAN, Type: objTypeRange, Start: "10.0.0.1", End: "10.0.0.9", Mask: "0.0.0.0", Invert: true},
		}},
	{"numbers and a combined column", `<table><tr><td>No.</td><td>Name</td><td>Interface</td><td>Type</td><td>Start IP</td><td>End/Mask</td><td>Invert</td></tr>
<tr><td>7</td><td>x</td><td>2</td><td>3</td><td>192.0.2.0</td><td>255.255.255.128</td><td>0</td></tr></table>`,
		[]ipObject{{Index: 7, Name: "x", Intf: objIntfWAN, Type: objTypeSubnet, Start: "192.0.2.0", Mask: "255.255.255.128"}}},
	{"nested layout table", `<table><tr><td><table><tr><th>Index</th><th>Start IP Address</th><th>Address Type</th></tr><tr><td>4</td><td>192.0.2.4</td><td>Single</td></tr></table></td></tr></table>`,
		[]ipObject{{Index: 4, Type: objTypeSingle, Start: "192.0.2.4"}}},
	{"no table", `<p>Index Start</p>`, nil},
}

func TestParseObjectTable(t *testing.T) {
	cols := DefaultProfile().IPObjects.Columns
	for _, tc := range objectPageCases {
		got, err := parseObjectTable(tc.page, cols)
		if tc.want == nil {
			if !errors.Is(err, ErrUnexpectedResponse) {
				t.Errorf("%s: %v, want ErrUnexpectedResponse", tc.name, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if d := cmp.Diff(tc.want, got); d != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, d)
		}
	}
}

func FuzzParseObjectTable(f *testing.F) {
	for _, tc := range objectPageCases {
		f.Add(tc.page)
	}
	cols := DefaultProfile().IPObjects.Columns
	f.Fuzz(func(t *testing.T, page string) {
		objs, err := parseObjectTable(page, cols)
		if err != nil && objs != nil {
			t.Error("objects with an error")
		}
		for _, o := range objs {
			if o.Index < 1 {
				t.Errorf("object index %d", o.Index)
			}
			o.entry()
			if p, ok := o.prefix(); ok && !o.holds(p) && o.Start == p.Addr().String() && (o.Type == objTypeSingle) == (p.Bits() == 32) {
				t.Errorf("object %+v does not hold its own network %s", o, p)
			}
		}
	})
}

// `object ip obj <n> -v` outputs: the documented sample and variants.
var objectShowCases = []struct {
	name  string
	index int
	out   string
	want  ipObject
	ok    bool
}{
	{"documented sample", 1, " IP Object Profile 1\n Name   :[marketing]\n Interface:[Any]\n Address type:[single]\n Start ip address:[192.168.1.45]\n End/Mask ip address:[0.0.0.0]\n MAC Address:[00:00:00:00:00:00]\n Invert Selection:[0]\n",
		ipObject{Index: 1, Name: "marketing", Type: objTypeSingle, Start: "192.168.1.45", End: "0.0.0.0"}, true},
	{"subnet on WAN, inverted", 12, "IP Object Profile 12\nName:[Gatekey 10.0.0.0/]\nInterface:[WAN]\nAddress type:[subnet]\nStart ip address:[10.0.0.0]\nEnd/Mask ip address:[255.0.0.0]\nInvert Selection:[1]",
		ipObject{Index: 12, Name: "Gatekey 10.0.0.0/", Intf: objIntfWAN, Type: objTypeSubnet, Start: "10.0.0.0", Mask: "255.0.0.0", Invert: true}, true},
	{"another profile", 3, " IP Object Profile 4\n Start ip address:[1.2.3.4]", ipObject{}, false},
	{"an error", 3, "% Invalid object index (1-192).", ipObject{}, false},
}

func TestParseObjectShow(t *testing.T) {
	p := DefaultProfile()
	for _, tc := range objectShowCases {
		got, err := parseObjectShow(tc.out, tc.index, p)
		if (err == nil) != tc.ok {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if d := cmp.Diff(tc.want, got); tc.ok && d != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, d)
		}
	}
}

func FuzzParseObjectShow(f *testing.F) {
	for _, tc := range objectShowCases {
		f.Add(tc.out, tc.index)
	}
	p := DefaultProfile()
	f.Fuzz(func(t *testing.T, out string, index int) {
		o, err := parseObjectShow(out, index, p)
		if err == nil && o.Index != index {
			t.Errorf("object %d for index %d", o.Index, index)
		}
	})
}

// Which objects Gatekey may reuse for a network, shows as that network,
// and counts as its own.
func TestObjectHolds(t *testing.T) {
	net24 := netip.MustParsePrefix("192.0.2.0/24")
	host := netip.MustParsePrefix("192.0.2.9/32")
	cases := []struct {
		name        string
		o           ipObject
		p           netip.Prefix
		holds, ours bool
		entry       string
	}{
		{"subnet any", ipObject{Index: 1, Name: "x", Type: objTypeSubnet, Start: "192.0.2.0", Mask: "255.255.255.0"}, net24, true, false, "192.0.2.0/24"},
		{"subnet WAN, ours", ipObject{Index: 2, Name: "Gatekey 192.0.2", Intf: objIntfWAN, Type: objTypeSubnet, Start: "192.0.2.0", Mask: "255.255.255.0"}, net24, true, true, "192.0.2.0/24"},
		{"LAN only", ipObject{Index: 3, Name: "x", Intf: objIntfLAN, Type: objTypeSubnet, Start: "192.0.2.0", Mask: "255.255.255.0"}, net24, false, false, "object:3"},
		{"inverted", ipObject{Index: 4, Name: "x", Type: objTypeSubnet, Start: "192.0.2.0", Mask: "255.255.255.0", Invert: true}, net24, false, false, "object:4"},
		{"start not the network", ipObject{Index: 5, Name: "x", Type: objTypeSubnet, Start: "192.0.2.7", Mask: "255.255.255.0"}, net24, false, false, "192.0.2.0/24"},
		{"single", ipObject{Index: 6, Name: "Gatekey 192.0.2", Type: objTypeSingle, Start: "192.0.2.9"}, host, true, true, "192.0.2.9"},
		{"subnet /32 is not single", ipObject{Index: 7, Name: "x", Type: objTypeSubnet, Start: "192.0.2.9", Mask: "255.255.255.255"}, host, false, false, "192.0.2.9"},
		{"range", ipObject{Index: 8, Name: "x", Type: objTypeRange, Start: "192.0.2.0", End: "192.0.2.255"}, net24, false, false, "object:8"},
		{"free", ipObject{Index: 9, Type: objTypeSingle, Start: "0.0.0.0"}, host, false, false, "object:9"},
	}
	for _, tc := range cases {
		if got := tc.o.holds(tc.p); got != tc.holds {
			t.Errorf("%s: holds %v", tc.name, got)
		}
		if got := tc.o.ours(); got != tc.ours {
			t.Errorf("%s: ours %v", tc.name, got)
		}
		if got := tc.o.entry(); got != tc.entry {
			t.Errorf("%s: entry %q, want %q", tc.name, got, tc.entry)
		}
	}
	if n := objectName(netip.MustParsePrefix("203.0.113.128/25")); n != "Gatekey 203.0.1" || len(n) != 15 {
		t.Errorf("name %q", n)
	}
	if bits, ok := maskBits("255.255.0.255"); ok {
		t.Errorf("a mask with a hole read as /%d", bits)
	}
	for _, m := range []string{"255.255.255.0", "24", "/24", "255.255.255.0/24"} {
		if bits, ok := maskBits(m); !ok || bits != 24 || bitsMask(bits) != "255.255.255.0" {
			t.Errorf("mask %q: %d %v", m, bits, ok)
		}
	}
}

// Access-list entries as people type them and as the router shows them.
var accessEntryCases = []struct {
	in, typed, fromRouter string // typed "" means refused
	v6                    bool
}{
	{"10.0.0.0/8", "10.0.0.0/8", "10.0.0.0/8", false},
	{"192.0.2.1/32", "192.0.2.1", "192.0.2.1", false},
	{"192.0.2.7/24", "192.0.2.0/24", "192.0.2.0/24", false},
	{"7", "", "object:7", false},
	{"g3", "", "group:3", false},
	{"G03", "", "group:3", false},
	{"group:3", "group:3", "host:group:3", false},
	{"host:VPN.example.net", "host:VPN.example.net", "host:host:VPN.example.net", false},
	{"VPN.Example.net", "", "host:VPN.Example.net", false},
	{"vpn.example.net", "", "host:vpn.example.net", false},
	{"object:12", "object:12", "host:object:12", false},
	{"::1", "", "host:::1", false},
	{"2001:DB8::/32", "2001:db8::/32", "2001:db8::/32", true},
	{"2001:db8::1/128", "2001:db8::1", "2001:db8::1", true},
	{"10.0.0.0/8", "", "host:10.0.0.0/8", true},
	{"::ffff:10.0.0.1", "", "host:::ffff:10.0.0.1", true},
	{"group:0", "", "host:group:0", false},
	{"host:bad name", "", "host:host:bad name", false},
}

func TestAccessEntries(t *testing.T) {
	for _, tc := range accessEntryCases {
		got, err := canonicalEntry(tc.in, tc.v6)
		if (err == nil) != (tc.typed != "") || got != tc.typed {
			t.Errorf("typed %q (v6 %v): %q %v, want %q", tc.in, tc.v6, got, err, tc.typed)
		}
		if got := entryFromRouter(tc.in, tc.v6); got != tc.fromRouter {
			t.Errorf("router shows %q (v6 %v): %q, want %q", tc.in, tc.v6, got, tc.fromRouter)
		}
	}
}

func FuzzAccessEntries(f *testing.F) {
	for _, tc := range accessEntryCases {
		f.Add(tc.in, tc.v6)
	}
	f.Fuzz(func(t *testing.T, in string, v6 bool) {
		if e, err := canonicalEntry(in, v6); err == nil {
			if again, err := canonicalEntry(e, v6); err != nil || again != e {
				t.Errorf("%q -> %q -> %q, %v: not stable", in, e, again, err)
			}
			if isKeptEntry(e) && entryFromRouter(keptToRouter(e), v6) != e && !strings.HasPrefix(e, entryHost) {
				t.Errorf("kept entry %q does not survive the router", e)
			}
		}
		entryFromRouter(in, v6)
	})
}
