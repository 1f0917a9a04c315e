package app

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gatekey/gatekey/otp"
	"github.com/gatekey/gatekey/routerclient"
)

// The window's router use cases, on Desktop so that the window reaches them
// through the service it already holds. They are the command line's
// operations (cli/router*.go) in the shape a window needs: one call per
// button, results as values, never a retried login.

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
func BadgeOf(r *routerclient.AuditReport) Badge {
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
	// Probed: a probe (no login) has been tried; Reachable says whether the
	// router answered it, ProbeErr why not.
	Probed    bool
	Reachable bool
	ProbeErr  string
	Model     string
	Firmware  string
	// Audit is the last audit of this run, nil before one.
	Audit *routerclient.AuditReport
}

// Badge is the summary's audit badge.
func (s RouterSummary) Badge() Badge { return BadgeOf(s.Audit) }

// TOTPEnrolled reports whether a vault account is linked for WAN logins.
func (s RouterSummary) TOTPEnrolled() bool { return s.TOTP != "" }

// routerState is the router side of a Desktop: one Routers (so that every
// login shares its TOTP step store) and what this run learnt.
type routerState struct {
	mu      sync.Mutex
	routers *Routers
	learnt  map[string]RouterSummary
}

func (d *Desktop) routerState() *routerState { return &d.routers }

// routerSet loads routers.json once per Desktop.
func (d *Desktop) routerSet() (*Routers, error) {
	st := d.routerState()
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.routers == nil {
		rs, err := LoadRouters(d.home, d.keychain)
		if err != nil {
			return nil, err
		}
		st.routers = rs
	}
	return st.routers, nil
}

func (d *Desktop) learn(name string, f func(*RouterSummary)) {
	st := d.routerState()
	st.mu.Lock()
	defer st.mu.Unlock()
	s := st.learnt[name]
	f(&s)
	st.learnt[name] = s
}

// RouterSummaries lists the routers with what this run learnt about them.
func (d *Desktop) RouterSummaries() ([]RouterSummary, error) {
	rs, err := d.routerSet()
	if err != nil {
		return nil, err
	}
	st := d.routerState()
	st.mu.Lock()
	defer st.mu.Unlock()
	var out []RouterSummary
	for _, r := range rs.List() {
		s := st.learnt[r.Name]
		s.Router = r
		out = append(out, s)
	}
	return out, nil
}

// ProbeURL identifies the router at rawURL without logging in. Plain HTTP
// is allowed only to private addresses.
func ProbeURL(ctx context.Context, rawURL string) (*routerclient.ProbeResult, error) {
	var opts []routerclient.Option
	if strings.HasPrefix(strings.ToLower(rawURL), "http://") {
		if !PlainHTTPAllowed(rawURL) {
			return nil, routerclient.ErrPlainHTTP
		}
		opts = append(opts, routerclient.WithPlainHTTP())
	}
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	return routerclient.Probe(ctx, rawURL, opts...)
}

// ProbeRouter probes a saved router (with its pin) and remembers whether it
// answered, its model and its firmware.
func (d *Desktop) ProbeRouter(ctx context.Context, name string) (*routerclient.ProbeResult, error) {
	rs, err := d.routerSet()
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
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	p, err := routerclient.Probe(ctx, r.URL, opts...)
	d.learn(name, func(s *RouterSummary) {
		s.Probed, s.Reachable, s.ProbeErr = true, err == nil, ""
		if err != nil {
			s.ProbeErr = err.Error()
			return
		}
		s.Model, s.Firmware = p.Model, p.Firmware
	})
	return p, err
}

// NewRouter is what the Add router form collects. Fingerprint is the one
// the person accepted after the probe ("" over plain HTTP).
type NewRouter struct {
	Name, URL, WANURL, User string
	Password                string
	Fingerprint             string
}

// Check validates the form before anything is sent.
func (n NewRouter) Check() error {
	if strings.TrimSpace(n.Name) == "" {
		return errors.New("give the router a name")
	}
	if err := checkURL(n.URL); err != nil {
		return err
	}
	if n.WANURL != "" {
		if err := checkURL(n.WANURL); err != nil {
			return err
		}
	}
	if strings.HasPrefix(n.URL, "http://") && !PlainHTTPAllowed(n.URL) {
		return routerclient.ErrPlainHTTP
	}
	if n.User == "" || n.Password == "" {
		return errors.New("the router's username and password are needed")
	}
	return nil
}

func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an http:// or https:// address", raw)
	}
	return nil
}

