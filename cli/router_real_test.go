package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gatekey/gatekey/app"
	"github.com/gatekey/gatekey/internal/testenv"
	"github.com/gatekey/gatekey/routersim"
)

// addSimRouter adds a simulated router under name to the vault home h.
func addSimRouter(t *testing.T, h, name string, sim *routersim.Router) {
	t.Helper()
	code, _, errOut := run(t, "router", "add", h, name, sim.URLs().LANHTTPS, "--password-file", passwordFile(t, "admin"),
		"--accept-fingerprint", sim.Fingerprint())
	if code != ExitOK {
		t.Fatalf("router add: exit %d stderr %q", code, errOut)
	}
}

type planJSON struct {
	Router  string `json:"router"`
	Changes []struct {
		Key  string `json:"key"`
		From string `json:"from"`
		To   string `json:"to"`
	} `json:"changes"`
	Warnings []string `json:"warnings"`
}

// harden --dry-run --json prints exactly the changes the real run then
// applies and reads back, for several starting states: factory settings, a
// router open over IPv4 and IPv6 with TR-069, one whose access list holds
// a group, and one an ACS manages. The window's preview is the same plan:
// app.RouterService.PlanHarden, which both call.
func TestHardenDryRunIsWhatTheRunApplies(t *testing.T) {
	testenv.SecretService(t)
	cases := []struct {
		name  string
		opts  routersim.Options
		flags []string
	}{
		{"factory", routersim.Options{}, nil},
		{"open", routersim.Options{IPv6Open: true, TR069Open: true}, nil},
		{"group entry", routersim.Options{
			Objects:    map[int]routersim.IPObject{5: {Name: "office", Type: routersim.ObjectSingle, Start: "198.51.100.7"}},
			Groups:     map[int]routersim.IPGroup{2: {Name: "branches", Objects: [routersim.MaxGroupMembers]int{5}}},
			AccessList: []string{"g2", "5"}, TR069Open: true}, nil},
		{"acs", routersim.Options{TR069Open: true}, []string{"--keep-tr069"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.LANHTTPS = "127.0.0.1:0"
			sim := startRouter(t, tc.opts)
			home := t.TempDir()
			h := "--home=" + home
			addSimRouter(t, h, "r", sim)

			args := append([]string{"router", "harden", "--dry-run", "--json", h, "r"}, tc.flags...)
			code, out, errOut := run(t, args...)
			var dry planJSON
			if err := json.Unmarshal([]byte(out), &dry); err != nil || code != ExitOK {
				t.Fatalf("dry run: exit %d %q %q %v", code, out, errOut, err)
			}
			// The window's preview: the same use case, called directly.
			svc := app.NewRouterService(home, nil, nil)
			preview, err := svc.PlanHarden(t.Context(), "r", app.HardenChoices{KeepTR069: len(tc.flags) > 0})
			if err != nil {
				t.Fatal(err)
			}
			previewJSON, _ := json.Marshal(preview)
			var fromPreview planJSON
			json.Unmarshal(previewJSON, &fromPreview)
			if diff := cmp.Diff(dry, fromPreview); diff != "" {
				t.Errorf("the window's preview differs from the dry run (-dry +preview):\n%s", diff)
			}

			args = append([]string{"router", "harden", "--json", h, "r"}, tc.flags...)
			code, out, errOut = run(t, args...)
			var real planJSON
			if err := json.Unmarshal([]byte(out), &real); err != nil || code != ExitOK {
				t.Fatalf("real run: exit %d %q %q %v", code, out, errOut, err)
			}
			if len(dry.Changes) == 0 {
				t.Fatal("the dry run plans nothing, so the comparison proves nothing")
			}
			if diff := cmp.Diff(dry.Changes, real.Changes); diff != "" {
				t.Errorf("the real run applied other changes than the dry run showed (-dry +real):\n%s", diff)
			}
			args = append([]string{"router", "harden", "--dry-run", h, "r"}, tc.flags...)
			if code, out, _ := run(t, args...); code != ExitOK || out != "nothing to change\n" {
				t.Errorf("a second dry run: exit %d %q", code, out)
			}
		})
	}
}

