package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/gatekey/gatekey/app"
)

// routerCommand is one `gatekey router` subcommand.
type routerCommand struct {
	summary, usage string
	run            func(inv *invocation, args []string) error
}

var routerCommands = map[string]routerCommand{}

func init() {
	register(&command{name: "router", run: runRouter,
		summary: "manage DrayTek routers: add, probe, status, settings, harden, audit, reboot",
		usage:   "gatekey router add|list|rm|probe|status|mgmt|set|harden|audit|reboot|capture ..."})
	routerCommands["add"] = routerCommand{"add a router: probe it, pin its certificate, check the login, keep the password in the keychain",
		"gatekey router add NAME URL --user U --password-file P [--totp QUERY] [--profile FILE] [--accept-fingerprint SHA256] [--insecure-http]", runRouterAdd}
	routerCommands["list"] = routerCommand{"list the routers", "gatekey router list [--json]", runRouterList}
	routerCommands["rm"] = routerCommand{"forget a router and its keychain entry", "gatekey router rm NAME", runRouterRemove}
	routerCommands["probe"] = routerCommand{"identify a router without logging in", "gatekey router probe [--json] [--insecure-http] URL", runRouterProbe}
}

func runRouter(inv *invocation, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		inv.printRouterHelp()
		if len(args) == 0 {
			return quietExit(ExitUsage)
		}
		return nil
	}
	sub, ok := routerCommands[args[0]]
	if !ok {
		return withHint(usageError(quote(args[0])+" is not a router command"), "run 'gatekey router --help' for the list")
	}
	inv.cmd = &command{name: "router " + args[0], summary: sub.summary, usage: sub.usage}
	return sub.run(inv, args[1:])
}

func (inv *invocation) printRouterHelp() {
	w := inv.io.Stdout
	fmt.Fprintf(w, "Usage: %s\n\n%s.\n\nCommands:\n", inv.cmd.usage, capitalize(inv.cmd.summary))
	names := make([]string, 0, len(routerCommands))
	for n := range routerCommands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, routerCommands[n].summary)
	}
}

// vaultOnce opens the vault with vaultPassword on its first call and
// returns the same answer after that, so that a command asks for the
// password at most once however many steps need the vault.
func (inv *invocation) vaultOnce(vaultPassword passwordSource) func() (*app.Authenticator, error) {
	return sync.OnceValues(func() (*app.Authenticator, error) { return inv.openVault(false, vaultPassword) })
}

// routers is the router service of --home, whose TOTP accounts come from
// the vault, opened by openVault only when a router needs one.
func (inv *invocation) routers(openVault func() (*app.Authenticator, error)) (*app.RouterService, error) {
	home, err := inv.homeDir()
	if err != nil {
		return nil, err
	}
	return app.NewRouterService(home, nil, app.VaultOnDemand(openVault)), nil
}

// routersForCommand is the router service for a command whose
// --password-file, if any, is the vault's.
func (inv *invocation) routersForCommand() (*app.RouterService, error) {
	return inv.routers(inv.vaultOnce(inv.passwordFromFile("Vault password: ")))
}

// parseRouter is the start of most router commands: their arguments and
// the router service.
func (inv *invocation) parseRouter(fs *flag.FlagSet, args []string, min, max int) ([]string, *app.RouterService, error) {
	rest, err := inv.parseN(fs, args, min, max)
	if err != nil {
		return nil, nil, err
	}
	svc, err := inv.routersForCommand()
	return rest, svc, err
}

// routerContext bounds one router command; a reboot waits longer.
func routerContext(d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), d)
}

// addFlags are `router add`'s flags.
type addFlags struct {
	user, totp, profile, accept string
	insecure                    bool
}

func runRouterAdd(inv *invocation, args []string) error {
	fs := inv.flags()
	var f addFlags
	fs.StringVar(&f.user, "user", "admin", "administrator username")
	fs.StringVar(&f.totp, "totp", "", "the vault account whose codes the router asks for (WAN logins with TOTP)")
	fs.StringVar(&f.profile, "profile", "", "a router profile override file (JSON)")
	fs.StringVar(&f.accept, "accept-fingerprint", "", "the SHA-256 certificate fingerprint to pin, as shown by 'gatekey router probe'")
	fs.BoolVar(&f.insecure, "insecure-http", false, "allow plain HTTP to an address that is not on a private network")
	rest, err := inv.parseN(fs, args, 2, 2)
	if err != nil {
		return err
	}
	// --password-file is the router's password; the vault opens through
	// the keychain or by asking.
	openVault := inv.vaultOnce(inv.passwordAsked("Vault password: "))
	svc, err := inv.routers(openVault)
	if err != nil {
		return err
	}
	n := app.NewRouter{Name: rest[0], URL: rest[1], User: f.user, Profile: f.profile, InsecureHTTP: f.insecure}
	if _, err := svc.Get(n.Name); err == nil {
		return withHint(failed("a router named "+quote(n.Name)+" already exists"), "remove it first with 'gatekey router rm'")
	}
	if f.totp != "" {
		auth, err := openVault()
		if err != nil {
			return err
		}
		acc, err := inv.one(auth.Accounts(), f.totp)
		if err != nil {
			return err
		}
		n.TOTP = acc.UUID
	}
	ctx, cancel := routerContext(2 * time.Minute)
	defer cancel()
	probe, err := inv.probeForAdd(ctx, svc, n, f.accept)
	if err != nil {
		return err
	}
	n.Fingerprint = fingerprintOf(probe)
	password, err := inv.passwordFromFile("Password of " + n.User + " on " + n.Name + ": ").get()
	if err != nil {
		return err
	}
	n.Password = string(password)
	clear(password)
	if err := svc.Add(ctx, n); err != nil {
		return err
	}
	inv.printf("added %s: %s", n.Name, app.DescribeProbe(probe))
	return nil
}

