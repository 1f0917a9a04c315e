package routersim

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// sampleProfile is `object ip obj 1 -v` as DrayTek's CLI reference shows it
// (drayos-web.md §4.3).
const sampleProfile = ` IP Object Profile 1
 Name   :[marketing]
 Interface:[Any]
 Address type:[single]
 Start ip address:[192.168.1.45]
 End/Mask ip address:[0.0.0.0]
 MAC Address:[00:00:00:00:00:00]
 Invert Selection:[0]
`

// objectCommandCases are console lines with whether they change something
// (reply "Set OK"); they seed FuzzObjectCommand.
var objectCommandCases = []struct {
	line string
	ok   bool
}{
	// Names: the rest of the line, quotes dropped, at most 15 characters.
	{"object ip obj 1 -n marketing", true},
	{`object ip obj 2 -n "Gatekey 203.0.1"`, true},
	{"object ip obj 2 -n Gatekey 203.0.1", true},
	{`object ip obj 2 -n ""`, true},
	{"object ip obj 2 -n sixteen-chars-xx", false},
	{`object ip obj 2 -n a"b`, false},
	{"object ip obj 2 -n", false},
	// Addresses by type.
	{"object ip obj 1 -a single 192.168.1.45", true},
	{"OBJECT IP OBJ 3 -A RANGE 10.0.0.1 10.0.0.9", true},
	{"object ip obj 4 -a subnet 203.0.113.0 255.255.255.0", true},
	{"object ip obj 4 -a subnet 203.0.113.0 255.0.255.0", false},
	{"object ip obj 4 -a subnet 203.0.113.0 24", false},
	{"object ip obj 3 -a range 10.0.0.9 10.0.0.1", false},
	{"object ip obj 3 -a single 10.0.0.1 10.0.0.2", false},
	{"object ip obj 3 -a mac 00:11:22:33:44:55", false},
	{"object ip obj 3 -a single 2001:db8::1", false},
	{"object ip obj 3 -a single 300.0.0.1", false},
	// Indexes and options.
	{"object ip obj 0 -n x", false},
	{"object ip obj 193 -n x", false},
	{"object ip obj 192 -n last", true},
	{"object ip obj 1 -x", false},
	{"object ip obj 1", false},
	{"object ip", false},
	{"object mac obj 1 -v", false},
}

func TestObjectConsole(t *testing.T) {
	t.Parallel()
	r := startRouter(t, Options{})
	c := newClient(t, r, r.URLs().LANHTTPS)
	c.mustLogin("admin", "admin", nil)
	// A free object, then the documented sample.
	if out := c.console("object ip obj 1 -v"); out != strings.Replace(strings.Replace(sampleProfile, "marketing", "", 1), "192.168.1.45", "0.0.0.0", 1) {
		t.Fatalf("free object:\n%s", out)
	}
	for _, tc := range objectCommandCases {
		before := r.Snapshot()
		out := c.console(tc.line)
		if ok := strings.TrimSpace(out) == replyOK; ok != tc.ok {
			t.Errorf("%q: reply %q, want ok=%v", tc.line, out, tc.ok)
		}
		if !tc.ok && (!strings.Contains(out, "Invalid") && !strings.Contains(out, "Unknown") || r.Snapshot() != before) {
			t.Errorf("%q: no error reply or a change: %q", tc.line, out)
		}
	}
	if out := c.console("object ip obj 1 -v"); out != sampleProfile {
		t.Fatalf("object 1 after the sample's commands:\n%s\nwant\n%s", out, sampleProfile)
	}
	for n, want := range map[string][]string{
		"2": {"Name   :[]", "Address type:[single]"},
		"3": {"Address type:[range]", "Start ip address:[10.0.0.1]", "End/Mask ip address:[10.0.0.9]"},
		"4": {"Address type:[subnet]", "End/Mask ip address:[255.255.255.0]"},
	} {
		out := c.console("object ip obj " + n + " -v")
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("object %s lacks %q:\n%s", n, w, out)
			}
		}
	}
	// Like every console change, objects wait for sys commit.
	if r.Committed().Objects[0].Name != "" {
		t.Fatal("console object change committed without sys commit")
	}
	c.console("sys commit")
	if r.Committed().Objects[0].Name != "marketing" {
		t.Fatal("sys commit did not keep the object")
	}
}

