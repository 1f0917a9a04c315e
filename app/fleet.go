package app

import (
	"context"
	"sync"

	"github.com/gatekey/gatekey/routerclient"
)

// FleetConcurrency is how many routers a fleet operation works on at once,
// from the window and the command line alike: enough to hide network
// latency, few enough that a person can follow the progress.
const FleetConcurrency = 16

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
	Audit  *AuditReport
	Harden *HardenOutcome
	// Password is a password change's outcome.
	Password *PasswordChange
	Err      error
}

// Report is the router's audit, or for a router that could not be
// audited, a report whose one finding says why.
func (o FleetOutcome) Report() *AuditReport {
	if o.Err != nil || o.Audit == nil {
		err := o.Err
		if err == nil {
			err = errNoAudit
		}
		return UnreachableReport(o.Name, err)
	}
	return o.Audit
}

var errNoAudit = badInput("no audit was made")

// FleetAudit audits every named router; progress is called from the
// workers' goroutines, one call at a time. Cancelling ctx stops the
// routers not yet done.
func (s *RouterService) FleetAudit(ctx context.Context, names []string, progress func(FleetProgress)) []FleetOutcome {
	return s.fleet(ctx, names, progress, func(ctx context.Context, name string, out *FleetOutcome) error {
		var err error
		out.Audit, err = s.Audit(ctx, name)
		return err
	})
}

// FleetHarden applies the preset to every named router with the same
// choices, each after its own backup.
func (s *RouterService) FleetHarden(ctx context.Context, names []string, c HardenChoices, opts ChangeOptions, progress func(FleetProgress)) []FleetOutcome {
	return s.fleet(ctx, names, progress, func(ctx context.Context, name string, out *FleetOutcome) error {
		var err error
		out.Harden, err = s.Harden(ctx, name, c, opts)
		return err
	})
}

func (s *RouterService) fleet(ctx context.Context, names []string, progress func(FleetProgress), op func(context.Context, string, *FleetOutcome) error) []FleetOutcome {
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
	results := routerclient.RunFleet(ctx, names, FleetConcurrency, func(ctx context.Context, name string) (FleetOutcome, error) {
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
