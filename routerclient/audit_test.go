package routerclient

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/gatekey/gatekey/routersim"
	"github.com/google/go-cmp/cmp"
)

func severities(r *AuditReport) map[string]Severity {
	out := map[string]Severity{}
	for _, c := range r.Checks {
		out[c.ID] = c.Severity
		if c.Fix == "" || c.Title == "" {
			out[c.ID] = "missing text"
		}
	}
	return out
}

func weakRouter(t *testing.T, opts routersim.Options) *routersim.Router {
	r := startSim(t, opts)
	if err := r.Update(func(s *routersim.State) {
		m := &s.Management
		m.Internet, m.HTTP, m.HTTPS, m.Telnet, m.FTP, m.SNMP, m.Ping = true, true, true, true, true, true, true
		m.EnforceHTTPS = false
		m.BruteForce.Enabled = false
		m.TLS = routersim.TLSVersions{TLS12: true, TLS11: true, TLS10: true}
	}); err != nil {
		t.Fatal(err)
	}
	return r
}

// checkSeverities compares the audit's severities with want.
func checkSeverities(t *testing.T, rep *AuditReport, want map[string]Severity) {
	t.Helper()
	got := severities(rep)
	for id, sev := range want {
		if got[id] != sev {
			t.Errorf("check %s: %q, want %q", id, got[id], sev)
		}
	}
}