func FuzzObjectCommand(f *testing.F) {
	for _, tc := range objectCommandCases {
		f.Add(tc.line)
	}
	f.Fuzz(func(t *testing.T, line string) {
		st := factoryState("admin", "admin", DefaultBruteForce())
		fields, at := splitFields(line)
		if len(fields) == 0 {
			return
		}
		out := objectCommand(&st, line, fields, at)
		if out == "" {
			t.Fatalf("%q: empty reply", line)
		}
		// Whatever the line, every object stays one the router keeps.
		for i, o := range st.Objects {
			if n, err := o.normalized(); err != nil || n != o {
				t.Fatalf("%q left object %d invalid: %+v (%v)", line, i+1, o, err)
			}
		}
	})
}

func TestObjectForm(t *testing.T) {
	t.Parallel()
	r := startRouter(t, Options{Objects: map[int]IPObject{1: {Name: "printer", Start: "192.168.1.9", Interface: InterfaceLAN}}})
	c := newClient(t, r, r.URLs().LANHTTP)
	c.mustLogin("admin", "admin", nil)
	page := c.page("2301")
	if n := len(regexp.MustCompile(`<tr><td><a href="objip\.sht\?idx=\d+">`).FindAllString(page.body, -1)); n != MaxObjects {
		t.Fatalf("the table lists %d objects, want %d", n, MaxObjects)
	}
	if !strings.Contains(page.body, `>1</a></td><td>printer</td><td>LAN</td><td>single</td><td>192.168.1.9</td>`) {
		t.Fatalf("the table does not show object 1:\n%s", page.body)
	}
	f := readFormNamed(t, page.body, "objip")
	if f.action != "../cgi-bin/objip.cgi" {
		t.Fatalf("form action %q", f.action)
	}
	// The form offers the first free object.
	checkValues(t, f, map[string]string{"iObjIdx": "2", "sObjName": "", "iObjIntf": "0", "iObjType": "1", "sStartIp": "0.0.0.0", "sEndIp": "0.0.0.0", "sMask": "0.0.0.0"})

	f.values.Set("iObjIdx", "5")
	f.values.Set("sObjName", "Gatekey 203.0.1")
	f.values.Set("iObjIntf", "2")
	f.values.Set("iObjType", "3")
	f.values.Set("sStartIp", "203.0.113.0")
	f.values.Set("sMask", "255.255.255.0")
	rep := c.submit("/doc/objip.sht", f)
	if rep.status != http.StatusFound || !strings.Contains(rep.loc, "fid=2301") {
		t.Fatalf("save: %d to %q: %s", rep.status, rep.loc, rep.body)
	}
	want := IPObject{Name: "Gatekey 203.0.1", Interface: InterfaceWAN, Type: ObjectSubnet, Start: "203.0.113.0", End: "0.0.0.0", Mask: "255.255.255.0"}
	if diff := cmp.Diff(want, r.Committed().Objects[4]); diff != "" {
		t.Fatalf("object 5 (-want +got):\n%s", diff)
	}
	back := readFormNamed(t, c.get("/doc/objip.sht?idx=5").body, "objip")
	checkValues(t, back, map[string]string{"iObjIdx": "5", "sObjName": "Gatekey 203.0.1", "iObjIntf": "2", "iObjType": "3", "sMask": "255.255.255.0"})
	if out := c.console("object ip obj 5 -v"); !strings.Contains(out, "Interface:[WAN]") || !strings.Contains(out, "Address type:[subnet]") {
		t.Fatalf("console view of the form's object:\n%s", out)
	}

	// An empty name and 0.0.0.0 free the object.
	g := readFormNamed(t, c.get("/doc/objip.sht?idx=5").body, "objip")
	g.values.Set("sObjName", "")
	g.values.Set("sStartIp", "0.0.0.0")
	c.submit("/doc/objip.sht", g)
	if r.Snapshot().Objects[4] != FreeObject() {
		t.Fatalf("object 5 not freed: %+v", r.Snapshot().Objects[4])
	}
}

