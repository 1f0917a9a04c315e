package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/gatekey/gatekey/app"
	"github.com/gatekey/gatekey/routerclient"
)

// flagSet is a command's flags plus how long its router work may take.
type flagSet struct {
	*flag.FlagSet
	timeout time.Duration
}

func (c *ctx) routerFlags(timeout time.Duration) flagSet {
	return flagSet{FlagSet: c.flags(), timeout: timeout}
}

func runRouterStatus(c *ctx, args []string) int {
	fs := c.routerFlags(time.Minute)
	asJSON := fs.Bool("json", false, "print a JSON object")
	return c.withSession(args, fs, 1, func(ctx context.Context, s *routerclient.Session, r app.Router, _ *app.Routers, _ []string) int {
		st, clock, err := s.Status(ctx)
		if err != nil {
			return c.routerError(err)
		}
		if *asJSON {
			return c.printJSON(st)
		}
		c.println("model:        " + st.Model)
		c.println("firmware:     " + st.Firmware)
		c.println("clock:        " + clock.String())
		c.println(fmt.Sprintf("TOTP for WAN logins documented for this model and firmware: %v", st.TOTPDocumented))
		if st.BelowSafeMinimum {
			c.println("firmware is below DrayTek's known safe minimum: upgrade it")
		}
		for _, a := range st.Advisories {
			c.println(fmt.Sprintf("advisory:     %s %s (fixed in %s)", a.ID, a.Title, a.FixedIn))
		}
		return ExitOK
	})
}

func runRouterMgmt(c *ctx, args []string) int {
	fs := c.routerFlags(time.Minute)
	asJSON := fs.Bool("json", false, "print a JSON object")
	return c.withSession(args, fs, 1, func(ctx context.Context, s *routerclient.Session, _ app.Router, _ *app.Routers, _ []string) int {
		m, err := s.ReadManagement(ctx)
		if err != nil {
			return c.routerError(err)
		}
		if *asJSON {
			return c.printJSON(m)
		}
		printManagement(c, m)
		return ExitOK
	})
}

func printManagement(c *ctx, m routerclient.Management) {
	for _, key := range routerclient.SettingKeys {
		if v, ok := m.Value(key); ok {
			c.println(fmt.Sprintf("%-21s %s", key, v))
		}
	}
}

func runRouterSet(c *ctx, args []string) int {
	fs := c.routerFlags(2 * time.Minute)
	acceptRisk := fs.Bool("accept-risk", false, "make a change that a safety rule refuses (after reading its warning)")
	return c.withSession(args, fs, 2, func(ctx context.Context, s *routerclient.Session, r app.Router, _ *app.Routers, settings []string) int {
		for _, kv := range settings {
			if !strings.Contains(kv, "=") {
				return c.usageError(quote(kv)+" is not KEY=VALUE", "")
			}
		}
		res, err := s.Set(ctx, settings, routerclient.ApplyOptions{TOTPVerified: r.TOTP != "", AcceptRisk: *acceptRisk})
		if res != nil {
			c.reportApply(res)
		}
		if err != nil {
			return c.routerError(err)
		}
		return ExitOK
	})
}

// reportApply prints what a write changed, what did not take and whether
// the router asks for a reboot.
func (c *ctx) reportApply(res *routerclient.ApplyResult) {
	for _, ch := range res.Changed {
		c.println("changed " + ch.String())
	}
	for _, ch := range res.NotTaken {
		c.say("the router did not take "+ch.String(), "")
	}
	if len(res.Changed) == 0 && len(res.NotTaken) == 0 {
		c.println("nothing to change")
	}
	if res.RebootRequired {
		c.say("the router asks for a reboot for the change to take effect", "run 'gatekey router reboot' when it suits you")
	}
}

func runRouterHarden(c *ctx, args []string) int {
	fs := c.routerFlags(2 * time.Minute)
	dryRun := fs.Bool("dry-run", false, "print the plan and change nothing")
	var allow stringList
	fs.Var(&allow, "allow", "turn management from the Internet on (HTTPS only) for these CIDRs; needs a linked TOTP account (repeatable or comma-separated)")
	return c.withSession(args, fs, 1, func(ctx context.Context, s *routerclient.Session, r app.Router, _ *app.Routers, _ []string) int {
		opts := routerclient.HardenOptions{Allow: allow, TOTPLinked: r.TOTP != ""}
		if *dryRun {
			current, err := s.ReadManagement(ctx)
			if err != nil {
				return c.routerError(err)
			}
			_, steps, warnings, err := routerclient.HardenPlan(current, opts)
			for _, st := range steps {
				c.println("would change " + st.String())
			}
			if len(steps) == 0 {
				c.println("nothing to change")
			}
			for _, w := range warnings {
				c.say(w, "")
			}
			if err != nil {
				return c.routerError(err)
			}
			return ExitOK
		}
		res, err := s.Harden(ctx, opts)
		if res != nil && res.Applied != nil {
			c.reportApply(res.Applied)
		} else if res != nil && len(res.Steps) == 0 {
			c.println("nothing to change")
		}
		if res != nil {
			for _, w := range res.Warnings {
				c.say(w, "")
			}
		}
		if err != nil {
			return c.routerError(err)
		}
		if res != nil && res.Applied != nil && len(res.Applied.NotTaken) > 0 {
			return ExitFailed
		}
		return ExitOK
	})
}

