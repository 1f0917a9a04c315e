package cli

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gatekey/gatekey/app"
)

func init() {
	routerCommands["status"] = routerCommand{"log in; model, firmware, clock difference, advisories", "gatekey router status [--json] NAME", runRouterStatus}
	routerCommands["mgmt"] = routerCommand{"show the remote-management settings", "gatekey router mgmt [--json] NAME", runRouterMgmt}
	routerCommands["set"] = routerCommand{"change remote-management settings (after a configuration backup) and verify them by reading back",
		"gatekey router set [--accept-risk] [--no-backup] NAME KEY=VALUE...", runRouterSet}
	routerCommands["harden"] = routerCommand{"apply the hardening preset, after a configuration backup (never turns management from the Internet off)",
		"gatekey router harden [--dry-run] [--json] [--allow CIDR...] [--keep-tr069] [--no-backup] NAME", runRouterHarden}
	routerCommands["backup"] = routerCommand{"save the router's configuration file", "gatekey router backup NAME [FILE]", runRouterBackup}
	routerCommands["audit"] = routerCommand{"check a router's settings and firmware against DrayTek's advice", "gatekey router audit [--json] NAME|--all", runRouterAudit}
	routerCommands["reboot"] = routerCommand{"reboot a router and wait until it is back", "gatekey router reboot [--yes] NAME", runRouterReboot}
	routerCommands["capture"] = routerCommand{"record one session with every secret redacted, to compare a real router with the profile", "gatekey router capture NAME FILE", runRouterCapture}
}

func runRouterStatus(inv *invocation, args []string) error {
	fs := inv.flags()
	asJSON := fs.Bool("json", false, "print a JSON object")
	rest, svc, err := inv.parseRouter(fs, args, 1, 1)
	if err != nil {
		return err
	}
	ctx, cancel := routerContext(time.Minute)
	defer cancel()
	st, clock, err := svc.Status(ctx, rest[0])
	if err != nil {
		return err
	}
	if *asJSON {
		return inv.printJSON(st)
	}
	inv.println("model:        " + st.Model)
	inv.println("firmware:     " + st.Firmware)
	inv.println("clock:        " + clock.String())
	inv.printf("TOTP for WAN logins documented for this model and firmware: %v", st.TOTPDocumented)
	if st.BelowSafeMinimum {
		inv.println("firmware is below DrayTek's known safe minimum: upgrade it")
	}
	for _, a := range st.Advisories {
		inv.println("advisory:     " + app.DescribeAdvisory(a))
	}
	if st.AdviceOrigin != "" {
		inv.printf("advice:       %s, dated %s", st.AdviceOrigin, st.AdviceDate)
	}
	return nil
}

func runRouterMgmt(inv *invocation, args []string) error {
	fs := inv.flags()
	asJSON := fs.Bool("json", false, "print a JSON object")
	rest, svc, err := inv.parseRouter(fs, args, 1, 1)
	if err != nil {
		return err
	}
	ctx, cancel := routerContext(time.Minute)
	defer cancel()
	m, err := svc.Management(ctx, rest[0])
	if err != nil {
		return err
	}
	if *asJSON {
		return inv.printJSON(m)
	}
	inv.printManagement(m)
	return nil
}

func (inv *invocation) printManagement(m app.Management) {
	for _, key := range app.SettingKeys {
		if v, ok := m.Value(key); ok {
			inv.printf("%-21s %s", key, v)
		}
	}
}

func runRouterSet(inv *invocation, args []string) error {
	fs := inv.flags()
	var opts app.ChangeOptions
	fs.BoolVar(&opts.AcceptRisk, "accept-risk", false, "make a change that a safety rule refuses (after reading its warning)")
	fs.BoolVar(&opts.NoBackup, "no-backup", false, "change the router without saving its configuration first")
	rest, svc, err := inv.parseRouter(fs, args, 2, -1)
	if err != nil {
		return err
	}
	for _, kv := range rest[1:] {
		if !strings.Contains(kv, "=") {
			return usageError(quote(kv) + " is not KEY=VALUE")
		}
	}
	ctx, cancel := routerContext(2 * time.Minute)
	defer cancel()
	out, err := svc.Set(ctx, rest[0], rest[1:], opts)
	if out != nil {
		inv.reportBackup(out.Backup)
		if out.Applied != nil {
			inv.reportApply(out.Applied)
		}
	}
	return err
}

