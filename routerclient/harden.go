package routerclient

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// HardenOptions are the choices of `gatekey router harden` and of the
// window's harden panel.
type HardenOptions struct {
	// Allow holds IPv4 CIDRs and IPv6 prefixes. With TOTPLinked, the IPv4
	// ones replace the address entries of the access list and turn
	// management from the Internet on (HTTPS only), and the IPv6 ones do
	// the same for IPv6.
	Allow []string
	// TOTPLinked: a TOTP account is linked to the router for WAN logins.
	TOTPLinked bool
	// KeepTR069 leaves TR-069 from the Internet as it is, for a router an
	// ACS (VigorACS or another) manages; otherwise harden turns it off.
	KeepTR069 bool
}

// Default brute-force limits when protection was off (CLI.md).
const (
	hardenFailures = 5
	hardenPenalty  = 1800
)

// hardenOrder is the order harden makes and reports its changes: HTTPS on
// before HTTP off, so that the web interface stays reachable.
var hardenOrder = []string{
	"https", "http", "telnet", "ftp", "snmp", "tr069", "enforce_https",
	"tls1_2", "tls1_1", "tls1_0", "ssl3", "ping",
	"brute_force", "brute_force_services", "brute_force_failures", "brute_force_penalty",
	"internet", "access_list",
	"ipv6_https", "ipv6_http", "ipv6_telnet", "ipv6_snmp", "ipv6_ping", "ipv6_internet", "ipv6_access_list",
}

// HardenPlan is what harden changes on one router: the settings it starts
// from, the settings it aims at, the changes in the order they are
// written, and the warnings. A dry run shows Changes; applying the plan
// writes exactly them. Its JSON form is harden --json's (CLI.md); the
// caller sets Router.
type HardenPlan struct {
	Router   string   `json:"router"`
	Changes  []Change `json:"changes"`
	Warnings []string `json:"warnings"`
	// Current and Target are the settings before and after.
	Current Management `json:"-"`
	Target  Management `json:"-"`
	// Blocked wraps ErrTOTPNotLinked when Allow was given without a linked
	// TOTP account: management from the Internet stays as it is, the rest
	// of the preset is in the plan.
	Blocked error `json:"-"`
	// Options are the choices the plan was made with.
	Options HardenOptions `json:"-"`
}

// PlanHarden computes the hardening preset of CLI.md without any I/O: WAN
// HTTP, Telnet, FTP and SNMP off; TR-069 off unless KeepTR069; enforce
// HTTPS; TLS 1.2 and newer only; no answer to pings; brute-force
// protection on for every service; the same for IPv6 (HTTP, Telnet, SNMP
// and pings off, HTTPS on while IPv6 management is on). Management from
// the Internet is never switched off, and switched on only for Allow with
// a linked TOTP account. The error is for an Allow entry that is neither
// an IPv4 CIDR nor an IPv6 prefix, or a list that would not fit.
func PlanHarden(current Management, opts HardenOptions) (*HardenPlan, error) {
	allow4, allow6, err := splitAllow(opts.Allow)
	if err != nil {
		return nil, fmt.Errorf("%w: --allow: %w", ErrBadSetting, err)
	}
	plan := &HardenPlan{Current: current.Clone(), Options: opts, Changes: []Change{}, Warnings: []string{}}
	grant := opts.TOTPLinked
	if (len(allow4) > 0 || len(allow6) > 0) && !grant {
		plan.Blocked = ErrTOTPNotLinked
	}
	t := current.Clone()
	if err := hardenIPv4(&t, allow4, grant, opts.KeepTR069); err != nil {
		return nil, err
	}
	if err := hardenIPv6(&t, allow6, grant); err != nil {
		return nil, err
	}
	hardenCommon(&t, current)
	plan.Target = t
	plan.Changes = orderChanges(Diff(current, t), hardenOrder)
	plan.Warnings = hardenWarnings(current, t, opts, len(allow4) > 0, len(allow6) > 0)
	return plan, nil
}

