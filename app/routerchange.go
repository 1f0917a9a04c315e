package app

import (
	"context"

	"github.com/gatekey/gatekey/routerclient"
)

// HardenChoices are what the person decides before hardening, in the
// window's harden panel or with `router harden`'s flags.
type HardenChoices struct {
	// Allow turns management from the Internet on (HTTPS only) for these
	// addresses, with a linked TOTP account; empty leaves it as it is.
	Allow []string
	// KeepTR069 keeps TR-069 from the Internet as it is, for a router that
	// an ACS (VigorACS or another) manages; otherwise it is switched off.
	KeepTR069 bool
}

// HardenPlan is every change harden would make, in the order it makes
// them, with the warnings, before anything is written. The command line's
// --dry-run prints it and the window's preview shows it; both come from
// PlanHarden, and applying the plan writes exactly its changes.
type HardenPlan = routerclient.HardenPlan

// HardenResult is what a harden run applied and read back.
type HardenResult = routerclient.HardenResult

func (c HardenChoices) options(totpLinked bool) routerclient.HardenOptions {
	return routerclient.HardenOptions{Allow: c.Allow, TOTPLinked: totpLinked, KeepTR069: c.KeepTR069}
}

// PlanHarden computes the hardening preset for current, with no I/O. It is
// the one place the preset is decided.
func PlanHarden(current Management, totpLinked bool, c HardenChoices) (*HardenPlan, error) {
	return routerclient.PlanHarden(current, c.options(totpLinked))
}

// HardenOutcome is what a harden run did: the backup it saved first, the
// plan it carried out and what the router took.
type HardenOutcome struct {
	Backup string
	Plan   *HardenPlan
	Result *HardenResult
}

// PlanHarden reads the router's settings and plans the preset.
func (s *RouterService) PlanHarden(ctx context.Context, name string, c HardenChoices) (*HardenPlan, error) {
	var p *HardenPlan
	err := s.with(ctx, name, func(sess *routerclient.Session, r Router) error {
		var err error
		p, err = planHarden(ctx, sess, name, r, c)
		return err
	})
	return p, err
}

// planHarden plans the preset on what sess reads, for the router name.
func planHarden(ctx context.Context, sess *routerclient.Session, name string, r Router, c HardenChoices) (*HardenPlan, error) {
	p, err := sess.PlanHarden(ctx, c.options(r.TOTP != ""))
	if p != nil {
		p.Router = name
	}
	return p, err
}

// Harden plans the preset on what the router shows now, saves a backup,
// writes the plan and reads back. A reboot the router asks for is
// reported, never done. An error wrapping ErrTOTPNotLinked comes with the
// rest of the preset applied.
func (s *RouterService) Harden(ctx context.Context, name string, c HardenChoices, opts ChangeOptions) (*HardenOutcome, error) {
	return s.harden(ctx, name, func(sess *routerclient.Session, r Router) (*HardenPlan, error) {
		return planHarden(ctx, sess, name, r, c)
	}, opts)
}

// ApplyHarden writes a plan the person saw (the window's preview). When the
// router's settings changed since, nothing is written and the error wraps
// ErrPlanStale: preview again.
func (s *RouterService) ApplyHarden(ctx context.Context, name string, plan *HardenPlan, opts ChangeOptions) (*HardenOutcome, error) {
	return s.harden(ctx, name, func(*routerclient.Session, Router) (*HardenPlan, error) { return plan, nil }, opts)
}

// ErrPlanStale means the router's settings changed since the harden plan
// was made.
var ErrPlanStale = routerclient.ErrPlanStale

func (s *RouterService) harden(ctx context.Context, name string, plan func(*routerclient.Session, Router) (*HardenPlan, error), opts ChangeOptions) (*HardenOutcome, error) {
	out := &HardenOutcome{}
	err := s.with(ctx, name, func(sess *routerclient.Session, r Router) error {
		var err error
		if out.Plan, err = plan(sess, r); err != nil {
			return err
		}
		if len(out.Plan.Changes) == 0 {
			out.Result = &HardenResult{Router: name, Changes: []Change{}, Warnings: out.Plan.Warnings, Plan: out.Plan}
			return out.Plan.Blocked
		}
		if out.Backup, err = s.backupBefore(ctx, sess, r, opts); err != nil {
			return err
		}
		out.Result, err = sess.ApplyHardenPlan(ctx, out.Plan)
		if out.Result != nil {
			out.Result.Router = name
		}
		return err
	})
	s.learn(name, func(sum *RouterSummary) { sum.Audit = nil }) // the settings changed: audit again
	return out, err
}

// SetOutcome is what `router set` did: the backup it saved first and what
// the router took.
type SetOutcome struct {
	Backup  string
	Applied *ApplyResult
}

// Set changes remote-management settings given as KEY=VALUE (the keys of
// SettingKeys), after a configuration backup, and reads them back.
func (s *RouterService) Set(ctx context.Context, name string, settings []string, opts ChangeOptions) (*SetOutcome, error) {
	// A typing mistake costs no login and no backup.
	if _, err := routerclient.ApplySettings(Management{}, settings); err != nil {
		return nil, err
	}
	out := &SetOutcome{}
	err := s.with(ctx, name, func(sess *routerclient.Session, r Router) error {
		var err error
		if out.Backup, err = s.backupBefore(ctx, sess, r, opts); err != nil {
			return err
		}
		out.Applied, err = sess.Set(ctx, settings, routerclient.ApplyOptions{TOTPVerified: r.TOTP != "", AcceptRisk: opts.AcceptRisk})
		return err
	})
	s.learn(name, func(sum *RouterSummary) { sum.Audit = nil })
	return out, err
}

// Reboot restarts the router after the person agreed and waits until it
// answers again, reporting each stage through progress (from this
// goroutine). It returns the settings read back after the reboot.
func (s *RouterService) Reboot(ctx context.Context, name string, progress func(string)) (Management, error) {
	var m Management
	err := s.with(ctx, name, func(sess *routerclient.Session, r Router) error {
		say(progress, "Asking "+name+" to restart")
		if err := sess.Reboot(ctx); err != nil {
			return err
		}
		say(progress, "Waiting for "+name+" to come back (this can take a few minutes)")
		var err error
		if m, err = sess.WaitBack(ctx); err == nil {
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
