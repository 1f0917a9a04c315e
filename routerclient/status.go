package routerclient

import (
	"context"
	"fmt"
	"regexp"
)

// Status is the `gatekey router status --json` object of CLI.md.
type Status struct {
	Family             Family `json:"family"`
	Model              string `json:"model"`
	Firmware           string `json:"firmware"`
	ClockOffsetSeconds *int64 `json:"clock_offset_seconds"` // nil when unknown
	TOTPDocumented     bool   `json:"totp_documented"`
	BelowSafeMinimum   bool   `json:"below_safe_minimum"`
	// Advisories lists the advisories this firmware lacks the fix of, then
	// those whose fix Gatekey does not know (fix_known false).
	Advisories []Advisory `json:"advisories"`
	// AdviceOrigin and AdviceDate name the copy of the firmware advice
	// used: "embedded" or the path of advice.json, and its date.
	AdviceOrigin string `json:"advice_origin"`
	AdviceDate   string `json:"advice_date"`
}

// Status reports the model, firmware, clock difference and firmware advice.
func (s *Session) Status(ctx context.Context) (*Status, ClockReading, error) {
	model, firmware := s.Identify(ctx)
	clock, err := s.Clock(ctx)
	if err != nil {
		return nil, clock, fmt.Errorf("router status: %w", err)
	}
	adv := s.c.advice().Lookup(model, firmware)
	return &Status{
		Family:             FamilyDrayOS4,
		Model:              model,
		Firmware:           firmware,
		ClockOffsetSeconds: clock.OffsetSeconds(),
		TOTPDocumented:     adv.TOTPDocumented,
		BelowSafeMinimum:   adv.BelowSafeMinimum,
		Advisories:         append(adv.Advisories, adv.Unresolved...),
		AdviceOrigin:       adv.Origin,
		AdviceDate:         adv.Date,
	}, clock, nil
}

// Identify returns the model and firmware: those the login page showed,
// else what `sys version` or the dashboard shows (drayos-web.md §1: the
// model may be missing from the login page). What stays unknown is "".
func (s *Session) Identify(ctx context.Context) (model, firmware string) {
	s.mu.Lock()
	model, firmware = s.model, s.firmware
	s.mu.Unlock()
	if model != "" && firmware != "" {
		return model, firmware
	}
	m, v := s.versionFromConsole(ctx)
	if m == "" || v == "" {
		dm, dv := s.versionFromDashboard(ctx)
		m, v = cmpOr(m, dm), cmpOr(v, dv)
	}
	s.mu.Lock()
	s.model, s.firmware = cmpOr(s.model, m), cmpOr(s.firmware, v)
	model, firmware = s.model, s.firmware
	s.mu.Unlock()
	return model, firmware
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// versionFromConsole reads `sys version`.
func (s *Session) versionFromConsole(ctx context.Context) (model, firmware string) {
	cmd, err := s.c.profile.command("version")
	if err != nil {
		return "", ""
	}
	var out string
	err = s.read(ctx, func() error {
		var err error
		out, err = s.console(ctx, cmd)
		return err
	})
	if err != nil {
		return "", ""
	}
	model, firmware, _ = parseSysVersion(out, s.c.profile)
	return model, firmware
}

var dashboardFirmwareRE = regexp.MustCompile(`(?i)firmware\s*version\W*v?([0-9]+(?:\.[0-9]+)+(?:[_-][A-Za-z0-9]+)*)`)

// versionFromDashboard reads the dashboard's model and firmware rows.
func (s *Session) versionFromDashboard(ctx context.Context) (model, firmware string) {
	var body string
	err := s.read(ctx, func() error {
		var err error
		_, body, err = s.openPage(ctx, s.c.profile.DashboardFID)
		return err
	})
	if err != nil {
		return "", ""
	}
	if m := dashboardFirmwareRE.FindStringSubmatch(htmlText(body)); m != nil {
		firmware = m[1]
	}
	return modelOnPage(body), firmware
}
