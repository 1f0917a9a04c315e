package routerclient

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// ApplyOptions carry what the person decided before a change.
type ApplyOptions struct {
	// TOTPVerified: a TOTP account is linked to the router and verified for
	// WAN logins, so management from the Internet may be turned on.
	TOTPVerified bool
	// AcceptRisk: the person saw the warning and asked for the change anyway
	// (management from the Internet without TOTP, or HTTP, Telnet or FTP
	// from the WAN).
	AcceptRisk bool
}

// ApplyResult reports a write and its read-back.
type ApplyResult struct {
	Before   Management `json:"before"`
	After    Management `json:"after"`
	Changed  []Change   `json:"changed"`   // changes the read-back confirms
	NotTaken []Change   `json:"not_taken"` // changes the read-back does not show
	// RebootRequired: the router answered a save with its Reboot System
	// page or a console reply asking for a reboot. Nothing was rebooted.
	RebootRequired bool     `json:"reboot_required"`
	Paths          []string `json:"paths"` // the settings paths used, in order
}

// CheckInterlocks applies the safety rules of security.md to a change from
// current to target: no management from the Internet unless TOTP is
// verified or the person overrides, and no HTTP, Telnet or FTP from the WAN
// without an override.
func CheckInterlocks(current, target Management, opts ApplyOptions) error {
	if opts.AcceptRisk {
		return nil
	}
	if !current.Internet && target.Internet && !opts.TOTPVerified {
		return &InterlockError{Keys: []string{"internet"},
			Reason: "management from the Internet needs TOTP verified for WAN logins first, or an explicit override after a warning"}
	}
	var keys []string
	for _, k := range []string{"http", "telnet", "ftp"} {
		if !*current.boolField(k) && *target.boolField(k) {
			keys = append(keys, k)
		}
	}
	if len(keys) > 0 {
		return &InterlockError{Keys: keys, Reason: "these services send the password unencrypted over the Internet; confirm the warning to enable them"}
	}
	return nil
}

// ReadManagement reads the management settings through the first settings
// path of the profile that works.
func (s *Session) ReadManagement(ctx context.Context) (Management, error) {
	var errs []error
	for _, path := range s.c.profile.SettingsPaths {
		m, err := s.readVia(ctx, path)
		if err == nil {
			return m, nil
		}
		if !pathUnavailable(err) {
			return Management{}, fmt.Errorf("reading management settings: %w", err)
		}
		errs = append(errs, fmt.Errorf("%s: %w", path, err))
	}
	return Management{}, fmt.Errorf("reading management settings: %w", errors.Join(errs...))
}

func (s *Session) readVia(ctx context.Context, path string) (Management, error) {
	var m Management
	err := s.read(ctx, func() error {
		var err error
		if path == pathConsole {
			if m, err = s.readManagementConsole(ctx); err == nil {
				m, err = s.withFormOnlySettings(ctx, m)
			}
		} else {
			_, m, err = s.readManagementForm(ctx)
		}
		return err
	})
	return m, err
}

// pathUnavailable reports errors after which the next settings path is
// worth trying: the page or console is missing or not understood.
func pathUnavailable(err error) bool {
	return errors.Is(err, ErrConsole) || errors.Is(err, ErrUnexpectedResponse)
}

// ApplyManagement changes the settings to target: it reads the current
// settings, writes only what differs through the profile's first settings
// path, reads back, tries the next path for anything that did not take,
// and reports every field that still differs (with an error wrapping
// ErrNotTaken). A write whose outcome is unknown is never repeated.
func (s *Session) ApplyManagement(ctx context.Context, target Management, opts ApplyOptions) (*ApplyResult, error) {
	s.takeFormCache()
	before, err := s.ReadManagement(ctx)
	if err != nil {
		return nil, err
	}
	return s.apply(ctx, before, target, Diff(before, target), opts)
}

// Set applies CLI settings ("KEY=VALUE", see ParseSetting) with one read:
// the read that ApplyManagement would make is the one the settings are
// applied to. It is `gatekey router set` in one call.
func (s *Session) Set(ctx context.Context, settings []string, opts ApplyOptions) (*ApplyResult, error) {
	s.takeFormCache()
	before, err := s.ReadManagement(ctx)
	if err != nil {
		return nil, err
	}
	target, err := ApplySettings(before, settings)
	if err != nil {
		return nil, err
	}
	return s.apply(ctx, before, target, Diff(before, target), opts)
}

