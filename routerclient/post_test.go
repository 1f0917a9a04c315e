package routerclient

import (
	"testing"

	"github.com/gatekey/gatekey/routersim"
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

// Against the simulator, which serves a stale hidden sFormAuthStr in every
// form and records any field sent twice: no request of the client's
// writes carries a field twice.
func TestNoFieldSentTwice(t *testing.T) {
	t.Parallel()
	r := startSim(t, routersim.Options{})
	s := login(t, lanClient(t, r, WithProfile(formPasswordPath())), adminCreds, nil)
	if _, err := s.Set(t.Context(), []string{"ping=off", "access_list=192.0.2.0/24", "ipv6_ping=off", "tls1_1=off"}, ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Backup(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := s.ChangePassword(t.Context(), "admin", "New-pw-for-test.1"); err != nil {
		t.Fatal(err)
	}
	e, err := s.ReadTOTPEnrolment(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.EnableTOTP(t.Context(), e.Secret, codesFor(t, e.Secret)); err != nil {
		t.Fatal(err)
	}
	if rep := r.Repeated(); len(rep) != 0 {
		t.Errorf("fields sent twice: %+v", rep)
	}
	if n := r.RequestsByPath()["/cgi-bin/acontrol.cgi"] + r.RequestsByPath()["/cgi-bin/objip.cgi"]; n != 2 {
		t.Errorf("%d saves of the Management and IP Object pages, want 2", n)
	}
}
