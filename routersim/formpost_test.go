package routersim

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestFormTokenIsNotTheSessionToken checks that no form carries the session's
// token: a page's hidden sFormAuthStr is stale, as before its script runs
// (drayos-web.md §4), so a client must put its own in its place.
func TestFormTokenIsNotTheSessionToken(t *testing.T) {
	t.Parallel()
	r := startRouter(t, Options{})
	c := newClient(t, r, r.URLs().LANHTTP)
	c.mustLogin("admin", "admin", nil)
	tokenRE := regexp.MustCompile(`name="sFormAuthStr" value="([^"]*)"`)
	for _, fid := range []string{"2041", "2029", "6", "2201", "2301", "2016", "310"} {
		page := c.page(fid).body
		ms := tokenRE.FindAllStringSubmatch(page, -1)
		if len(ms) == 0 {
			t.Errorf("fid %s: no form token", fid)
		}
		for _, m := range ms {
			if m[1] == c.token {
				t.Errorf("fid %s: a form carries the session's token", fid)
			}
		}
	}
}

func TestRepeatedFieldsFirstCountsAndIsRecorded(t *testing.T) {
	t.Parallel()
	r := startRouter(t, Options{})
	c := newClient(t, r, r.URLs().LANHTTP)
	c.mustLogin("admin", "admin", nil)
	f := readForm(t, c.page("2041").body)
	f.check(t, "sRMC", true)
	r.ResetRequests()

	// The page's copy of the token, then the session's: the first counts, so
	// the save is refused and changes nothing, but the session stays.
	before := r.Snapshot()
	body := url.Values{}
	for k, v := range f.values {
		body[k] = append([]string(nil), v...)
	}
	body["sFormAuthStr"] = append(body["sFormAuthStr"], c.token)
	if rep := c.post("/cgi-bin/acontrol.cgi", body); rep.status != http.StatusFound || rep.loc != "/weblogin.htm" {
		t.Fatalf("save with the token twice: %d to %q", rep.status, rep.loc)
	}
	if r.Snapshot() != before || !r.LoggedIn() {
		t.Fatal("the refused save changed the configuration or ended the session")
	}
	want := []RepeatedFields{{Method: http.MethodPost, Path: "/cgi-bin/acontrol.cgi", Fields: []string{"sFormAuthStr"}}}
	if diff := cmp.Diff(want, r.Repeated()); diff != "" {
		t.Fatalf("Repeated() (-want +got):\n%s", diff)
	}
	// A query field twice is recorded too; a correct save adds nothing.
	c.get("/cgi-bin/v2x00.cgi?sFormAuthStr=" + c.token + "&fid=2041&fid=6")
	if rep := c.submit("/doc/acontrol.sht", f); rep.status != http.StatusFound || rep.loc != "/doc/acontrol.sht" {
		t.Fatalf("correct save: %d to %q", rep.status, rep.loc)
	}
	if got := r.Repeated(); len(got) != 2 || got[1].Path != "/cgi-bin/v2x00.cgi" || got[1].Fields[0] != "fid" {
		t.Fatalf("Repeated() = %+v", got)
	}
	if !r.Snapshot().Management.Internet {
		t.Fatal("the correct save did not apply")
	}
	r.ResetRequests()
	if len(r.Repeated()) != 0 {
		t.Fatal("ResetRequests kept the record")
	}
}
