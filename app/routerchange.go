package app

import (
	"context"
	"errors"

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

// HardenPlan is every change harden would make, with the warnings, before
// anything is written. The command line's --dry-run prints it and the
// window's preview shows it; both come from PlanHarden.
type HardenPlan struct {
	Router          string
	Current, Target Management
	Changes         []Change
	Warnings        []string
	// Blocked is set when a safety rule stops part of the plan (management
	// from the Internet without a linked TOTP account); the rest of the
	// plan still applies.
	Blocked error
}

// PlanHarden computes the hardening preset for current, with no I/O. It is
// the one place the preset is decided.
func PlanHarden(current Management, totpLinked bool, c HardenChoices) HardenPlan {
	target, _, warnings, err := routerclient.HardenPlan(current, routerclient.HardenOptions{Allow: c.Allow, TOTPLinked: totpLinked})
	if err != nil && !errors.Is(err, routerclient.ErrTOTPNotLinked) {
		return HardenPlan{Current: current, Target: current, Blocked: err}
	}
	if !c.KeepTR069 {
		target.TR069 = false
	}
	return HardenPlan{Current: current, Target: target, Changes: routerclient.Diff(current, target), Warnings: warnings, Blocked: err}
}

// HardenOutcome is what a harden run did: the plan it carried out (made
// again on what the router showed at that moment) and what the router
// took.
type HardenOutcome struct {
	Plan    HardenPlan
	Applied *ApplyResult
}

// PlanHarden reads the router's settings and plans the preset.
func (s *RouterService) PlanHarden(ctx context.Context, name string, c HardenChoices) (*HardenPlan, error) {
	var p HardenPlan
	err := s.with(ctx, name, func(sess *routerclient.Session, r Router) error {
		m, err := sess.ReadManagement(ctx)
		if err != nil {
			return err
		}
		p = PlanHarden(m, r.TOTP != "", c)
		p.Router = name
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// Harden writes the preset, planned again on what the router shows now so
// that a change made since a preview is not undone blindly, reads back and
// reports. A reboot the router asks for is reported, never done. An error
// wrapping ErrTOTPNotLinked comes with the rest of the preset applied.
func (s *RouterService) Harden(ctx context.Context, name string, c HardenChoices) (*HardenOutcome, error) {
	out := &HardenOutcome{}
	err := s.with(ctx, name, func(sess *routerclient.Session, r Router) error {
		m, err := sess.ReadManagement(ctx)
		if err != nil {
			return err
		}
		out.Plan = PlanHarden(m, r.TOTP != "", c)
		out.Plan.Router = name
		if len(out.Plan.Changes) == 0 {
			out.Applied = &ApplyResult{Before: m, After: m}
			return out.Plan.Blocked
		}
		out.Applied, err = sess.ApplyManagement(ctx, out.Plan.Target, routerclient.ApplyOptions{TOTPVerified: r.TOTP != ""})
		return errors.Join(err, out.Plan.Blocked)
	})
	s.learn(name, func(sum *RouterSummary) { sum.Audit = nil }) // the settings changed: audit again
	return out, err
}

// Set changes remote-management settings given as KEY=VALUE (the keys of
// SettingKeys) and reads them back. acceptRisk overrides the safety rules
// after the person read their warning.
func (s *RouterService) Set(ctx context.Context, name string, settings []string, acceptRisk bool) (*ApplyResult, error) {
	var res *ApplyResult
	err := s.with(ctx, name, func(sess *routerclient.Session, r Router) error {
		var err error
		res, err = sess.Set(ctx, settings, routerclient.ApplyOptions{TOTPVerified: r.TOTP != "", AcceptRisk: acceptRisk})
		return err
	})
	s.learn(name, func(sum *RouterSummary) { sum.Audit = nil })
	return res, err
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