// The group entry of an access list survives harden --allow, and mgmt
// shows object entries as the networks they hold.
func TestHardenAllowKeepsGroups(t *testing.T) {
	testenv.SecretService(t)
	sim := startRouter(t, routersim.Options{LANHTTPS: "127.0.0.1:0",
		Groups:     map[int]routersim.IPGroup{3: {Name: "branches", Objects: [routersim.MaxGroupMembers]int{9}}},
		Objects:    map[int]routersim.IPObject{9: {Name: "branch", Type: routersim.ObjectSingle, Start: "203.0.113.9"}},
		AccessList: []string{"g3"}})
	secret, err := sim.EnrollTOTP()
	if err != nil {
		t.Fatal(err)
	}
	h := "--home=" + t.TempDir()
	if code, _, errOut := run(t, "add", h, "otpauth://totp/DrayTek:r?secret="+secret+"&issuer=DrayTek"); code != ExitOK {
		t.Fatalf("add account: %q", errOut)
	}
	if code, _, errOut := run(t, "router", "add", h, "r", sim.URLs().LANHTTPS, "--password-file", passwordFile(t, "admin"),
		"--accept-fingerprint", sim.Fingerprint(), "--totp", "DrayTek"); code != ExitOK {
		t.Fatalf("router add: %q", errOut)
	}
	if code, out, errOut := run(t, "router", "harden", "--allow", "198.51.100.0/24", h, "r"); code != ExitOK {
		t.Fatalf("harden --allow: exit %d %q %q", code, out, errOut)
	}
	code, out, _ := run(t, "router", "mgmt", "--json", h, "r")
	var m struct {
		AccessList []string `json:"access_list"`
	}
	if err := json.Unmarshal([]byte(out), &m); err != nil || code != ExitOK {
		t.Fatalf("mgmt: %q", out)
	}
	if !cmp.Equal(m.AccessList, []string{"198.51.100.0/24", "group:3"}) {
		t.Errorf("access list after harden --allow: %q, want the network and the kept group", m.AccessList)
	}
	st := sim.Snapshot()
	if st.Groups[3-1].Name != "branches" || st.Objects[9-1].Start != "203.0.113.9" {
		t.Errorf("harden changed a group or an object it did not create")
	}
}

// Every change is preceded by a backup whose bytes are what the router
// exported before the change; a failing backup page stops the change
// (nothing written, exit 1) unless --no-backup; router backup writes the
// file where it is asked to.
func TestBackupBeforeChange(t *testing.T) {
	testenv.SecretService(t)
	sim := startRouter(t, routersim.Options{LANHTTPS: "127.0.0.1:0"})
	home := t.TempDir()
	h := "--home=" + home
	addSimRouter(t, h, "office", sim)

	before := sim.Backup()
	code, out, errOut := run(t, "router", "set", h, "office", "ping=off")
	if code != ExitOK || !strings.HasPrefix(out, "backup: ") {
		t.Fatalf("set: exit %d stdout %q stderr %q", code, out, errOut)
	}
	path := strings.TrimSpace(strings.TrimPrefix(strings.SplitN(out, "\n", 2)[0], "backup: "))
	if filepath.Dir(filepath.Dir(path)) != filepath.Join(home, "backups") {
		t.Errorf("backup at %s, want under %s", path, filepath.Join(home, "backups", "office"))
	}
	saved, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(saved, before) {
		t.Fatalf("the backup is not what the router exported before the change (%d bytes, %v)", len(saved), err)
	}
	if bytes.Equal(sim.Backup(), before) {
		t.Fatal("the change did not reach the router, so the comparison proves nothing")
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %v, want 0600", fi.Mode().Perm())
	}

	sim.SetBackupFault(routersim.BackupFaultPostError)
	unchanged := sim.Snapshot().Management
	if code, out, errOut := run(t, "router", "set", h, "office", "brute_force=on"); code != ExitFailed || !strings.Contains(errOut, "--no-backup") || out != "" {
		t.Errorf("set with a failing backup: exit %d stdout %q stderr %q", code, out, errOut)
	}
	if got := sim.Snapshot().Management; !cmp.Equal(got, unchanged) {
		t.Errorf("a set whose backup failed changed the router")
	}
	if code, out, errOut := run(t, "router", "harden", h, "office"); code != ExitFailed || !cmp.Equal(sim.Snapshot().Management, unchanged) || out != "" || !strings.Contains(errOut, "--no-backup") {
		t.Errorf("harden with a failing backup: exit %d, stdout %q, stderr %q, or the router changed", code, out, errOut)
	}
	if code, out, errOut := run(t, "router", "set", "--no-backup", h, "office", "brute_force=on"); code != ExitOK || strings.Contains(out, "backup:") {
		t.Errorf("set --no-backup: exit %d stdout %q stderr %q", code, out, errOut)
	}

	sim.SetBackupFault(routersim.BackupOK)
	file := filepath.Join(t.TempDir(), "office.cfg")
	if code, out, errOut := run(t, "router", "backup", h, "office", file); code != ExitOK || strings.TrimSpace(out) != file {
		t.Fatalf("router backup FILE: exit %d %q %q", code, out, errOut)
	}
	if saved, _ := os.ReadFile(file); !bytes.Equal(saved, sim.Backup()) {
		t.Error("router backup FILE did not write the router's configuration")
	}
}