// splitAllow sorts Allow into IPv4 networks and IPv6 prefixes.
func splitAllow(allow []string) (v4, v6 []string, err error) {
	for _, a := range strings.Split(strings.Join(allow, ","), ",") {
		if a = strings.TrimSpace(a); a == "" {
			continue
		}
		if e, err4 := canonicalAddress(a, false); err4 == nil {
			v4 = append(v4, e)
		} else if e, err6 := canonicalAddress(a, true); err6 == nil {
			v6 = append(v6, e)
		} else {
			return nil, nil, fmt.Errorf("%q is neither an IPv4 CIDR nor an IPv6 prefix", truncate(a, 40))
		}
	}
	return slices.Compact(v4), slices.Compact(v6), nil
}

// withAllowed replaces a list's address entries by allow, keeping the
// entries Gatekey does not manage (groups, host names, other objects).
func withAllowed(list, allow []string, size int) ([]string, error) {
	out := append(slices.Clone(allow), keptEntries(list)...)
	if size > 0 && len(out) > size {
		return nil, fmt.Errorf("%w: the access list holds at most %d entries; %d allowed and %d kept", ErrBadSetting, size, len(allow), len(out)-len(allow))
	}
	return out, nil
}

func hardenIPv4(t *Management, allow []string, grant, keepTR069 bool) error {
	if len(allow) > 0 && grant {
		list, err := withAllowed(t.AccessList, allow, accessListSize)
		if err != nil {
			return err
		}
		t.Internet, t.AccessList = true, list
	}
	if t.Internet {
		t.HTTPS = true // turning WAN HTTP off must not leave the web interface unreachable
	}
	t.HTTP, t.Telnet, t.FTP, t.SNMP = false, false, false, false
	if !keepTR069 {
		t.TR069 = false
	}
	t.EnforceHTTPS, t.Ping = true, false
	return nil
}

func hardenIPv6(t *Management, allow []string, grant bool) error {
	v := t.IPv6
	if v == nil {
		return nil
	}
	if len(allow) > 0 && grant {
		list, err := withAllowed(v.AccessList, allow, accessListSize)
		if err != nil {
			return err
		}
		v.Internet, v.AccessList = true, list
	}
	if v.Internet {
		v.HTTPS = true
	}
	v.HTTP, v.Telnet, v.SNMP, v.Ping = false, false, false, false
	return nil
}

// accessListSize is the size of each access list (drayos-web.md §4.1).
const accessListSize = 10

func hardenCommon(t *Management, current Management) {
	if t.TLS != nil {
		t.TLS = &TLSVersions{TLS12: true}
	}
	if !current.BruteForce || t.BruteForceFailures == 0 {
		t.BruteForceFailures = hardenFailures
	}
	if !current.BruteForce || t.BruteForcePenalty == 0 {
		t.BruteForcePenalty = hardenPenalty
	}
	t.BruteForce = true
	t.BruteForceServices = slices.Clone(bruteForceServices)
}

// orderChanges sorts changes by their place in order; keys not in it keep
// their relative order after the others.
func orderChanges(changes []Change, order []string) []Change {
	out := slices.Clone(changes)
	rank := func(k string) int {
		if i := slices.Index(order, k); i >= 0 {
			return i
		}
		return len(order)
	}
	slices.SortStableFunc(out, func(a, b Change) int { return rank(a.Key) - rank(b.Key) })
	return out
}

func hardenWarnings(current, t Management, opts HardenOptions, allow4, allow6 bool) []string {
	w := []string{}
	open4 := !allow4 && t.Internet
	if open4 && len(t.AccessList) == 0 {
		w = append(w, "management from the Internet is on and the access list is empty: any address may try to log in; use --allow CIDR")
	}
	open6 := !allow6 && t.IPv6 != nil && t.IPv6.Internet
	if open6 && len(t.IPv6.AccessList) == 0 {
		w = append(w, "management from the Internet over IPv6 is on and the IPv6 access list is empty: any IPv6 address may try to log in; use --allow PREFIX")
	}
	if !opts.TOTPLinked && (open4 || open6) {
		w = append(w, "management from the Internet is on without a linked TOTP account: enrol TOTP on the router's Administrator Password page and link it")
	}
	return append(w, unreadWarnings(current, allow6)...)
}

