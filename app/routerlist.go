package app

import (
	"context"
	"strings"
	"time"

	"github.com/gatekey/gatekey/routerclient"
)

// probeTimeout bounds a probe, which is one page load.
const probeTimeout = 20 * time.Second

// Badge sums up an audit for the routers list.
type Badge string

// Audit badges, from unknown (never audited) to critical.
const (
	BadgeUnknown  Badge = ""
	BadgeGood     Badge = "good"
	BadgeWarnings Badge = "warnings"
	BadgeCritical Badge = "critical"
)

// BadgeOf grades a report: critical when any check is high or critical,
// warnings when any is a warning, else good.
func BadgeOf(r *AuditReport) Badge {
	if r == nil {
		return BadgeUnknown
	}
	b := BadgeGood
	for _, c := range r.Checks {
		switch c.Severity {
		case routerclient.SeverityHigh, routerclient.SeverityCritical:
			return BadgeCritical
		case routerclient.SeverityWarning:
			b = BadgeWarnings
		}
	}
	return b
}

// RouterSummary is one row of the routers list: the record and what was
// last learnt about the router in this run.
type RouterSummary struct {
	Router
	// Probed: a probe or login has been tried; Reachable says whether the
	// router answered it, ProbeErr why not.
	Probed    bool
	Reachable bool
	ProbeErr  string
	Model     string
	Firmware  string
	// Audit is the last audit of this run, nil before one.
	Audit *AuditReport
}

// Badge is the summary's audit badge.
func (s RouterSummary) Badge() Badge { return BadgeOf(s.Audit) }

// TOTPEnrolled reports whether a vault account is linked for WAN logins.
func (s RouterSummary) TOTPEnrolled() bool { return s.TOTP != "" }

func (s *RouterService) learn(name string, f func(*RouterSummary)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sum := s.learnt[name]
	f(&sum)
	s.learnt[name] = sum
}

func (s *RouterService) forgetLearnt(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.learnt, name)
}

// Summaries lists the routers with what this run learnt about them.
func (s *RouterService) Summaries() ([]RouterSummary, error) {
	list, err := s.List()
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]RouterSummary, 0, len(list))
	for _, r := range list {
		sum := s.learnt[r.Name]
		sum.Router = r
		out = append(out, sum)
	}
	return out, nil
}

// Probe identifies the router at rawURL without logging in. Plain HTTP is
// allowed to private addresses, and elsewhere only with insecureHTTP (the
// person insisted).
func (s *RouterService) Probe(ctx context.Context, rawURL string, insecureHTTP bool) (*ProbeResult, error) {
	if err := checkURL(rawURL); err != nil {
		return nil, err
	}
	var opts []routerclient.Option
	if PlainHTTPToInternet(rawURL) && !insecureHTTP {
		return nil, routerclient.ErrPlainHTTP
	}
	if isPlainHTTP(rawURL) {
		opts = append(opts, routerclient.WithPlainHTTP())
	}
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	return routerclient.Probe(ctx, rawURL, opts...)
}

// ProbeSaved probes a saved router (with its pin) and remembers whether it
// answered, its model and its firmware.
func (s *RouterService) ProbeSaved(ctx context.Context, name string) (*ProbeResult, error) {
	rs, err := s.Records()
	if err != nil {
		return nil, err
	}
	r, err := rs.Get(name)
	if err != nil {
		return nil, err
	}
	opts, err := rs.ClientOptions(r)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	p, err := routerclient.Probe(ctx, r.URL, opts...)
	s.learn(name, func(sum *RouterSummary) {
		sum.Probed, sum.Reachable, sum.ProbeErr = true, err == nil, ""
		if err != nil {
			sum.ProbeErr = err.Error()
			return
		}
		sum.Model, sum.Firmware = p.Model, p.Firmware
	})
	return p, err
}

// DescribeProbe names what a probe found: "drayos4, Vigor2927, firmware
// 4.4.2".
func DescribeProbe(p *ProbeResult) string {
	parts := []string{string(p.Family)}
	if p.Model != "" {
		parts = append(parts, p.Model)
	}
	if p.Firmware != "" {
		parts = append(parts, "firmware "+p.Firmware)
	}
	return strings.Join(parts, ", ")
}

func isPlainHTTP(rawURL string) bool {
	return strings.HasPrefix(strings.ToLower(rawURL), "http://")
}
