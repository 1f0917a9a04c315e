package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/gatekey/gatekey/app"
	"github.com/gatekey/gatekey/routerclient"
)

// routerCommand is one `gatekey router` subcommand.
type routerCommand struct {
	summary, usage string
	run            func(c *ctx, args []string) int
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
	routerCommands["status"] = routerCommand{"log in; model, firmware, clock difference, advisories", "gatekey router status [--json] NAME", runRouterStatus}
	routerCommands["mgmt"] = routerCommand{"show the remote-management settings", "gatekey router mgmt [--json] NAME", runRouterMgmt}
	routerCommands["set"] = routerCommand{"change remote-management settings and verify them by reading back", "gatekey router set [--accept-risk] NAME KEY=VALUE...", runRouterSet}
	routerCommands["harden"] = routerCommand{"apply the hardening preset (never turns management from the Internet off)", "gatekey router harden [--dry-run] [--allow CIDR...] NAME", runRouterHarden}
	routerCommands["audit"] = routerCommand{"check a router's settings and firmware against DrayTek's advice", "gatekey router audit [--json] NAME|--all", runRouterAudit}
	routerCommands["reboot"] = routerCommand{"reboot a router and wait until it is back", "gatekey router reboot [--yes] NAME", runRouterReboot}
	routerCommands["capture"] = routerCommand{"record one session with every secret redacted, to compare a real router with the profile", "gatekey router capture NAME FILE", runRouterCapture}
}

func runRouter(c *ctx, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintf(c.io.Stdout, "Usage: %s\n\n%s.\n\nCommands:\n", c.cmd.usage, capitalize(c.cmd.summary))
		names := make([]string, 0, len(routerCommands))
		for n := range routerCommands {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			fmt.Fprintf(c.io.Stdout, "  %-8s %s\n", n, routerCommands[n].summary)
		}
		if len(args) == 0 {
			return ExitUsage
		}
		return ExitOK
	}
	sub, ok := routerCommands[args[0]]
	if !ok {
		return c.usageError(quote(args[0])+" is not a router command", "run 'gatekey router --help' for the list")
	}
	c.cmd = &command{name: "router " + args[0], summary: sub.summary, usage: sub.usage}
	return sub.run(c, args[1:])
}

// routerContext bounds one router command; a reboot waits longer.
func routerContext(d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), d)
}

func (c *ctx) loadRouters() (*app.Routers, string, int, bool) {
	home, err := app.ResolveHome(c.home)
	if err != nil {
		return nil, "", c.fail(err.Error(), ""), false
	}
	rs, err := app.LoadRouters(home, nil)
	if err != nil {
		return nil, "", c.fail(err.Error(), ""), false
	}
	return rs, home, ExitOK, true
}

// connect logs into a named router, opening the vault only when a TOTP
// account is linked to it.
func (c *ctx) connect(ctx context.Context, rs *app.Routers, name string, extra ...routerclient.Option) (*routerclient.Session, app.Router, int, bool) {
	r, err := rs.Get(name)
	if err != nil {
		return nil, r, c.fail(err.Error(), "'gatekey router list' shows the routers"), false
	}
	var auth *app.Authenticator
	if r.TOTP != "" {
		var code int
		var ok bool
		if auth, code, ok = c.openAuthenticator(false); !ok {
			return nil, r, code, false
		}
	}
	s, r, err := rs.Connect(ctx, name, auth, extra...)
	if err != nil {
		return nil, r, c.routerError(err), false
	}
	return s, r, ExitOK, true
}

// routerError reports a router error with its exit status and hint.
func (c *ctx) routerError(err error) int {
	var changed *routerclient.CertificateChangedError
	var interlock *routerclient.InterlockError
	switch {
	case errors.As(err, &changed):
		return c.fail(fmt.Sprintf("the router's certificate changed: pinned %s, presented %s", changed.Pinned, changed.Presented),
			"if you replaced the certificate yourself, remove and add the router again; otherwise someone may be intercepting the connection")
	case errors.As(err, &interlock):
		return c.fail(err.Error(), "add --accept-risk to make the change anyway")
	case errors.Is(err, routerclient.ErrBadSetting), errors.Is(err, routerclient.ErrBadProfile), errors.Is(err, routerclient.ErrPlainHTTP):
		return c.usageError(err.Error(), "")
	case errors.Is(err, routerclient.ErrBadCredentials), errors.Is(err, routerclient.ErrCodeRejected), errors.Is(err, routerclient.ErrBlocked):
		return c.fail(err.Error(), "Gatekey never retries a failed login: repeated failures may lock this address out")
	case errors.Is(err, routerclient.ErrTOTPNotLinked):
		return c.fail(err.Error(), "link a TOTP account first: gatekey router add NAME URL ... --totp QUERY")
	case errors.Is(err, context.DeadlineExceeded):
		return c.fail("the router did not answer in time", "")
	}
	return c.fail(err.Error(), "")
}

