package routersim

import (
	"net/http"
	"strings"
	"testing"
)

// passwordCases are new passwords and whether the router takes them with
// the default refused characters.
var passwordCases = []struct {
	pw string
	ok bool
}{
	{"n3w-Pässwörd!#%&", true},
	{strings.Repeat("x", 83), true},
	{strings.Repeat("x", 84), false},
	{strings.Repeat("é", 83), true},
	{"", false},
	{"has space", false},
	{"quote'", false},
	{`dquote"`, false},
	{`back\slash`, false},
	{"tab\there", false},
	{"bell\x07", false},
	{"bad\xffutf8", false},
}

func TestSysPasswd(t *testing.T) {
	t.Parallel()
	r := startRouter(t, Options{AdminPassword: "old-pw"})
	c := newClient(t, r, r.URLs().LANHTTPS)
	c.mustLogin("admin", "old-pw", nil)
	if out := c.console("sys passwd wrong n3w"); !strings.Contains(out, "Invalid") || r.Snapshot().AdminPassword != "old-pw" {
		t.Fatalf("wrong old password: %q", out)
	}
	for _, cmd := range []string{"sys passwd", "sys passwd old-pw", "sys passwd old-pw a b"} {
		if out := c.console(cmd); !strings.Contains(out, "Invalid") {
			t.Errorf("%q: %q", cmd, out)
		}
	}
	// Characters the console can carry in one word.
	for _, tc := range passwordCases {
		if tc.pw == "" || strings.ContainsAny(tc.pw, " \t") {
			continue
		}
		cur := r.Snapshot().AdminPassword
		out := c.console("sys passwd " + cur + " " + tc.pw)
		if got := strings.TrimSpace(out) == replyOK; got != tc.ok {
			t.Errorf("new password %q: reply %q, want ok=%v", tc.pw, out, tc.ok)
		}
		if want := map[bool]string{true: tc.pw, false: cur}[tc.ok]; r.Snapshot().AdminPassword != want {
			t.Errorf("new password %q: the password is wrong afterwards", tc.pw)
		}
	}
	// Case is kept; the change works at once; the session that made it stays.
	cur := r.Snapshot().AdminPassword
	if out := c.console("sys passwd " + cur + " MiXeD-Case"); strings.TrimSpace(out) != replyOK {
		t.Fatalf("sys passwd: %q", out)
	}
	c.console("sys version")
	other := newClient(t, r, r.URLs().LANHTTP)
	if rep := other.login("admin", cur, nil); rep.loc != "/weblogin.htm" {
		t.Fatal("the old password still logs in")
	}
	other.mustLogin("admin", "MiXeD-Case", nil)
	// Like every console change it is lost at a reboot without sys commit.
	if r.Committed().AdminPassword != "old-pw" {
		t.Fatal("sys passwd was committed without sys commit")
	}
	r.Reboot()
	waitBack(t, other)
	other.mustLogin("admin", "old-pw", nil)
}

