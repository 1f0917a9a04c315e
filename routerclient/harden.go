package routerclient

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// HardenOptions are the choices of `gatekey router harden`.
type HardenOptions struct {
	// Allow replaces the access list and, with TOTPLinked, turns management
	// from the Internet on (HTTPS only).
	Allow []string
	// TOTPLinked: a TOTP account is linked to the router for WAN logins.
	TOTPLinked bool
}

// Default brute-force limits when protection was off (CLI.md).
const (
	hardenFailures = 5
	hardenPenalty  = 1800
)

// HardenPlan computes the hardening preset of CLI.md without any I/O, so
// that the GUI and --dry-run can show it: WAN HTTP, Telnet, FTP and SNMP
// off; enforce HTTPS; TLS 1.2 and newer only; no answer to pings;
// brute-force protection on for every service. Management from the
// Internet is never switched off. steps lists the changes in the order
// they are safe to make (HTTPS on before HTTP off). With Allow but no
// linked TOTP account, err wraps ErrTOTPNotLinked and target still holds
// the rest of the preset.
func HardenPlan(current Management, opts HardenOptions) (target Management, steps []Change, warnings []string, err error) {
	allow, perr := ParseAccessList(strings.Join(opts.Allow, ","))
	if perr != nil {
		return current, nil, nil, fmt.Errorf("%w: --allow: %w", ErrBadSetting, perr)
	}
	t := current.Clone()
	if len(allow) > 0 && opts.TOTPLinked {
		t.Internet = true
		t.AccessList = allow
	}
	if t.Internet {
		t.HTTPS = true // turning WAN HTTP off must not leave the web interface unreachable
	}
	t.HTTP, t.Telnet, t.FTP, t.SNMP = false, false, false, false
	t.EnforceHTTPS = true
	t.TLS = &TLSVersions{TLS12: true}
	t.Ping = false
	if !current.BruteForce {
		t.BruteForceFailures, t.BruteForcePenalty = hardenFailures, hardenPenalty
	}
	if t.BruteForceFailures == 0 {
		t.BruteForceFailures = hardenFailures
	}
	if t.BruteForcePenalty == 0 {
		t.BruteForcePenalty = hardenPenalty
	}
	t.BruteForce = true
	t.BruteForceServices = slices.Clone(bruteForceServices)

	order := []string{"https", "http", "telnet", "ftp", "snmp", "enforce_https",
		"tls1_2", "tls1_1", "tls1_0", "ssl3", "ping",
		"brute_force", "brute_force_services", "brute_force_failures", "brute_force_penalty",
		"internet", "access_list"}
	for _, k := range order {
		to, _ := t.Value(k)
		from, ok := current.Value(k)
		if !ok {
			from = "unknown"
		}
		if from != to {
			steps = append(steps, Change{Key: k, From: from, To: to})
		}
	}
	if len(allow) > 0 && !opts.TOTPLinked {
		err = ErrTOTPNotLinked
	}
	if len(allow) == 0 && t.Internet {
		if len(t.AccessList) == 0 {
			warnings = append(warnings, "management from the Internet is on and the access list is empty: any address may try to log in; use --allow CIDR")
		}
		if !opts.TOTPLinked {
			warnings = append(warnings, "management from the Internet is on without a linked TOTP account: enrol TOTP on the router's Administrator Password page and link it")
		}
	}
	return t, steps, warnings, err
}

// HardenResult reports what harden planned and what the router took.
type HardenResult struct {
	Steps    []Change     `json:"steps"`
	Warnings []string     `json:"warnings"`
	Applied  *ApplyResult `json:"applied"`
}

// Harden reads the settings, applies HardenPlan and reads back. With Allow
// and no linked TOTP account it still applies the rest and returns an
// error wrapping ErrTOTPNotLinked.
func (s *Session) Harden(ctx context.Context, opts HardenOptions) (*HardenResult, error) {
	current, err := s.ReadManagement(ctx)
	if err != nil {
		return nil, fmt.Errorf("harden: %w", err)
	}
	if current.TLS == nil && contains(s.c.profile.SettingsPaths, pathForm) {
		if full, err := s.readVia(ctx, pathForm); err == nil {
			current = mergeKnown(current, full)
		}
	}
	target, steps, warnings, planErr := HardenPlan(current, opts)
	if planErr != nil && !errors.Is(planErr, ErrTOTPNotLinked) {
		return nil, planErr
	}
	res := &HardenResult{Steps: steps, Warnings: warnings}
	if len(steps) > 0 {
		applied, err := s.ApplyManagement(ctx, target, ApplyOptions{TOTPVerified: opts.TOTPLinked})
		res.Applied = applied
		if err != nil {
			return res, fmt.Errorf("harden: %w", err)
		}
	}
	return res, planErr
}

// FormatChanges writes changes one per line, as harden prints them.
func FormatChanges(changes []Change) string {
	var b strings.Builder
	for i, c := range changes {
		b.WriteString(strconv.Itoa(i+1) + ". " + c.String() + "\n")
	}
	return b.String()
}