// AddRouter saves a router after one login that checks the credentials: the
// password goes to the keychain, the record to routers.json, and nothing is
// kept when the login fails.
func (d *Desktop) AddRouter(ctx context.Context, n NewRouter) error {
	if err := n.Check(); err != nil {
		return err
	}
	rs, err := d.routerSet()
	if err != nil {
		return err
	}
	r := Router{Name: strings.TrimSpace(n.Name), URL: n.URL, WANURL: n.WANURL, User: n.User,
		Fingerprint: n.Fingerprint, PlainHTTP: strings.HasPrefix(n.URL, "http://")}
	if err := rs.Add(r, n.Password); err != nil {
		return err
	}
	if err := d.TestLogin(ctx, r.Name); err != nil {
		_ = rs.Remove(r.Name)
		d.forget(r.Name)
		return err
	}
	return nil
}

// ForgetRouter removes a router's record and its keychain entry. The linked
// vault account stays: it may still be needed to log into the router.
func (d *Desktop) ForgetRouter(name string) error {
	rs, err := d.routerSet()
	if err != nil {
		return err
	}
	if err := rs.Remove(name); err != nil {
		return err
	}
	d.forget(name)
	return nil
}

func (d *Desktop) forget(name string) {
	st := d.routerState()
	st.mu.Lock()
	delete(st.learnt, name)
	st.mu.Unlock()
}

// SetRouterWANURL records where the person reaches the router from outside.
func (d *Desktop) SetRouterWANURL(name, wanURL string) error {
	if wanURL != "" {
		if err := checkURL(wanURL); err != nil {
			return err
		}
	}
	return d.updateRouter(name, func(r *Router) { r.WANURL = wanURL })
}

func (d *Desktop) updateRouter(name string, f func(*Router)) error {
	rs, err := d.routerSet()
	if err != nil {
		return err
	}
	r, err := rs.Get(name)
	if err != nil {
		return err
	}
	f(&r)
	return rs.Update(r)
}

// RouterWebURL is the router's web interface, for the browser.
func (d *Desktop) RouterWebURL(name string) (string, error) {
	rs, err := d.routerSet()
	if err != nil {
		return "", err
	}
	r, err := rs.Get(name)
	return r.URL, err
}

// withRouter logs in, runs op, and logs out. The vault account linked to
// the router supplies the code when the login page asks for one.
func (d *Desktop) withRouter(ctx context.Context, name string, op func(s *routerclient.Session, r Router) error) error {
	rs, err := d.routerSet()
	if err != nil {
		return err
	}
	s, r, err := rs.Connect(ctx, name, d.current())
	if err != nil {
		d.learn(name, func(s *RouterSummary) { s.Probed, s.Reachable, s.ProbeErr = true, reached(err), err.Error() })
		return err
	}
	defer s.Close(context.WithoutCancel(ctx))
	d.learn(name, func(sum *RouterSummary) {
		sum.Probed, sum.Reachable, sum.ProbeErr = true, true, ""
		sum.Model, sum.Firmware = s.Model(), s.Firmware()
	})
	return op(s, r)
}

// reached tells a router that answered (and refused) from one that did not.
func reached(err error) bool {
	return !errors.Is(err, routerclient.ErrUnreachable) && !errors.Is(err, context.DeadlineExceeded)
}

// TestLogin logs in and out once.
func (d *Desktop) TestLogin(ctx context.Context, name string) error {
	return d.withRouter(ctx, name, func(*routerclient.Session, Router) error { return nil })
}

// RouterDetails is the router's status screen: model, firmware and the
// advice that applies, the clock, and the remote-management settings.
type RouterDetails struct {
	Status     *routerclient.Status
	Clock      routerclient.ClockReading
	Management routerclient.Management
	Audit      *routerclient.AuditReport
}

// RouterDetails logs in once and reads everything the details screen shows.
func (d *Desktop) RouterDetails(ctx context.Context, name string) (*RouterDetails, error) {
	var out RouterDetails
	err := d.withRouter(ctx, name, func(s *routerclient.Session, r Router) error {
		var err error
		if out.Status, out.Clock, err = s.Status(ctx); err != nil {
			return err
		}
		if out.Management, err = s.ReadManagement(ctx); err != nil {
			return err
		}
		out.Audit = &routerclient.AuditReport{Router: name, Checks: routerclient.AuditChecks(routerclient.AuditInput{
			Management: out.Management, Model: out.Status.Model, Firmware: out.Status.Firmware,
			Clock: out.Clock, TOTPPeriod: 30 * time.Second, TOTPLinked: r.TOTP != "", PlainHTTP: r.PlainHTTP})}
		return nil
	})
	if err != nil {
		return nil, err
	}
	d.learn(name, func(s *RouterSummary) { s.Audit = out.Audit })
	return &out, nil
}