func TestAdminPageChangesPassword(t *testing.T) {
	t.Parallel()
	names := Names{Admin: AdminPageNames{OldPassword: "pwOld", NewPassword: "pwNew", ConfirmPassword: "pwAgain"}}
	r := startRouter(t, Options{AdminPassword: "old-pw", Names: names, PasswordRefusedChars: "#"})
	c := newClient(t, r, r.URLs().LANHTTPS)
	c.mustLogin("admin", "old-pw", nil)
	try := func(old, pw, confirm string) reply {
		t.Helper()
		f := readForm(t, c.page("2029").body)
		f.values.Set("pwOld", old)
		f.values.Set("pwNew", pw)
		f.values.Set("pwAgain", confirm)
		return c.submit("/doc/chglog.sht", f)
	}
	// Refusals answer the page again with the reason and change nothing.
	for _, tc := range []struct{ old, pw, confirm, why string }{
		{"nope", "fine-pw", "fine-pw", "old password is invalid"},
		{"old-pw", "fine-pw", "other", "new passwords differ"},
		{"old-pw", strings.Repeat("y", 84), strings.Repeat("y", 84), "new password is longer than 83"},
		{"old-pw", "hash#pw", "hash#pw", "new password contains a character the router does not accept"},
	} {
		rep := try(tc.old, tc.pw, tc.confirm)
		if rep.status != http.StatusOK || !strings.Contains(rep.body, "Password not changed: the "+tc.why) ||
			!strings.Contains(rep.body, `name="pwOld"`) || r.Snapshot().AdminPassword != "old-pw" {
			t.Fatalf("%+v: %d, password changed %v\n%s", tc, rep.status, r.Snapshot().AdminPassword != "old-pw", rep.body)
		}
	}
	// With "#" as the only refused character, spaces and quotes are fine.
	rep := try("old-pw", ` new "pw" `, ` new "pw" `)
	if rep.status != http.StatusFound || !strings.Contains(rep.loc, "fid=2029") {
		t.Fatalf("change: %d to %q", rep.status, rep.loc)
	}
	if p := c.page("2029").body; !strings.Contains(p, "Password changed.") {
		t.Fatal("no confirmation on the page")
	}
	if r.Committed().AdminPassword != ` new "pw" ` {
		t.Fatal("the form's change was not written to flash at once (or was trimmed)")
	}
	newClient(t, r, r.URLs().LANHTTP).mustLogin("admin", ` new "pw" `, nil)
}

func TestRefusedPasswordChangeKeepsTOTP(t *testing.T) {
	t.Parallel()
	r := startRouter(t, Options{Model: "Vigor2927", Firmware: "4.4.5.8"})
	if _, err := r.EnrollTOTP(); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, r, r.URLs().LANHTTPS)
	c.mustLogin("admin", "admin", nil)
	f := readForm(t, c.page("2029").body)
	f.check(t, "sAdvAuth", false) // would turn TOTP off with the save
	f.values.Set("sOldPasswd", "wrong")
	f.values.Set("sPasswd", "n3w-pw")
	f.values.Set("sConfirmPasswd", "n3w-pw")
	if rep := c.submit("/doc/chglog.sht", f); rep.status != http.StatusOK || !r.Snapshot().TOTP.Enabled {
		t.Fatalf("refused change: %d, TOTP on %v", rep.status, r.Snapshot().TOTP.Enabled)
	}
}

func TestRefuseNewPasswordOnce(t *testing.T) {
	t.Parallel()
	for _, how := range []string{"option", "method"} {
		t.Run(how, func(t *testing.T) {
			t.Parallel()
			r := startRouter(t, Options{AdminPassword: "old-pw", RefuseNewPasswordOnce: how == "option"})
			if how == "method" {
				r.RefuseNewPasswordOnce()
			}
			c := newClient(t, r, r.URLs().LANHTTPS)
			c.mustLogin("admin", "old-pw", nil)
			if out := c.console("sys passwd old-pw n3w-pw"); strings.TrimSpace(out) != replyOK {
				t.Fatalf("sys passwd: %q", out)
			}
			// The change was accepted: the old password is gone...
			if rep := newClient(t, r, r.URLs().LANHTTP).login("admin", "old-pw", nil); rep.loc != "/weblogin.htm" {
				t.Fatal("the old password logs in")
			}
			// ...but the first login with the new one fails, the next works.
			if rep := newClient(t, r, r.URLs().LANHTTP).login("admin", "n3w-pw", nil); rep.loc != "/weblogin.htm" {
				t.Fatal("the fault did not refuse the first login with the new password")
			}
			newClient(t, r, r.URLs().LANHTTP).mustLogin("admin", "n3w-pw", nil)
			newClient(t, r, r.URLs().LANHTTP).mustLogin("admin", "n3w-pw", nil)
		})
	}
}