// stringList is a repeatable flag that also splits on commas.
type stringList []string

func (l *stringList) String() string { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error {
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*l = append(*l, p)
		}
	}
	return nil
}

func runRouterAdd(c *ctx, args []string) int {
	fs := c.flags()
	user := fs.String("user", "admin", "administrator username")
	totp := fs.String("totp", "", "the vault account whose codes the router asks for (WAN logins with TOTP)")
	profile := fs.String("profile", "", "a router profile override file (JSON)")
	accept := fs.String("accept-fingerprint", "", "the SHA-256 certificate fingerprint to pin, as shown by 'gatekey router probe'")
	insecure := fs.Bool("insecure-http", false, "allow plain HTTP to an address that is not on a private network")
	rest, code, ok := c.parseOrExit(fs, args)
	if !ok {
		return code
	}
	if len(rest) != 2 {
		return c.usageError("router add takes a name and a URL", "run 'gatekey router add --help'")
	}
	name, rawURL := rest[0], rest[1]
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return c.usageError(quote(rawURL)+" is not an http:// or https:// URL", "")
	}
	plain := u.Scheme == "http"
	if plain && !app.PlainHTTPAllowed(rawURL) && !*insecure {
		return c.usageError("plain HTTP to an address outside your network sends the password in the clear", "use https://, or add --insecure-http if you must")
	}
	rs, _, code, ok := c.loadRouters()
	if !ok {
		return code
	}
	if _, err := rs.Get(name); err == nil {
		return c.fail("a router named "+quote(name)+" already exists", "remove it first with 'gatekey router rm'")
	}
	record := app.Router{Name: name, URL: rawURL, User: *user, PlainHTTP: plain, Profile: *profile}
	var probeOpts []routerclient.Option
	if plain {
		probeOpts = append(probeOpts, routerclient.WithPlainHTTP())
	}
	ctx, cancel := routerContext(2 * time.Minute)
	defer cancel()
	probe, err := routerclient.Probe(ctx, rawURL, probeOpts...)
	if err != nil {
		return c.routerError(err)
	}
	if !probe.Supported {
		return c.fail(fmt.Sprintf("%s is not supported: %s", describeProbe(probe), probe.Reason), "")
	}
	if probe.Fingerprint != nil {
		fp := *probe.Fingerprint
		if code, ok := c.acceptFingerprint(fp, *accept); !ok {
			return code
		}
		record.Fingerprint = fp
	}
	password, err := c.password("Password of " + *user + " on " + name + ": ")()
	if err != nil {
		return c.vaultError(err)
	}
	// The password file is the router's; the vault opens through the
	// keychain or by asking.
	c.passwordFile = ""
	if *totp != "" {
		auth, code, ok := c.openAuthenticator(false)
		if !ok {
			return code
		}
		acc, code, ok := c.one(auth, *totp)
		if !ok {
			return code
		}
		record.TOTP = acc.UUID
	} else if probe.TOTPOnLoginPage {
		return c.fail("the router's login page asks for a TOTP code", "link the account that holds its secret with --totp QUERY")
	}
	// Check the credentials once before keeping anything. The record is
	// added first (the step store lives in it) and removed if the login fails.
	if err := rs.Add(record, string(password)); err != nil {
		return c.fail(err.Error(), "")
	}
	clear(password)
	s, _, code, ok := c.connect(ctx, rs, name)
	if !ok {
		_ = rs.Remove(name)
		return code
	}
	_ = s.Close(ctx)
	c.println(fmt.Sprintf("added %s: %s", name, describeProbe(probe)))
	return ExitOK
}

func describeProbe(p *routerclient.ProbeResult) string {
	parts := []string{string(p.Family)}
	if p.Model != "" {
		parts = append(parts, p.Model)
	}
	if p.Firmware != "" {
		parts = append(parts, "firmware "+p.Firmware)
	}
	return strings.Join(parts, ", ")
}

