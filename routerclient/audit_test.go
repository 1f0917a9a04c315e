package routerclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync/atomic"
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

func TestAuditAndHardenWeakRouter(t *testing.T) {
	t.Parallel()
	r := weakRouter(t, routersim.Options{Model: "2865", Firmware: "4.4.5.1"})
	s := login(t, lanClient(t, r), adminCreds, nil)
	rep, err := s.Audit(t.Context(), AuditOptions{Router: "office"})
	if err != nil {
		t.Fatal(err)
	}
	got := severities(rep)
	want := map[string]Severity{
		"firmware": SeverityCritical, "advisories": SeverityCritical, "internet_management": SeverityWarning,
		"wan_unencrypted": SeverityHigh, "enforce_https": SeverityWarning, "access_list": SeverityHigh,
		"totp": SeverityHigh, "brute_force": SeverityWarning, "tls": SeverityWarning,
		"default_password": SeverityCritical, "ssl_vpn": SeverityInfo, "clock": SeverityOK,
	}
	for id, sev := range want {
		if got[id] != sev {
			t.Errorf("check %s: %q, want %q", id, got[id], sev)
		}
	}
	if !rep.Failed() {
		t.Error("a weak router passed the audit")
	}
	data, _ := json.Marshal([]*AuditReport{rep})
	if !bytes.Contains(data, []byte(`"router":"office","checks":[{"id":"firmware","severity":"critical","title":`)) {
		t.Errorf("audit JSON shape: %s", data[:min(len(data), 200)])
	}

	res, err := s.Harden(t.Context(), HardenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 2 {
		t.Errorf("warnings %v, want the empty access list and the missing TOTP", res.Warnings)
	}
	m := r.Snapshot().Management
	if !m.Internet || !m.HTTPS || m.HTTP || m.Telnet || m.FTP || m.SNMP || m.Ping || !m.EnforceHTTPS {
		t.Errorf("after harden: %+v", m)
	}
	if !m.BruteForce.Enabled || m.BruteForce.Failures != 5 || m.BruteForce.PenaltySeconds != 1800 ||
		!(m.BruteForce.HTTP && m.BruteForce.HTTPS && m.BruteForce.Telnet && m.BruteForce.SSH && m.BruteForce.FTP && m.BruteForce.TR069) {
		t.Errorf("brute force after harden: %+v", m.BruteForce)
	}
	if m.TLS != (routersim.TLSVersions{TLS12: true}) {
		t.Errorf("TLS after harden: %+v", m.TLS)
	}
	if len(res.Applied.NotTaken) != 0 {
		t.Errorf("not taken: %v", res.Applied.NotTaken)
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

func TestCaptureRedacts(t *testing.T) {
	t.Parallel()
	creds := Credentials{Username: "admin", Password: "Pw-7f3kq9"}
	r := startSim(t, routersim.Options{AdminPassword: creds.Password})
	enableInternet(t, r)
	secret, err := r.EnrollTOTP()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	cap := NewCapture(&buf)
	c := wanClient(t, r, WithCapture(cap))
	var sentCode string
	codes := func(ctx context.Context, at time.Time) (string, error) {
		code, err := codesFor(t, secret)(ctx, at)
		sentCode = code
		return code, err
	}
	s := login(t, c, creds, codes)
	if _, err := s.ReadManagement(t.Context()); err != nil {
		t.Fatal(err)
	}
	s.Close(t.Context())
	if cap.Err() != nil {
		t.Fatal(cap.Err())
	}
	text := buf.String()
	for _, f := range []string{creds.Password, b64(creds.Password)} {
		if strings.Contains(text, f) {
			t.Errorf("capture contains a secret (%d chars)", len(f))
		}
	}
	// The code and the token must not appear in any form or query value.
	var entries []CaptureEntry
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		var e CaptureEntry
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatal(err)
		}
		entries = append(entries, e)
	}
	sawLogin := false
	for _, e := range entries {
		for _, kv := range append(e.Query, e.Form...) {
			switch strings.ToLower(kv[0]) {
			case "aa", "ab", "sformauthstr":
				if kv[1] != Redacted {
					t.Errorf("%s %s: %s not redacted", e.Method, e.Path, kv[0])
				}
			}
			if sentCode != "" && strings.Contains(kv[1], sentCode) {
				t.Errorf("%s %s: the TOTP code is visible in %s", e.Method, e.Path, kv[0])
			}
		}
		if strings.EqualFold(e.Path, "/cgi-bin/wlogin.cgi") {
			sawLogin = true
			for _, v := range e.Headers["Set-Cookie"] {
				if !strings.Contains(v, "="+Redacted) {
					t.Errorf("Set-Cookie not redacted: %q", v)
				}
			}
		}
		if e.RequestCookie != "" && !strings.Contains(e.RequestCookie, Redacted) {
			t.Errorf("cookie not redacted: %q", e.RequestCookie)
		}
	}
	if !sawLogin || len(entries) < 4 {
		t.Errorf("capture has %d entries, login seen %v", len(entries), sawLogin)
	}
}

func TestFleetWithOneFailing(t *testing.T) {
	t.Parallel()
	routers := map[string]*routersim.Router{}
	var names []string
	for _, n := range []string{"a", "b", "c", "d"} {
		routers[n] = startSim(t, routersim.Options{})
		names = append(names, n)
	}
	routers["c"].Close() // unreachable
	var progress atomic.Int32
	results := RunFleet(t.Context(), names, 2, func(ctx context.Context, name string) (Management, error) {
		c, err := New(routers[name].URLs().LANHTTPS, WithPin(routers[name].Fingerprint()), WithTimeout(2*time.Second))
		if err != nil {
			return Management{}, err
		}
		s, err := c.Login(ctx, adminCreds, nil)
		if err != nil {
			return Management{}, err
		}
		defer s.Close(ctx)
		m, _ := s.ReadManagement(ctx)
		target, _ := ApplySettings(m, []string{"ping=off"})
		res, err := s.ApplyManagement(ctx, target, ApplyOptions{})
		if err != nil {
			return Management{}, err
		}
		return res.After, nil
	}, func(p FleetProgress) { progress.Add(1) })
	for _, res := range results {
		if res.Name == "c" {
			if !errors.Is(res.Err, ErrUnreachable) {
				t.Errorf("c: %v, want ErrUnreachable", res.Err)
			}
			continue
		}
		if res.Err != nil || res.Value.Ping || routers[res.Name].Snapshot().Management.Ping {
			t.Errorf("%s: %v, ping %v", res.Name, res.Err, res.Value.Ping)
		}
	}
	if progress.Load() != 4 {
		t.Errorf("progress reported %d times", progress.Load())
	}
}

func TestFleetCancellation(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	var ran atomic.Int32
	results := RunFleet(ctx, []string{"1", "2", "3", "4", "5"}, 1, func(ctx context.Context, name string) (int, error) {
		ran.Add(1)
		cancel()
		<-ctx.Done()
		return 0, ctx.Err()
	}, nil)
	if ran.Load() != 1 {
		t.Errorf("%d operations ran after cancellation", ran.Load())
	}
	for _, r := range results {
		if !errors.Is(r.Err, context.Canceled) {
			t.Errorf("%s: %v", r.Name, r.Err)
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
	got := severities(rep)
	want := map[string]Severity{"internet_management": SeverityOK, "ipv6_management": SeverityWarning,
		"ipv6_unencrypted": SeverityHigh, "ipv6_access_list": SeverityHigh, "ipv6_totp": SeverityHigh, "ipv6_ping": SeverityInfo}
	for id, sev := range want {
		if got[id] != sev {
			t.Errorf("check %s: %q, want %q", id, got[id], sev)
		}
	}
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