// reportBackup prints where the configuration was saved before a change.
func (inv *invocation) reportBackup(path string) {
	if path != "" {
		inv.println("backup: " + path)
	}
}

func runRouterBackup(inv *invocation, args []string) error {
	rest, svc, err := inv.parseRouter(inv.flags(), args, 1, 2)
	if err != nil {
		return err
	}
	file := ""
	if len(rest) == 2 {
		file = rest[1]
	}
	ctx, cancel := routerContext(2 * time.Minute)
	defer cancel()
	path, err := svc.Backup(ctx, rest[0], file)
	if err != nil {
		return err
	}
	inv.println(path)
	return nil
}

// reportApply prints what a write changed, what did not take and whether
// the router asks for a reboot.
func (inv *invocation) reportApply(res *app.ApplyResult) {
	for _, ch := range res.Changed {
		inv.println("changed " + ch.String())
	}
	for _, ch := range res.NotTaken {
		inv.say("the router did not take "+ch.String(), "")
	}
	if len(res.Changed) == 0 && len(res.NotTaken) == 0 {
		inv.println("nothing to change")
	}
	if res.RebootRequired {
		inv.say("the router asks for a reboot for the change to take effect", "run 'gatekey router reboot' when it suits you")
	}
}

func runRouterHarden(inv *invocation, args []string) error {
	fs := inv.flags()
	dryRun := fs.Bool("dry-run", false, "print the plan and change nothing")
	asJSON := fs.Bool("json", false, "print the plan (or what was applied) as a JSON object")
	keepTR069 := fs.Bool("keep-tr069", false, "keep TR-069 from the Internet as it is (an ACS manages the router)")
	noBackup := fs.Bool("no-backup", false, "change the router without saving its configuration first")
	var allow stringList
	fs.Var(&allow, "allow", "turn management from the Internet on (HTTPS only) for these CIDRs; needs a linked TOTP account (repeatable or comma-separated)")
	rest, svc, err := inv.parseRouter(fs, args, 1, 1)
	if err != nil {
		return err
	}
	ctx, cancel := routerContext(2 * time.Minute)
	defer cancel()
	choices := app.HardenChoices{Allow: allow, KeepTR069: *keepTR069}
	if *dryRun {
		plan, err := svc.PlanHarden(ctx, rest[0], choices)
		if err != nil {
			return err
		}
		return inv.reportPlan(plan, *asJSON)
	}
	out, err := svc.Harden(ctx, rest[0], choices, app.ChangeOptions{NoBackup: *noBackup})
	if out == nil {
		return err
	}
	return errors.Join(inv.reportHarden(out, *asJSON), err)
}

// reportPlan prints a dry run: every change the real run would make.
func (inv *invocation) reportPlan(p *app.HardenPlan, asJSON bool) error {
	if asJSON {
		if err := inv.printJSON(p); err != nil {
			return err
		}
	} else {
		for _, ch := range p.Changes {
			inv.println("would change " + ch.String())
		}
		if len(p.Changes) == 0 {
			inv.println("nothing to change")
		}
		for _, w := range p.Warnings {
			inv.say(w, "")
		}
	}
	return p.Blocked
}

// reportHarden prints the backup a real run saved and, when it got as far
// as writing, what it applied and read back; with --json the object has
// the dry run's shape, listing what was applied.
func (inv *invocation) reportHarden(out *app.HardenOutcome, asJSON bool) error {
	if asJSON && out.Backup != "" {
		inv.say("backup: "+out.Backup, "") // stdout holds the JSON document alone
	} else {
		inv.reportBackup(out.Backup)
	}
	res := out.Result
	if res == nil {
		return nil
	}
	if asJSON {
		return inv.printJSON(res)
	}
	inv.reportApply(&app.ApplyResult{Changed: res.Changes, NotTaken: res.NotTaken, RebootRequired: res.RebootRequired})
	for _, w := range res.Warnings {
		inv.say(w, "")
	}
	return nil
}

