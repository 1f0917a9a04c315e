package app

import (
	"context"
	"regexp"
	"strings"

	"github.com/gatekey/gatekey/routerclient"
)

// RouterDetails is the router's status screen: model, firmware and the
// advice that applies, the clock, the remote-management settings and the
// audit they make.
type RouterDetails struct {
	Status     *RouterStatus
	Clock      ClockReading
	Management Management
	Audit      *AuditReport
}

// Status logs in and reads model, firmware, the advice that applies and
// the clock.
func (s *RouterService) Status(ctx context.Context, name string) (*RouterStatus, ClockReading, error) {
	var st *RouterStatus
	var clock ClockReading
	err := s.with(ctx, name, func(sess *routerclient.Session, _ Router) error {
		var err error
		st, clock, err = sess.Status(ctx)
		return err
	})
	return st, clock, err
}

// Management logs in and reads the remote-management settings.
func (s *RouterService) Management(ctx context.Context, name string) (Management, error) {
	var m Management
	err := s.with(ctx, name, func(sess *routerclient.Session, _ Router) error {
		var err error
		m, err = sess.ReadManagement(ctx)
		return err
	})
	return m, err
}

// Details logs in once and reads everything the details screen shows; the
// audit it makes is remembered for the list.
func (s *RouterService) Details(ctx context.Context, name string) (*RouterDetails, error) {
	var out RouterDetails
	err := s.with(ctx, name, func(sess *routerclient.Session, r Router) error {
		var err error
		if out.Status, out.Clock, err = sess.Status(ctx); err != nil {
			return err
		}
		if out.Management, err = sess.ReadManagement(ctx); err != nil {
			return err
		}
		out.Audit = nameTheRouter(sess.AuditOf(out.Management, out.Status, out.Clock, routerclient.AuditOptions{Router: name, TOTPLinked: r.TOTP != ""}))
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.learn(name, func(sum *RouterSummary) { sum.Audit = out.Audit })
	return &out, nil
}

// Audit checks one router against DrayTek's advice and remembers the
// result for the list.
func (s *RouterService) Audit(ctx context.Context, name string) (*AuditReport, error) {
	var rep *AuditReport
	err := s.with(ctx, name, func(sess *routerclient.Session, r Router) error {
		var err error
		rep, err = sess.Audit(ctx, routerclient.AuditOptions{Router: name, TOTPLinked: r.TOTP != ""})
		return err
	})
	if err != nil {
		return nil, err
	}
	nameTheRouter(rep)
	s.learn(name, func(sum *RouterSummary) { sum.Audit = rep })
	return rep, nil
}

// UnreachableReport is the audit of a router Gatekey could not log into:
// one high finding saying why, so that a fleet report names it.
func UnreachableReport(name string, err error) *AuditReport {
	return &AuditReport{Router: name, Checks: []Check{{
		ID: "reachable", Severity: SeverityHigh,
		Title: "Gatekey could not log in: " + err.Error(),
		Fix:   "Check the address, the credentials and that management from this network is allowed.",
	}}}
}

// fixPlaceholder is the router's name in the fixes the audit writes
// (`gatekey router passwd NAME`).
var fixPlaceholder = regexp.MustCompile(`\bNAME\b`)

// nameTheRouter writes the router's own name into each fix, quoted for a
// shell when it needs to be, so that the fix can be pasted as it is.
func nameTheRouter(rep *AuditReport) *AuditReport {
	name := ShellQuote(rep.Router)
	for i := range rep.Checks {
		rep.Checks[i].Fix = fixPlaceholder.ReplaceAllLiteralString(rep.Checks[i].Fix, name)
	}
	return rep
}

// ShellQuote writes s so that a POSIX shell reads it back as one word.
func ShellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-+@%/:,=", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