// AuditRouter audits one router and remembers the result for the list.
func (d *Desktop) AuditRouter(ctx context.Context, name string) (*routerclient.AuditReport, error) {
	var rep *routerclient.AuditReport
	err := d.withRouter(ctx, name, func(s *routerclient.Session, r Router) error {
		var err error
		rep, err = s.Audit(ctx, routerclient.AuditOptions{Router: name, TOTPLinked: r.TOTP != ""})
		return err
	})
	if err != nil {
		return nil, err
	}
	d.learn(name, func(s *RouterSummary) { s.Audit = rep })
	return rep, nil
}

// HardenChoices are what the person decides before hardening.
type HardenChoices struct {
	// Allow turns management from the Internet on (HTTPS only) for these
	// addresses, with a linked TOTP account; empty leaves it as it is.
	Allow []string
	// UsesACS keeps TR-069 as it is; without an ACS it is switched off.
	UsesACS bool
}

// HardenPreview is every change harden would make, with the warnings, before
// anything is written.
type HardenPreview struct {
	Current, Target routerclient.Management
	Changes         []routerclient.Change
	Warnings        []string
	// Blocked is set when a safety rule stops part of the plan (management
	// from the Internet without a linked TOTP account).
	Blocked error
}

// PlanHarden computes the preset for current (no I/O): the command line's
// harden, plus TR-069 off unless the person uses an ACS.
func PlanHarden(current routerclient.Management, totpLinked bool, c HardenChoices) HardenPreview {
	target, _, warnings, err := routerclient.HardenPlan(current, routerclient.HardenOptions{Allow: c.Allow, TOTPLinked: totpLinked})
	if !c.UsesACS {
		target.TR069 = false
	}
	return HardenPreview{Current: current, Target: target, Changes: routerclient.Diff(current, target), Warnings: warnings, Blocked: err}
}

