package routerclient

import (
	"testing"
)

// A saved form carries the session's token once, in place of the page's
// hidden copy: the router reads the first occurrence, and a stale copy
// first would end the session.
func TestFormPostSendsEachFieldOnce(t *testing.T) {
	t.Parallel()
	f := newFakeRouter(t)
	m := newFakeManagement(false)
	f.serveManagement(m)
	s := login(t, f.client(t), adminCreds, nil)
	res, err := s.Set(t.Context(), []string{"ping=off", "telnet=on"}, ApplyOptions{AcceptRisk: true})
	if err != nil {
		t.Fatalf("set: %v (%+v)", err, res)
	}
	body := f.lastPost()
	for _, kv := range splitPairs(body) {
		if n := fieldCount(body, kv[0]); n != 1 {
			t.Errorf("%s sent %d times", kv[0], n)
		}
	}
	if m.vals["sWPing"] != "1" || m.vals["sRMCTelnet"] != "1" {
		t.Errorf("the router did not take the change: %v", m.vals)
	}
}