// A router whose login page asks for a validation code gets no login
// attempt from the command line: exit 1 and the advice to turn it off.
func TestValidationCodeStopsTheCommandLine(t *testing.T) {
	testenv.SecretService(t)
	sim := startRouter(t, routersim.Options{LANHTTPS: "127.0.0.1:0"})
	h := "--home=" + t.TempDir()
	addSimRouter(t, h, "office", sim)
	if err := sim.Update(func(st *routersim.State) { st.Management.ValidationCode = true }); err != nil {
		t.Fatal(err)
	}
	attempts := sim.LoginAttempts()
	code, out, errOut := run(t, "router", "status", h, "office")
	if code != ExitFailed || out != "" || !strings.Contains(errOut, "Validation Code") || !strings.Contains(errOut, "Management page") {
		t.Errorf("status of a router with a validation code: exit %d stdout %q stderr %q", code, out, errOut)
	}
	if n := sim.LoginAttempts() - attempts; n != 0 {
		t.Errorf("%d login attempts on a router with a validation code, want 0", n)
	}
}

// router passwd changes the password and proves the new login; the new
// password shows nowhere (stdout, stderr, a capture) unless --show asks.
func TestRouterPasswd(t *testing.T) {
	testenv.SecretService(t)
	sim := startRouter(t, routersim.Options{LANHTTPS: "127.0.0.1:0"})
	h := "--home=" + t.TempDir()
	addSimRouter(t, h, "office", sim)

	code, out, errOut := run(t, "router", "passwd", h, "office")
	newPW := sim.Snapshot().AdminPassword
	if code != ExitOK || newPW == "admin" || !strings.Contains(out, "changed office") || !strings.Contains(out, "backup: ") {
		t.Fatalf("passwd: exit %d stdout %q stderr %q", code, out, errOut)
	}
	if len(newPW) != 24 {
		t.Errorf("generated password of %d characters, want 24", len(newPW))
	}
	if strings.Contains(out+errOut, newPW) {
		t.Error("the new password was printed without --show")
	}
	capture := filepath.Join(t.TempDir(), "capture.jsonl")
	if code, _, errOut := run(t, "router", "capture", h, "office", capture); code != ExitOK {
		t.Fatalf("capture after the change: %q", errOut)
	}
	if data, _ := os.ReadFile(capture); len(data) == 0 || bytes.Contains(data, []byte(newPW)) {
		t.Error("the capture is empty or holds the new password")
	}

	code, out, _ = run(t, "router", "passwd", "--show", h, "office")
	shown := sim.Snapshot().AdminPassword
	if code != ExitOK || strings.Count(out, shown) != 1 || shown == newPW {
		t.Errorf("passwd --show: exit %d, stdout %q, router password %q", code, out, shown)
	}

	sim.RefuseNewPasswordOnce()
	code, out, errOut = run(t, "router", "passwd", h, "office")
	if code != ExitFailed || !strings.Contains(errOut, "Both passwords are in the keychain") || strings.Contains(out+errOut, sim.Snapshot().AdminPassword) {
		t.Errorf("passwd with a refused new login: exit %d stdout %q stderr %q", code, out, errOut)
	}
	if code, _, _ := run(t, "router", "passwd", "--generate", "--new-password-file", passwordFile(t, "x"), h, "office"); code != ExitUsage {
		t.Errorf("--generate with --new-password-file: exit %d, want 2", code)
	}
}