func runRouterAudit(inv *invocation, args []string) error {
	fs := inv.flags()
	asJSON := fs.Bool("json", false, "print a JSON array")
	all := fs.Bool("all", false, "audit every router")
	rest, svc, err := inv.parseRouter(fs, args, 0, 1)
	if err != nil {
		return err
	}
	if *all == (len(rest) == 1) {
		return usageError("router audit takes one router name, or --all")
	}
	names, err := routerNames(svc, rest, *all)
	if err != nil {
		return err
	}
	ctx, cancel := routerContext(5 * time.Minute)
	defer cancel()
	failedAny := false
	var reports []*app.AuditReport
	for _, o := range svc.FleetAudit(ctx, names, nil) {
		if o.Err != nil {
			inv.say(o.Name+": "+o.Err.Error(), "")
		}
		rep := o.Report()
		failedAny = failedAny || rep.Failed()
		reports = append(reports, rep)
	}
	if *asJSON {
		if err := inv.printJSON(reports); err != nil {
			return err
		}
	} else {
		inv.printAudits(reports)
	}
	if failedAny {
		return quietExit(ExitFailed)
	}
	return nil
}

// routerNames are the routers a command works on: the one named, or every
// one with --all.
func routerNames(svc *app.RouterService, rest []string, all bool) ([]string, error) {
	if !all {
		if _, err := svc.Get(rest[0]); err != nil {
			return nil, withHint(err, "'gatekey router list' shows the routers")
		}
		return rest, nil
	}
	list, err := svc.List()
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, withHint(failed("there are no routers yet"), "add one with 'gatekey router add'")
	}
	names := make([]string, len(list))
	for i, r := range list {
		names[i] = r.Name
	}
	return names, nil
}

func (inv *invocation) printAudits(reports []*app.AuditReport) {
	for _, rep := range reports {
		for _, ch := range rep.Checks {
			inv.printf("%s\t%-8s\t%s", rep.Router, ch.Severity, ch.Title)
			if ch.Severity != app.SeverityOK && ch.Fix != "" {
				inv.printf("%s\t%-8s\t  fix: %s", rep.Router, "", ch.Fix)
			}
		}
	}
}

func runRouterReboot(inv *invocation, args []string) error {
	fs := inv.flags()
	yes := fs.Bool("yes", false, "do not ask for confirmation")
	rest, svc, err := inv.parseRouter(fs, args, 1, 1)
	if err != nil {
		return err
	}
	name := rest[0]
	if _, err := svc.Get(name); err != nil {
		return withHint(err, "'gatekey router list' shows the routers")
	}
	// Asked before anything is sent: a script without --yes gets a usage
	// error, never a prompt.
	if err := inv.needConfirmation(*yes, "Reboot "+name+"? Everyone using it loses the connection for a minute or two.", "not rebooted"); err != nil {
		return err
	}
	ctx, cancel := routerContext(10 * time.Minute)
	defer cancel()
	m, err := svc.Reboot(ctx, name, func(stage string) { inv.say(stage, "") })
	if err != nil {
		return err
	}
	inv.println(name + " is back")
	inv.printManagement(m)
	return nil
}

func runRouterCapture(inv *invocation, args []string) error {
	rest, svc, err := inv.parseRouter(inv.flags(), args, 2, 2)
	if err != nil {
		return err
	}
	ctx, cancel := routerContext(2 * time.Minute)
	defer cancel()
	err = svc.Capture(ctx, rest[0], rest[1])
	if errors.Is(err, app.ErrCaptureIncomplete) {
		inv.say(err.Error(), "")
	} else if err != nil {
		return err
	}
	inv.println(fmt.Sprintf("wrote %s (credentials, cookies, tokens and codes redacted)", rest[1]))
	return nil
}