// unreadWarnings name the parts of the preset left out because the
// settings path could not read them.
func unreadWarnings(current Management, allow6 bool) []string {
	var w []string
	if allow6 && current.IPv6 == nil {
		w = append(w, "the router's IPv6 management settings could not be read, so the IPv6 prefixes of --allow were not applied")
	}
	if current.TLS == nil {
		w = append(w, "the TLS versions could not be read, so they were left as they are")
	}
	return w
}

// PlanHarden reads the settings (through the same read Harden makes) and
// returns the plan, for a dry run or for the window to show.
func (s *Session) PlanHarden(ctx context.Context, opts HardenOptions) (*HardenPlan, error) {
	current, err := s.ReadManagement(ctx)
	if err != nil {
		return nil, fmt.Errorf("harden: %w", err)
	}
	return PlanHarden(current, opts)
}

// HardenResult reports what harden applied and read back; its JSON form
// is harden --json's after a real run (CLI.md). The caller sets Router.
type HardenResult struct {
	Router string `json:"router"`
	// Changes are the plan's changes that the read-back confirms, in the
	// plan's order.
	Changes  []Change `json:"changes"`
	Warnings []string `json:"warnings"`
	// NotTaken are the plan's changes the read-back does not show.
	NotTaken []Change `json:"not_taken,omitempty"`
	// RebootRequired: the router asked for a reboot; nothing was rebooted.
	RebootRequired bool         `json:"reboot_required,omitempty"`
	Plan           *HardenPlan  `json:"-"`
	Applied        *ApplyResult `json:"-"`
}

// Harden reads the settings, plans the preset and writes exactly the
// plan's changes, then reads back. With Allow and no linked TOTP account
// it still applies the rest and returns an error wrapping
// ErrTOTPNotLinked.
func (s *Session) Harden(ctx context.Context, opts HardenOptions) (*HardenResult, error) {
	plan, err := s.PlanHarden(ctx, opts)
	if err != nil {
		return nil, err
	}
	return s.applyPlan(ctx, plan)
}

// ApplyHardenPlan writes a plan made earlier (shown to a person first).
// When the router's settings changed since the plan was made, nothing is
// written and the error wraps ErrPlanStale: plan again.
func (s *Session) ApplyHardenPlan(ctx context.Context, plan *HardenPlan) (*HardenResult, error) {
	s.takeFormCache()
	now, err := s.ReadManagement(ctx)
	if err != nil {
		return nil, fmt.Errorf("harden: %w", err)
	}
	if d := Diff(plan.Current, now); len(d) > 0 {
		return nil, fmt.Errorf("%w: %s changed", ErrPlanStale, d[0].Key)
	}
	return s.applyPlan(ctx, plan)
}

func (s *Session) applyPlan(ctx context.Context, plan *HardenPlan) (*HardenResult, error) {
	res := &HardenResult{Router: plan.Router, Changes: []Change{}, Warnings: plan.Warnings, Plan: plan}
	if len(plan.Changes) > 0 {
		applied, err := s.apply(ctx, plan.Current, plan.Target, plan.Changes, ApplyOptions{TOTPVerified: plan.Options.TOTPLinked})
		res.Applied = applied
		if applied != nil {
			res.Changes, res.NotTaken, res.RebootRequired = applied.Changed, applied.NotTaken, applied.RebootRequired
		}
		if err != nil && !errors.Is(err, ErrNotTaken) {
			return res, fmt.Errorf("harden: %w", err)
		}
		if err != nil {
			return res, fmt.Errorf("harden: %w", errors.Join(err, plan.Blocked))
		}
	}
	return res, plan.Blocked
}

// FormatChanges writes changes one per line, as harden prints them.
func FormatChanges(changes []Change) string {
	var b strings.Builder
	for i, c := range changes {
		b.WriteString(strconv.Itoa(i+1) + ". " + c.String() + "\n")
	}
	return b.String()
}