// apply writes changes (from before to target, in the order given) and
// reads back; Changed and NotTaken keep that order.
func (s *Session) apply(ctx context.Context, before, target Management, changes []Change, opts ApplyOptions) (*ApplyResult, error) {
	// A setting the settings paths could not read (TLS, ports or IPv6 with
	// the console alone) cannot be verified, so it is not written; Diff
	// leaves such settings out, so they are looked for here.
	for _, k := range SettingKeys {
		_, inBefore := before.Value(k)
		if _, inTarget := target.Value(k); inTarget && !inBefore {
			return nil, fmt.Errorf("%w: %s cannot be read through the profile's settings paths (%s)", ErrBadSetting, k, strings.Join(s.c.profile.SettingsPaths, ", "))
		}
	}
	res := &ApplyResult{Before: before, After: before, Changed: []Change{}, NotTaken: []Change{}}
	if len(changes) == 0 {
		return res, nil
	}
	if err := CheckInterlocks(before, target, opts); err != nil {
		return res, err
	}
	remaining, err := s.writeChanges(ctx, res, target, changes)
	if err != nil {
		return res, err
	}
	for _, ch := range changes {
		if containsChange(remaining, ch.Key) {
			res.NotTaken = append(res.NotTaken, ch)
		} else {
			res.Changed = append(res.Changed, ch)
		}
	}
	if len(res.NotTaken) > 0 {
		keys := make([]string, len(res.NotTaken))
		for i, ch := range res.NotTaken {
			keys[i] = ch.Key
		}
		return res, fmt.Errorf("%w: %s", ErrNotTaken, strings.Join(keys, ", "))
	}
	return res, nil
}

// writeChanges writes through each settings path in turn what the earlier
// ones did not take, and returns the changes that still differ.
func (s *Session) writeChanges(ctx context.Context, res *ApplyResult, target Management, changes []Change) ([]Change, error) {
	remaining := changes
	for _, path := range s.c.profile.SettingsPaths {
		subset := changesFor(path, remaining, target)
		if len(subset) == 0 {
			continue
		}
		after, reboot, wrote, err := s.applyVia(ctx, path, res.After, target, subset)
		if err != nil && !wrote && pathUnavailable(err) {
			res.Paths = append(res.Paths, path+" (unavailable)")
			continue
		}
		res.Paths = append(res.Paths, path)
		if err != nil {
			return remaining, fmt.Errorf("applying management settings through the %s: %w; read the settings back before trying again", path, err)
		}
		res.After = mergeKnown(res.After, after)
		res.RebootRequired = res.RebootRequired || reboot
		if remaining = stillDiffering(remaining, res.After, target); len(remaining) == 0 {
			break
		}
	}
	return remaining, nil
}

// changesFor keeps the changes a path can make: the form makes them all.
func changesFor(path string, changes []Change, target Management) []Change {
	var out []Change
	for _, ch := range changes {
		if path == pathForm || consoleCapable(ch.Key, target) {
			out = append(out, ch)
		}
	}
	return out
}

// applyVia writes subset through one path and reads back; wrote tells
// whether anything reached the router, after which the outcome is known
// only from a read-back and the write is not attempted elsewhere.
func (s *Session) applyVia(ctx context.Context, path string, current, target Management, subset []Change) (after Management, reboot, wrote bool, err error) {
	if path == pathConsole {
		s.takeFormCache() // the console changes what a cached form shows
		return s.applyConsole(ctx, current, target, subset)
	}
	page := s.takeFormCache()
	if page == nil {
		err = s.read(ctx, func() error {
			var err error
			page, _, err = s.readManagementForm(ctx)
			return err
		})
		if err != nil {
			return Management{}, false, false, err
		}
	}
	var refs map[string]int
	if containsChange(subset, "access_list") {
		if refs, wrote, err = s.objectRefs(ctx, pathForm, target); err != nil {
			return Management{}, false, wrote, err
		}
	}
	if err := setManagementForm(page.form, s.c.profile, target, subset, refs); err != nil {
		return Management{}, false, wrote, err
	}
	after, reboot, err = s.postManagementForm(ctx, page)
	return after, reboot, true, err
}

// mergeKnown returns src with the settings src could not see taken from dst.
func mergeKnown(dst, src Management) Management {
	out := src.Clone()
	for _, k := range portKeys {
		if *out.intField(k) == 0 {
			*out.intField(k) = *dst.intField(k)
		}
	}
	if out.TLS == nil && dst.TLS != nil {
		t := *dst.TLS
		out.TLS = &t
	}
	if out.IPv6 == nil && dst.IPv6 != nil {
		out.IPv6 = dst.Clone().IPv6
	}
	return out
}

func stillDiffering(changes []Change, after, target Management) []Change {
	var out []Change
	for _, ch := range changes {
		va, oka := after.Value(ch.Key)
		vt, _ := target.Value(ch.Key)
		if !oka || va != vt {
			out = append(out, ch)
		}
	}
	return out
}

func containsChange(list []Change, key string) bool {
	for _, ch := range list {
		if ch.Key == key {
			return true
		}
	}
	return false
}