func TestObjectFormRefusals(t *testing.T) {
	t.Parallel()
	r := startRouter(t, Options{Objects: map[int]IPObject{5: {Name: "office", Type: ObjectSubnet, Start: "203.0.113.0", Mask: "255.255.255.0"}}})
	c := newClient(t, r, r.URLs().LANHTTP)
	c.mustLogin("admin", "admin", nil)
	// Invalid objects are refused, naming the field; nothing changes.
	before := r.Snapshot()
	for field, bad := range map[string]string{"iObjType": "4", "sObjName": "sixteen-chars-xx", "iObjIdx": "193", "iObjIntf": "3", "sMask": "255.0.255.0", "sStartIp": "203.0.113"} {
		g := readFormNamed(t, c.get("/doc/objip.sht?idx=5").body, "objip")
		g.values.Set(field, bad)
		if rep := c.submit("/doc/objip.sht", g); rep.status != http.StatusBadRequest || !strings.Contains(rep.body, field) {
			t.Errorf("%s=%q: %d %s", field, bad, rep.status, rep.body)
		}
	}
	g := readFormNamed(t, c.get("/doc/objip.sht?idx=5").body, "objip")
	g.values.Set("iObjType", "2")
	g.values.Set("sEndIp", "203.0.112.255")
	if rep := c.submit("/doc/objip.sht", g); rep.status != http.StatusBadRequest || !strings.Contains(rep.body, "sEndIp") {
		t.Errorf("range ending before its start: %d %s", rep.status, rep.body)
	}
	if r.Snapshot() != before {
		t.Fatal("a refused object changed the configuration")
	}
}

// objectFormCases are IP Object form posts; they seed FuzzObjectForm.
var objectFormCases = []url.Values{
	{"iObjIdx": {"5"}, "sObjName": {"office"}, "iObjIntf": {"2"}, "iObjType": {"3"}, "sStartIp": {"203.0.113.0"}, "sEndIp": {""}, "sMask": {"255.255.255.0"}},
	{"iObjIdx": {"1"}, "sObjName": {"r"}, "iObjIntf": {"0"}, "iObjType": {"2"}, "sStartIp": {"10.0.0.1"}, "sEndIp": {"10.0.0.9"}, "sMask": {""}, "iInvert": {"1"}},
	{"iObjIdx": {"192"}, "sObjName": {""}, "iObjIntf": {"1"}, "iObjType": {"1"}, "sStartIp": {"0.0.0.0"}, "sEndIp": {"x"}, "sMask": {"y"}},
	{"iObjIdx": {"3"}, "sObjName": {"m"}, "iObjIntf": {"0"}, "iObjType": {"3"}, "sStartIp": {"10.0.0.0"}, "sEndIp": {""}, "sMask": {"0"}},
	{"iObjIdx": {"7"}, "sObjName": {"mac"}, "iObjIntf": {"0"}, "iObjType": {"4"}, "sStartIp": {"1.2.3.4"}, "sEndIp": {""}, "sMask": {""}},
}

func FuzzObjectForm(f *testing.F) {
	for _, v := range objectFormCases {
		f.Add(v.Get("iObjIdx"), v.Get("sObjName"), v.Get("iObjIntf"), v.Get("iObjType"), v.Get("sStartIp"), v.Get("sEndIp"), v.Get("sMask"), v.Get("iInvert"))
	}
	r := &Router{opts: Options{}.withDefaults()}
	f.Fuzz(func(t *testing.T, idx, name, intf, typ, start, end, mask, invert string) {
		v := url.Values{"iObjIdx": {idx}, "sObjName": {name}, "iObjIntf": {intf}, "iObjType": {typ},
			"sStartIp": {start}, "sEndIp": {end}, "sMask": {mask}, "iInvert": {invert}}
		fr := r.newFormReader(v)
		n, obj := objectFromForm(fr)
		if fr.missing != "" || fr.invalid != "" {
			return
		}
		// An accepted post names a real object and saves one the router
		// keeps as it is, with a profile the console can show.
		if n < 1 || n > MaxObjects {
			t.Fatalf("accepted index %d", n)
		}
		if norm, err := obj.normalized(); err != nil || norm != obj {
			t.Fatalf("accepted object %+v is not normal (%v)", obj, err)
		}
		if !strings.HasPrefix(obj.profile(n), " IP Object Profile ") {
			t.Fatal("no profile")
		}
	})
}