// acceptFingerprint pins fp when the person confirmed it: with
// --accept-fingerprint, or by answering on a terminal.
func (c *ctx) acceptFingerprint(fp, accepted string) (int, bool) {
	if accepted != "" {
		want, err := routerclient.ParseFingerprint(accepted)
		if err != nil {
			return c.usageError(err.Error(), ""), false
		}
		if want != fp {
			return c.fail("the router presents certificate "+fp+", not the one given with --accept-fingerprint", "someone may be intercepting the connection"), false
		}
		return ExitOK, true
	}
	msg := "the router's certificate fingerprint (SHA-256 of its public key) is " + fp
	if !c.io.Terminal {
		return c.usageError(msg, "check it on the router (System Maintenance > Certificate) and add --accept-fingerprint "+fp), false
	}
	fmt.Fprintf(c.io.Stderr, "%s\nGatekey will trust only this certificate for this router from now on.\nDoes it match the one the router shows? [y/N] ", msg)
	answer, _ := bufio.NewReader(c.io.Stdin).ReadString('\n')
	if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
		return c.fail("router not added", ""), false
	}
	return ExitOK, true
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

func runRouterList(c *ctx, args []string) int {
	fs := c.flags()
	asJSON := fs.Bool("json", false, "print a JSON array")
	rest, code, ok := c.parseOrExit(fs, args)
	if !ok {
		return code
	}
	if len(rest) != 0 {
		return c.usageError("router list takes no arguments", "")
	}
	rs, _, code, ok := c.loadRouters()
	if !ok {
		return code
	}
	list := rs.List()
	if *asJSON {
		out := make([]routerJSON, 0, len(list))
		for _, r := range list {
			out = append(out, routerJSON{Name: r.Name, URL: r.URL, User: r.User,
				Fingerprint: nilIfEmpty(r.Fingerprint), TOTP: nilIfEmpty(r.TOTP), Profile: nilIfEmpty(r.Profile)})
		}
		return c.printJSON(out)
	}
	for _, r := range list {
		totp := "no TOTP"
		if r.TOTP != "" {
			totp = "TOTP linked"
		}
		c.println(fmt.Sprintf("%s\t%s\t%s\t%s", r.Name, r.URL, r.User, totp))
	}
	return ExitOK
}

func runRouterRemove(c *ctx, args []string) int {
	rest, code, ok := c.parseOrExit(c.flags(), args)
	if !ok {
		return code
	}
	if len(rest) != 1 {
		return c.usageError("router rm takes one name", "")
	}
	rs, _, code, ok := c.loadRouters()
	if !ok {
		return code
	}
	if err := rs.Remove(rest[0]); err != nil {
		return c.fail(err.Error(), "")
	}
	c.println("removed " + rest[0])
	return ExitOK
}

func runRouterProbe(c *ctx, args []string) int {
	fs := c.flags()
	asJSON := fs.Bool("json", false, "print a JSON object")
	insecure := fs.Bool("insecure-http", false, "allow plain HTTP to an address outside your network")
	rest, code, ok := c.parseOrExit(fs, args)
	if !ok {
		return code
	}
	if len(rest) != 1 {
		return c.usageError("router probe takes one URL", "")
	}
	var opts []routerclient.Option
	if strings.HasPrefix(rest[0], "http://") && (app.PlainHTTPAllowed(rest[0]) || *insecure) {
		opts = append(opts, routerclient.WithPlainHTTP())
	}
	ctx, cancel := routerContext(time.Minute)
	defer cancel()
	p, err := routerclient.Probe(ctx, rest[0], opts...)
	if err != nil {
		return c.routerError(err)
	}
	if *asJSON {
		return c.printJSON(p)
	}
	c.println("family:      " + string(p.Family))
	c.println("model:       " + p.Model)
	c.println("firmware:    " + p.Firmware)
	c.println(fmt.Sprintf("asks a code: %v", p.TOTPOnLoginPage))
	if p.Fingerprint != nil {
		c.println("fingerprint: " + *p.Fingerprint)
	} else {
		c.println("fingerprint: none (plain HTTP)")
	}
	c.println(fmt.Sprintf("supported:   %v %s", p.Supported, p.Reason))
	return ExitOK
}

// withSession is the shape of most router commands: log in, run, log out.
func (c *ctx) withSession(args []string, fs flagSet, want int, fn func(ctx context.Context, s *routerclient.Session, r app.Router, rs *app.Routers, rest []string) int) int {
	rest, code, ok := c.parseOrExit(fs.FlagSet, args)
	if !ok {
		return code
	}
	if len(rest) < want || (want == 1 && len(rest) != 1) {
		return c.usageError(c.cmd.name+": usage: "+c.cmd.usage, "")
	}
	rs, _, code, ok := c.loadRouters()
	if !ok {
		return code
	}
	ctx, cancel := routerContext(fs.timeout)
	defer cancel()
	s, r, code, ok := c.connect(ctx, rs, rest[0])
	if !ok {
		return code
	}
	defer s.Close(context.Background())
	return fn(ctx, s, r, rs, rest[1:])
}