// PreviewHarden reads the router's settings and plans the preset.
func (d *Desktop) PreviewHarden(ctx context.Context, name string, c HardenChoices) (*HardenPreview, error) {
	var p HardenPreview
	err := d.withRouter(ctx, name, func(s *routerclient.Session, r Router) error {
		m, err := s.ReadManagement(ctx)
		p = PlanHarden(m, r.TOTP != "", c)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// ApplyHarden writes the preset (planned again on what the router shows
// now, so that a change made since the preview is not undone blindly),
// reads back and reports. A reboot the router asks for is reported, never
// done.
func (d *Desktop) ApplyHarden(ctx context.Context, name string, c HardenChoices) (*routerclient.ApplyResult, error) {
	var res *routerclient.ApplyResult
	err := d.withRouter(ctx, name, func(s *routerclient.Session, r Router) error {
		m, err := s.ReadManagement(ctx)
		if err != nil {
			return err
		}
		p := PlanHarden(m, r.TOTP != "", c)
		if len(p.Changes) == 0 {
			res = &routerclient.ApplyResult{Before: m, After: m}
			return p.Blocked
		}
		res, err = s.ApplyManagement(ctx, p.Target, routerclient.ApplyOptions{TOTPVerified: r.TOTP != ""})
		return errors.Join(err, p.Blocked)
	})
	d.learn(name, func(s *RouterSummary) { s.Audit = nil }) // the settings changed: audit again
	return res, err
}

// RebootRouter reboots after the person agreed and waits until the router
// answers again, reporting each stage through progress (from this
// goroutine). It returns the settings read back after the reboot.
func (d *Desktop) RebootRouter(ctx context.Context, name string, progress func(string)) (routerclient.Management, error) {
	var m routerclient.Management
	err := d.withRouter(ctx, name, func(s *routerclient.Session, r Router) error {
		say(progress, "Asking "+name+" to restart")
		if err := s.Reboot(ctx); err != nil {
			return err
		}
		say(progress, "Waiting for "+name+" to come back (this can take a few minutes)")
		var err error
		m, err = s.WaitBack(ctx)
		if err == nil {
			say(progress, name+" is back")
		}
		return err
	})
	return m, err
}

func say(progress func(string), text string) {
	if progress != nil {
		progress(text)
	}
}

// WANCheck is the result of logging in the way the person will from
// outside.
type WANCheck struct {
	URL string
	// Tested: a WAN address is known and was tried from here.
	Tested bool
	// UsedCode: the router asked for the authenticator code and took it.
	UsedCode bool
	Err      error
	// Advice says how to test from outside when it cannot be done from here.
	Advice string
}

// VerifyWANLogin logs in through the router's WAN address with the linked
// account's code, as the person will from outside.
func (d *Desktop) VerifyWANLogin(ctx context.Context, name string) WANCheck {
	rs, err := d.routerSet()
	if err != nil {
		return WANCheck{Err: err}
	}
	r, err := rs.Get(name)
	if err != nil {
		return WANCheck{Err: err}
	}
	if r.WANURL == "" {
		return WANCheck{Advice: "Gatekey does not know this router's address on the Internet. To test, use a device outside your network " +
			"(a phone on mobile data): open https://<your public address>:<HTTPS port>, log in with the username, the password and the code Gatekey shows."}
	}
	out := WANCheck{URL: r.WANURL, Tested: true}
	wan := r
	wan.URL, wan.PlainHTTP = r.WANURL, strings.HasPrefix(r.WANURL, "http://")
	opts, err := rs.ClientOptions(wan)
	if err == nil {
		var c *routerclient.Client
		if c, err = routerclient.New(r.WANURL, opts...); err == nil {
			var codes routerclient.CodeSource
			if acc, aerr := d.linkedAccount(r); aerr == nil {
				codes = CodeSourceFor(acc)
			}
			var s *routerclient.Session
			if s, err = c.Login(ctx, routerclient.Credentials{Username: r.User, Password: mustPassword(rs, name)}, codes); err == nil {
				out.UsedCode = s.UsedTOTP()
				_ = s.Close(context.WithoutCancel(ctx))
			}
		}
	}
	out.Err = err
	if err == nil && !out.UsedCode {
		out.Advice = "The router let Gatekey in from the WAN address without asking for a code: TOTP is not enforced for WAN logins."
	}
	return out
}

func mustPassword(rs *Routers, name string) string {
	pw, _ := rs.Password(name) // a missing password fails the login with a clear error
	return pw
}

func (d *Desktop) linkedAccount(r Router) (otp.Account, error) {
	a := d.current()
	if a == nil || a.Vault().Locked() {
		return otp.Account{}, ErrNotOpen
	}
	if r.TOTP == "" {
		return otp.Account{}, fmt.Errorf("no authenticator account is linked to %s", r.Name)
	}
	return a.Vault().Find(r.TOTP)
}

// FleetProgress reports one router's progress in a fleet operation.
type FleetProgress struct {
	Name string
	// Fraction is 0 when started, 1 when done.
	Fraction float64
	Stage    string
	Err      error
}

// FleetOutcome is one router's result.
type FleetOutcome struct {
	Name   string
	Audit  *routerclient.AuditReport
	Harden *routerclient.ApplyResult
	Err    error
}

// FleetAudit audits every named router, at most four at once; progress is
// called from the workers' goroutines, one call at a time. Cancelling ctx
// stops the routers not yet done.
func (d *Desktop) FleetAudit(ctx context.Context, names []string, progress func(FleetProgress)) []FleetOutcome {
	return d.fleet(ctx, names, progress, func(ctx context.Context, name string, out *FleetOutcome) error {
		var err error
		out.Audit, err = d.AuditRouter(ctx, name)
		return err
	})
}

// FleetHarden applies the preset to every named router with the same
// choices.
func (d *Desktop) FleetHarden(ctx context.Context, names []string, c HardenChoices, progress func(FleetProgress)) []FleetOutcome {
	return d.fleet(ctx, names, progress, func(ctx context.Context, name string, out *FleetOutcome) error {
		var err error
		out.Harden, err = d.ApplyHarden(ctx, name, c)
		return err
	})
}

func (d *Desktop) fleet(ctx context.Context, names []string, progress func(FleetProgress), op func(context.Context, string, *FleetOutcome) error) []FleetOutcome {
	// Workers report from their own goroutines; one call at a time keeps
	// the caller free of locking (and the GUI's test driver, which runs
	// fyne.Do on the calling goroutine, free of races).
	var mu sync.Mutex
	report := func(p FleetProgress) {
		if progress != nil {
			mu.Lock()
			defer mu.Unlock()
			progress(p)
		}
	}
	results := routerclient.RunFleet(ctx, names, 4, func(ctx context.Context, name string) (FleetOutcome, error) {
		report(FleetProgress{Name: name, Fraction: 0.1, Stage: "logging in"})
		out := FleetOutcome{Name: name}
		err := op(ctx, name, &out)
		return out, err
	}, func(p routerclient.FleetProgress) {
		stage := "done"
		if p.Err != nil {
			stage = "failed"
		}
		report(FleetProgress{Name: p.Name, Fraction: 1, Stage: stage, Err: p.Err})
	})
	out := make([]FleetOutcome, len(results))
	for i, r := range results {
		out[i] = r.Value
		out[i].Name, out[i].Err = r.Name, r.Err
	}
	return out
}
