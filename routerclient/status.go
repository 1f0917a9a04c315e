package routerclient

import (
	"context"
	"fmt"
)

// Status is the `gatekey router status --json` object of CLI.md.
type Status struct {
	Family             Family     `json:"family"`
	Model              string     `json:"model"`
	Firmware           string     `json:"firmware"`
	ClockOffsetSeconds *int64     `json:"clock_offset_seconds"` // nil when unknown
	TOTPDocumented     bool       `json:"totp_documented"`
	BelowSafeMinimum   bool       `json:"below_safe_minimum"`
	Advisories         []Advisory `json:"advisories"`
}

// Status reports the model, firmware, clock difference and firmware advice.
// Model and firmware come from the login page, or from `sys version` when
// the page did not show them.
func (s *Session) Status(ctx context.Context) (*Status, ClockReading, error) {
	model, firmware := s.model, s.firmware
	if model == "" || firmware == "" {
		if cmd, err := s.c.profile.command("version"); err == nil {
			var out string
			err := s.read(ctx, func() error {
				var err error
				out, err = s.console(ctx, cmd)
				return err
			})
			if err == nil {
				if m, v, err := parseSysVersion(out, s.c.profile); err == nil {
					model, firmware = m, v
				}
			}
		}
	}
	clock, err := s.Clock(ctx)
	if err != nil {
		return nil, clock, fmt.Errorf("router status: %w", err)
	}
	adv := FirmwareAdvice(model, firmware)
	return &Status{
		Family:             FamilyDrayOS4,
		Model:              model,
		Firmware:           firmware,
		ClockOffsetSeconds: clock.OffsetSeconds(),
		TOTPDocumented:     adv.TOTPDocumented,
		BelowSafeMinimum:   adv.BelowSafeMinimum,
		Advisories:         adv.Advisories,
	}, clock, nil
}