// probeForAdd probes the new router, checks that it can be added and has
// the person confirm its certificate.
func (inv *invocation) probeForAdd(ctx context.Context, svc *app.RouterService, n app.NewRouter, accept string) (*app.ProbeResult, error) {
	probe, err := svc.Probe(ctx, n.URL, n.InsecureHTTP)
	if err != nil {
		return nil, plainHTTPHint(err)
	}
	if err := app.ProbeProblem(probe, n.TOTP != ""); err != nil {
		if errors.Is(err, app.ErrCodeNeeded) {
			return nil, withHint(err, "link the account that holds its secret with --totp QUERY")
		}
		return nil, failed(err.Error())
	}
	if probe.Fingerprint != nil {
		if err := inv.acceptFingerprint(*probe.Fingerprint, accept); err != nil {
			return nil, err
		}
	}
	return probe, nil
}

func plainHTTPHint(err error) error {
	if app.IsPlainHTTPRefusal(err) {
		return withHint(asUsage(errors.New("plain HTTP to an address outside your network sends the password in the clear")),
			"use https://, or add --insecure-http if you must")
	}
	return err
}

func fingerprintOf(p *app.ProbeResult) string {
	if p.Fingerprint == nil {
		return ""
	}
	return *p.Fingerprint
}

// acceptFingerprint checks that the person confirmed fp: with
// --accept-fingerprint, or by answering on a terminal.
func (inv *invocation) acceptFingerprint(fp, accepted string) error {
	if accepted != "" {
		want, err := app.ParseFingerprint(accepted)
		if err != nil {
			return asUsage(err)
		}
		if want != fp {
			return withHint(failed("the router presents certificate "+fp+", not the one given with --accept-fingerprint"), "someone may be intercepting the connection")
		}
		return nil
	}
	msg := "the router's certificate fingerprint (SHA-256 of its public key) is " + fp
	if !inv.io.Terminal {
		return withHint(usageError(msg), "check it on the router (System Maintenance > Certificate) and add --accept-fingerprint "+fp)
	}
	fmt.Fprintf(inv.io.Stderr, "%s\nGatekey will trust only this certificate for this router from now on.\n", msg)
	if !inv.confirm("Does it match the one the router shows?") {
		return failed("router not added")
	}
	return nil
}

type routerJSON struct {
	Name        string  `json:"name"`
	URL         string  `json:"url"`
	User        string  `json:"user"`
	Fingerprint *string `json:"fingerprint"`
	TOTP        *string `json:"totp"`
	Profile     *string `json:"profile"`
}

func nilIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func runRouterList(inv *invocation, args []string) error {
	fs := inv.flags()
	asJSON := fs.Bool("json", false, "print a JSON array")
	_, svc, err := inv.parseRouter(fs, args, 0, 0)
	if err != nil {
		return err
	}
	list, err := svc.List()
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]routerJSON, 0, len(list))
		for _, r := range list {
			out = append(out, routerJSON{Name: r.Name, URL: r.URL, User: r.User,
				Fingerprint: nilIfEmpty(r.Fingerprint), TOTP: nilIfEmpty(r.TOTP), Profile: nilIfEmpty(r.Profile)})
		}
		return inv.printJSON(out)
	}
	for _, r := range list {
		totp := "no TOTP"
		if r.TOTP != "" {
			totp = "TOTP linked"
		}
		inv.printf("%s\t%s\t%s\t%s", r.Name, r.URL, r.User, totp)
	}
	return nil
}

func runRouterRemove(inv *invocation, args []string) error {
	rest, svc, err := inv.parseRouter(inv.flags(), args, 1, 1)
	if err != nil {
		return err
	}
	if err := svc.Forget(rest[0]); err != nil {
		return err
	}
	inv.println("removed " + rest[0])
	return nil
}

func runRouterProbe(inv *invocation, args []string) error {
	fs := inv.flags()
	asJSON := fs.Bool("json", false, "print a JSON object")
	insecure := fs.Bool("insecure-http", false, "allow plain HTTP to an address outside your network")
	rest, svc, err := inv.parseRouter(fs, args, 1, 1)
	if err != nil {
		return err
	}
	ctx, cancel := routerContext(time.Minute)
	defer cancel()
	p, err := svc.Probe(ctx, rest[0], *insecure)
	if err != nil {
		return plainHTTPHint(err)
	}
	if *asJSON {
		return inv.printJSON(p)
	}
	inv.println("family:      " + string(p.Family))
	inv.println("model:       " + p.Model)
	inv.println("firmware:    " + p.Firmware)
	inv.printf("asks a code: %v", p.TOTPOnLoginPage)
	if p.Fingerprint != nil {
		inv.println("fingerprint: " + *p.Fingerprint)
	} else {
		inv.println("fingerprint: none (plain HTTP)")
	}
	inv.printf("supported:   %v %s", p.Supported, p.Reason)
	return nil
}