func runRouterAudit(c *ctx, args []string) int {
	fs := c.flags()
	asJSON := fs.Bool("json", false, "print a JSON array")
	all := fs.Bool("all", false, "audit every router")
	rest, code, ok := c.parseOrExit(fs, args)
	if !ok {
		return code
	}
	if *all == (len(rest) == 1) || len(rest) > 1 {
		return c.usageError("router audit takes one router name, or --all", "")
	}
	rs, _, code, ok := c.loadRouters()
	if !ok {
		return code
	}
	names := rest
	if *all {
		for _, r := range rs.List() {
			names = append(names, r.Name)
		}
		if len(names) == 0 {
			return c.fail("there are no routers yet", "add one with 'gatekey router add'")
		}
	}
	// The vault opens once, before the routers are reached in parallel.
	var auth *app.Authenticator
	for _, n := range names {
		if r, err := rs.Get(n); err == nil && r.TOTP != "" && auth == nil {
			if auth, code, ok = c.openAuthenticator(false); !ok {
				return code
			}
		} else if err != nil {
			return c.fail(err.Error(), "")
		}
	}
	ctx, cancel := routerContext(5 * time.Minute)
	defer cancel()
	results := routerclient.RunFleet(ctx, names, 8, func(ctx context.Context, name string) (*routerclient.AuditReport, error) {
		s, r, err := rs.Connect(ctx, name, auth)
		if err != nil {
			return nil, err
		}
		defer s.Close(context.Background())
		return s.Audit(ctx, routerclient.AuditOptions{Router: name, TOTPLinked: r.TOTP != ""})
	}, nil)
	status := ExitOK
	var reports []*routerclient.AuditReport
	for _, res := range results {
		if res.Err != nil {
			c.say(res.Name+": "+res.Err.Error(), "")
			status = ExitFailed
			reports = append(reports, &routerclient.AuditReport{Router: res.Name, Checks: []routerclient.Check{{
				ID: "reachable", Severity: "high", Title: "Gatekey could not log in: " + res.Err.Error(), Fix: "check the address, the credentials and that management from here is allowed"}}})
			continue
		}
		if res.Value.Failed() {
			status = ExitFailed
		}
		reports = append(reports, res.Value)
	}
	if *asJSON {
		if code := c.printJSON(reports); code != ExitOK {
			return code
		}
		return status
	}
	for _, rep := range reports {
		for _, ch := range rep.Checks {
			c.println(fmt.Sprintf("%s\t%-8s\t%s", rep.Router, ch.Severity, ch.Title))
			if ch.Severity != "ok" && ch.Fix != "" {
				c.println(fmt.Sprintf("%s\t%-8s\t  fix: %s", rep.Router, "", ch.Fix))
			}
		}
	}
	return status
}

func runRouterReboot(c *ctx, args []string) int {
	fs := c.routerFlags(10 * time.Minute)
	yes := fs.Bool("yes", false, "do not ask for confirmation")
	return c.withSession(args, fs, 1, func(ctx context.Context, s *routerclient.Session, r app.Router, _ *app.Routers, _ []string) int {
		if !*yes {
			if !c.io.Terminal {
				return c.usageError("router reboot needs --yes when not run on a terminal", "")
			}
			if !c.confirm("Reboot " + r.Name + "? Everyone using it loses the connection for a minute or two.") {
				return c.fail("not rebooted", "")
			}
		}
		if err := s.Reboot(ctx); err != nil {
			return c.routerError(err)
		}
		c.say("rebooting "+r.Name+"; waiting until it answers again", "")
		m, err := s.WaitBack(ctx)
		if err != nil {
			return c.routerError(err)
		}
		c.println(r.Name + " is back")
		printManagement(c, m)
		return ExitOK
	})
}

func (c *ctx) confirm(question string) bool {
	fmt.Fprintf(c.io.Stderr, "%s [y/N] ", question)
	var answer string
	fmt.Fscanln(c.io.Stdin, &answer)
	answer = strings.ToLower(strings.TrimSpace(answer))
	return answer == "y" || answer == "yes"
}

func runRouterCapture(c *ctx, args []string) int {
	fs := c.flags()
	rest, code, ok := c.parseOrExit(fs, args)
	if !ok {
		return code
	}
	if len(rest) != 2 {
		return c.usageError("router capture takes a router name and an output file", "")
	}
	rs, _, code, ok := c.loadRouters()
	if !ok {
		return code
	}
	f, err := os.OpenFile(rest[1], os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return c.fail(err.Error(), "")
	}
	defer f.Close()
	capture := routerclient.NewCapture(f)
	ctx, cancel := routerContext(2 * time.Minute)
	defer cancel()
	s, _, code, ok := c.connect(ctx, rs, rest[0], routerclient.WithCapture(capture))
	if !ok {
		return code
	}
	_, _, statusErr := s.Status(ctx)
	_, mgmtErr := s.ReadManagement(ctx)
	closeErr := s.Close(ctx)
	if err := errors.Join(statusErr, mgmtErr, closeErr, capture.Err()); err != nil {
		c.say("the capture is incomplete: "+err.Error(), "")
	}
	c.println("wrote " + rest[1] + " (credentials, cookies, tokens and codes redacted)")
	return ExitOK
}
