package routersim

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// backupNow navigates to the backup page by fid, finds the form with the
// Backup button and posts it, as drayos-web.md §4.4 tells a client to.
func backupNow(t *testing.T, c *client, fid string) reply {
	t.Helper()
	nav := c.get("/cgi-bin/v2x00.cgi?sFormAuthStr=" + c.token + "&fid=" + fid)
	page := c.get(nav.loc)
	if page.status != http.StatusOK {
		t.Fatalf("backup page %s: %d", nav.loc, page.status)
	}
	return c.submit(nav.loc, readFormNamed(t, page.body, "backup"))
}

func TestBackupDownload(t *testing.T) {
	t.Parallel()
	r := startRouter(t, Options{Model: "Vigor2865"})
	c := newClient(t, r, r.URLs().LANHTTPS)
	c.mustLogin("admin", "admin", nil)
	page := c.page("2016")
	// The restore form comes first; the backup form is found by its button.
	if i, j := strings.Index(page.body, `name="restore"`), strings.Index(page.body, `value="Backup"`); i < 0 || j < i {
		t.Fatalf("backup page layout:\n%s", page.body)
	}
	before := r.Backup()
	rep := backupNow(t, c, "2016")
	wantName := `attachment; filename="Vigor2865_` + r.Clock().UTC().Format("20060102") + `.cfg"`
	if rep.status != http.StatusOK || rep.header.Get("Content-Type") != "application/octet-stream" || rep.header.Get("Content-Disposition") != wantName {
		t.Fatalf("backup: %d %q %q", rep.status, rep.header.Get("Content-Type"), rep.header.Get("Content-Disposition"))
	}
	if !bytes.Equal([]byte(rep.body), before) || !bytes.HasPrefix(before, []byte(backupMagic)) {
		t.Fatal("the download is not the configuration file of Backup()")
	}
	st, err := DecodeBackup([]byte(rep.body))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(r.Snapshot(), st); diff != "" {
		t.Fatalf("the file does not hold the configuration (-running +file):\n%s", diff)
	}
	// The same configuration gives the same bytes; a change, other bytes.
	if again := backupNow(t, c, "2016"); again.body != rep.body {
		t.Fatal("two backups of one configuration differ")
	}
	c.console("mngt rmtcfg enable")
	if changed := backupNow(t, c, "2016"); changed.body == rep.body {
		t.Fatal("the backup did not change with the configuration")
	}
	c.console("mngt rmtcfg disable")
	if back := backupNow(t, c, "2016"); back.body != rep.body {
		t.Fatal("the same configuration again gives other bytes")
	}
}

func TestBackupFormRules(t *testing.T) {
	t.Parallel()
	r := startRouter(t, Options{})
	c := newClient(t, r, r.URLs().LANHTTP)
	c.mustLogin("admin", "admin", nil)
	f := readFormNamed(t, c.page("2016").body, "backup")
	// A field missing: 400 naming it.
	g := readFormNamed(t, c.get("/doc/cfgrest.htm").body, "backup")
	g.values.Del("sBackupType")
	if rep := c.submit("/doc/cfgrest.htm", g); rep.status != http.StatusBadRequest || !strings.Contains(rep.body, "sBackupType") {
		t.Fatalf("missing field: %d %s", rep.status, rep.body)
	}
	// The page's own token is stale: posting the form unchanged is refused.
	rep := c.post("/cgi-bin/cfgbackup.cgi", f.values)
	if rep.status != http.StatusFound || rep.loc != "/weblogin.htm" {
		t.Fatalf("backup with the page's token: %d to %q", rep.status, rep.loc)
	}
	// Restoring is refused and changes nothing.
	before := r.Snapshot()
	restore := readFormNamed(t, c.get("/doc/cfgrest.htm").body, "restore")
	if rep := c.submit("/doc/cfgrest.htm", restore); rep.status != http.StatusNotImplemented || r.Snapshot() != before {
		t.Fatalf("restore: %d", rep.status)
	}
}

func TestBackupAsConfigurationExport(t *testing.T) {
	t.Parallel()
	r := startRouter(t, Options{BackupFID: 3004})
	c := newClient(t, r, r.URLs().LANHTTPS)
	c.mustLogin("admin", "admin", nil)
	if rep := c.get("/cgi-bin/v2x00.cgi?sFormAuthStr=" + c.token + "&fid=2016"); rep.status != http.StatusNotFound {
		t.Fatalf("fid 2016 on firmware with 3004: %d to %q", rep.status, rep.loc)
	}
	page := c.page("3004")
	if !strings.Contains(page.body, "<h1>Configuration Export</h1>") || !strings.Contains(page.body, "fid=3004\">Configuration Export<") {
		t.Fatalf("export page:\n%s", page.body)
	}
	if f := readFormNamed(t, page.body, "backup"); f.action != "../cgi-bin/cfgexport.cgi" {
		t.Fatalf("export form action %q", f.action)
	}
	if rep := backupNow(t, c, "3004"); rep.status != http.StatusOK || rep.body != string(r.Backup()) {
		t.Fatalf("export: %d", rep.status)
	}
	if _, err := Start(t.Context(), Options{LANHTTP: "127.0.0.1:0", BackupFID: 2017}); err == nil {
		t.Fatal("a backup fid other than 2016 and 3004 started")
	}
}

func TestBackupFaults(t *testing.T) {
	t.Parallel()
	r := startRouter(t, Options{BackupFault: BackupFaultPageError})
	c := newClient(t, r, r.URLs().LANHTTPS)
	c.mustLogin("admin", "admin", nil)
	if rep := c.get("/doc/cfgrest.htm"); rep.status != http.StatusInternalServerError {
		t.Fatalf("page error fault: %d", rep.status)
	}
	r.SetBackupFault(BackupFaultNoForm)
	if p := c.get("/doc/cfgrest.htm"); p.status != http.StatusOK || strings.Contains(p.body, "Backup\"") || strings.Contains(p.body, `name="backup"`) {
		t.Fatalf("no-form fault: %d\n%s", p.status, p.body)
	}
	r.SetBackupFault(BackupFaultPostError)
	if rep := backupNow(t, c, "2016"); rep.status != http.StatusInternalServerError {
		t.Fatalf("post error fault: %d", rep.status)
	}
	r.SetBackupFault(BackupOK)
	if rep := backupNow(t, c, "2016"); rep.status != http.StatusOK {
		t.Fatalf("after the fault: %d", rep.status)
	}
}

func FuzzDecodeBackup(f *testing.F) {
	good := encodeBackup("Vigor2927", "4.5.2.2", factoryState("admin", "admin", DefaultBruteForce()))
	f.Add(good)
	f.Add(good[:40])
	f.Add([]byte(backupMagic))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		// Never a panic; a file it accepts encodes back to a readable one.
		st, err := DecodeBackup(data)
		if err != nil {
			return
		}
		if _, err := DecodeBackup(encodeBackup("m", "f", st)); err != nil {
			t.Fatalf("re-encoded file unreadable: %v", err)
		}
	})
}