func TestAuditAndHardenWeakRouter(t *testing.T) {
	t.Parallel()
	r := weakRouter(t, routersim.Options{Model: "2865", Firmware: "4.4.5.1"})
	s := login(t, lanClient(t, r), adminCreds, nil)
	rep, err := s.Audit(t.Context(), AuditOptions{Router: "office"})
	if err != nil {
		t.Fatal(err)
	}
	checkSeverities(t, rep, map[string]Severity{
		"firmware": SeverityCritical, "advisories": SeverityCritical, "internet_management": SeverityWarning,
		"wan_unencrypted": SeverityHigh, "enforce_https": SeverityWarning, "access_list": SeverityHigh,
		"totp": SeverityHigh, "brute_force": SeverityWarning, "tls": SeverityWarning,
		"default_password": SeverityCritical, "ssl_vpn": SeverityInfo, "clock": SeverityOK,
	})
	if !rep.Failed() {
		t.Error("a weak router passed the audit")
	}
	data, _ := json.Marshal([]*AuditReport{rep})
	if !bytes.Contains(data, []byte(`"router":"office","checks":[{"id":"firmware","severity":"critical","title":`)) {
		t.Errorf("audit JSON shape: %s", data[:min(len(data), 200)])
	}

	before := fromSim(r.Snapshot())
	res, err := s.Harden(t.Context(), HardenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 2 {
		t.Errorf("warnings %v, want the empty access list and the missing TOTP", res.Warnings)
	}
	want := before.Clone()
	want.HTTPS, want.HTTP, want.Telnet, want.FTP, want.SNMP, want.Ping, want.EnforceHTTPS = true, false, false, false, false, false, true
	want.BruteForce, want.BruteForceFailures, want.BruteForcePenalty, want.BruteForceServices = true, 5, 1800, allServices
	want.TLS = &TLSVersions{TLS12: true}
	want.IPv6.Ping = false
	if d := cmp.Diff(want, fromSim(r.Snapshot())); d != "" {
		t.Errorf("after harden (-want +router):\n%s", d)
	}
	if len(res.NotTaken) != 0 {
		t.Errorf("not taken: %v", res.NotTaken)
	}
}

func TestAuditAndHardenHardenedRouter(t *testing.T) {
	t.Parallel()
	creds := Credentials{Username: "admin", Password: "a-long-password"}
	bf := routersim.DefaultBruteForce()
	bf.Enabled, bf.Failures, bf.PenaltySeconds = true, 7, 900
	r := startSim(t, routersim.Options{AdminPassword: creds.Password, BruteForce: &bf})
	if err := r.Update(func(s *routersim.State) {
		s.Management.Ping = false
		s.Management.TLS = routersim.TLSVersions{TLS12: true}
		s.Management.EnforceHTTPS = true
		s.Management.IPv6.Ping = false
	}); err != nil {
		t.Fatal(err)
	}
	s := login(t, lanClient(t, r), creds, nil)
	// A hardened router gives harden nothing to do and keeps its own limits.
	res, err := s.Harden(t.Context(), HardenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Plan.Changes) != 0 {
		t.Errorf("harden on a hardened router planned %v", res.Plan.Changes)
	}
	if got := r.Snapshot().Management.BruteForce; got.Failures != 7 || got.PenaltySeconds != 900 {
		t.Errorf("harden changed the router's limits: %+v", got)
	}
	rep, err := s.Audit(t.Context(), AuditOptions{Router: "home"})
	if err != nil {
		t.Fatal(err)
	}
	// Only the advisories whose fix Gatekey does not know keep it from
	// passing: they are a warning for every router until the data says more.
	for _, c := range rep.Checks {
		if c.Severity.rank() >= SeverityWarning.rank() && c.ID != "advisories_fix_unknown" {
			t.Errorf("a hardened router failed the audit: %+v", c)
		}
	}
	if sev := severities(rep)["advisories_fix_unknown"]; sev != SeverityWarning || !rep.Failed() {
		t.Errorf("advisories without a known fix: %q, failed %v; want a warning that fails the audit", sev, rep.Failed())
	}
}

func TestHardenAllowFromWANWithTOTP(t *testing.T) {
	t.Parallel()
	r := weakRouter(t, routersim.Options{})
	secret, err := r.EnrollTOTP()
	if err != nil {
		t.Fatal(err)
	}
	before := r.Snapshot()
	s := login(t, wanClient(t, r), adminCreds, codesFor(t, secret))
	// Without a linked TOTP account, --allow is refused but the rest applies.
	res, err := s.Harden(t.Context(), HardenOptions{Allow: []string{"127.0.0.1/32", "10.0.0.0/8"}})
	if !errors.Is(err, ErrTOTPNotLinked) {
		t.Fatalf("got %v, want ErrTOTPNotLinked", err)
	}
	if m := r.Snapshot().Management; m.AccessList[0] != "" || m.HTTP {
		t.Errorf("after refused --allow: access list %q, http %v", m.AccessList, m.HTTP)
	}
	if res == nil || res.Applied == nil {
		t.Fatal("the rest of the preset was not applied")
	}
	// With it, the access list is replaced; this WAN source (127.0.0.1) stays allowed.
	if _, err := s.Harden(t.Context(), HardenOptions{Allow: []string{"127.0.0.1/32", "10.0.0.0/8"}, TOTPLinked: true}); err != nil {
		t.Fatal(err)
	}
	st := r.Snapshot()
	if got := fromSim(st); !got.Internet || !got.HTTPS || !cmp.Equal(got.AccessList, []string{"127.0.0.1", "10.0.0.0/8"}) {
		t.Errorf("after --allow with TOTP: %+v", got)
	}
	checkObjects(t, before, st, map[int]string{1: "127.0.0.1/32", 2: "10.0.0.0/8"})
}

func TestClockSkew(t *testing.T) {
	t.Parallel()
	r := startSim(t, routersim.Options{ClockOffset: 5 * time.Minute})
	s := login(t, lanClient(t, r), Credentials{Username: "admin", Password: "admin"}, nil)
	clock, err := s.Clock(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	off := clock.OffsetSeconds()
	if off == nil || *off < 298 || *off > 302 {
		t.Fatalf("offset %v, want about 300 s", off)
	}
	rep, err := s.Audit(t.Context(), AuditOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if severities(rep)["clock"] != SeverityWarning {
		t.Errorf("clock check %q, want warning", severities(rep)["clock"])
	}
	st, _, err := s.Status(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(st)
	var back Status
	if err := json.Unmarshal(data, &back); err != nil || back.ClockOffsetSeconds == nil || *back.ClockOffsetSeconds < 298 {
		t.Errorf("status JSON %s: clock_offset_seconds", data)
	}
	for _, key := range []string{`"family":"drayos4"`, `"totp_documented":true`, `"below_safe_minimum":false`,
		`"advisories":[{"id":"CVE-2025-20710"`, `"fix_known":false`, `"advice_origin":"embedded"`} {
		if !bytes.Contains(data, []byte(key)) {
			t.Errorf("status JSON %s lacks %s", data, key)
		}
	}
}

// A web interface open over IPv6 is reported like an IPv4 one, even with
// IPv4 management off; harden closes it.
func TestAuditIPv6Open(t *testing.T) {
	t.Parallel()
	r := startSim(t, routersim.Options{IPv6Open: true})
	s := login(t, lanClient(t, r), adminCreds, nil)
	rep, err := s.Audit(t.Context(), AuditOptions{Router: "home"})
	if err != nil {
		t.Fatal(err)
	}
	checkSeverities(t, rep, map[string]Severity{"internet_management": SeverityOK, "ipv6_management": SeverityWarning,
		"ipv6_unencrypted": SeverityHigh, "ipv6_access_list": SeverityHigh, "ipv6_totp": SeverityHigh, "ipv6_ping": SeverityInfo})
	if _, err := s.Harden(t.Context(), HardenOptions{}); err != nil {
		t.Fatal(err)
	}
	v := r.Snapshot().Management.IPv6
	if !v.Internet || v.HTTP || !v.HTTPS || v.Ping {
		t.Errorf("IPv6 after harden: %+v", v)
	}
	rep, err = s.Audit(t.Context(), AuditOptions{Router: "home"})
	if err != nil {
		t.Fatal(err)
	}
	if got := severities(rep); got["ipv6_unencrypted"] != SeverityOK || got["ipv6_access_list"] != SeverityHigh {
		t.Errorf("after harden: unencrypted %q, access list %q", got["ipv6_unencrypted"], got["ipv6_access_list"])
	}
}
