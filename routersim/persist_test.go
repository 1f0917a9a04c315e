package routersim

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestNewSettingsSurviveRestart checks that the state folder keeps what the
// forms change beyond the original settings: IP objects, the IPv6 part, the
// password and the Validation Code switch.
func TestNewSettingsSurviveRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	r := startRouter(t, Options{StateDir: dir})
	c := newClient(t, r, r.URLs().LANHTTP)
	c.mustLogin("admin", "admin", nil)

	obj := readFormNamed(t, c.page("2301").body, "objip")
	obj.values.Set("sObjName", "office")
	obj.values.Set("iObjType", "2")
	obj.values.Set("sStartIp", "203.0.113.10")
	obj.values.Set("sEndIp", "203.0.113.20")
	c.submit("/doc/objip.sht", obj)

	m := readForm(t, c.page("2041").body)
	m.check(t, "sValidatedCode", true)
	m.check(t, "sIp6RMC", true)
	m.check(t, "sIp6Ping", true)
	m.values.Set("index1", "1")
	m.values.Set("v6index1", "2001:db8::/48")
	c.submit("/doc/acontrol.sht", m)

	pw := readForm(t, c.page("2029").body)
	pw.values.Set("sOldPasswd", "admin")
	pw.values.Set("sPasswd", "kept-pw")
	pw.values.Set("sConfirmPasswd", "kept-pw")
	c.submit("/doc/chglog.sht", pw)

	want := r.Snapshot()
	if want.Objects[0].Name != "office" || !want.Management.ValidationCode || !want.Management.IPv6.Internet || want.AdminPassword != "kept-pw" {
		t.Fatal("the forms did not change what the test expects")
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	r2 := startRouter(t, Options{StateDir: dir})
	if diff := cmp.Diff(want, r2.Snapshot()); diff != "" {
		t.Fatalf("state after restart (-before +after):\n%s", diff)
	}
}

// TestOldStateGetsFreeObjects starts on a state file written before IP
// objects existed: every object is free, and the rest is kept.
func TestOldStateGetsFreeObjects(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	old := `{"admin_user": "admin", "admin_password": "from-old", "management": {"https": true, "ping": true,
		"access_list": ["", "", "", "", "", "", "", "", "", ""], "ports": {"http": 80, "https": 443}}}`
	if err := os.WriteFile(filepath.Join(dir, stateFile), []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	r := startRouter(t, Options{StateDir: dir})
	st := r.Snapshot()
	if st.AdminPassword != "from-old" || st.Objects[191] != FreeObject() {
		t.Fatalf("old state: password kept %v, object 192 %+v", st.AdminPassword == "from-old", st.Objects[191])
	}
	// A state a form would refuse does not start.
	bad := strings.Replace(old, `"access_list": ["",`, `"access_list": ["198.51.100.0/24",`, 1)
	badDir := t.TempDir()
	if err := os.WriteFile(filepath.Join(badDir, stateFile), []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	if r, err := Start(t.Context(), Options{StateDir: badDir, LANHTTP: "127.0.0.1:0"}); err == nil {
		r.Close()
		t.Fatal("a state with a CIDR in the access list started")
	}
}
