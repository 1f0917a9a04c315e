package routerclient

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"
)

// Offset is the router's clock minus the local clock; positive means the
// router is ahead.
type Offset time.Duration

// String writes the offset in whole seconds with a sign, such as "+42s".
func (o Offset) String() string {
	d := time.Duration(o).Round(time.Second)
	if d >= 0 {
		return "+" + d.String()
	}
	return d.String()
}

// Clock sources.
const (
	ClockFromDateHeader = "date header"
	ClockFromConsole    = "console"
	ClockUnknown        = "unknown"
)

// ClockReading compares the router's clock with the local one.
type ClockReading struct {
	Source     string    // ClockFromDateHeader, ClockFromConsole or ClockUnknown
	RouterTime time.Time // zero when unknown
	Offset     Offset    // meaningful only when Source is not ClockUnknown
}

// Known reports whether the router's time could be read.
func (r ClockReading) Known() bool { return r.Source != ClockUnknown && r.Source != "" }

// OffsetSeconds returns the offset in seconds, or nil when unknown, as
// status --json writes clock_offset_seconds.
func (r ClockReading) OffsetSeconds() *int64 {
	if !r.Known() {
		return nil
	}
	s := int64(time.Duration(r.Offset).Round(time.Second) / time.Second)
	return &s
}

// Skewed reports whether the clocks differ by more than limit; TOTP codes
// fail when they differ by more than one period (security.md).
func (r ClockReading) Skewed(limit time.Duration) bool {
	d := time.Duration(r.Offset)
	return r.Known() && (d > limit || d < -limit)
}

func (r ClockReading) String() string {
	if !r.Known() {
		return "router clock unknown"
	}
	return fmt.Sprintf("router clock %s from the %s", r.Offset, r.Source)
}

func dateOffset(h http.Header, local time.Time) (Offset, bool) {
	d, err := http.ParseTime(h.Get("Date"))
	if err != nil {
		return 0, false
	}
	return Offset(d.Sub(local)), true
}

// Clock reads the router's time: the HTTP Date header of a fresh answer
// first, then the console's `sys time show`, else unknown (drayos-web.md §5).
// The Date header has a resolution of one second.
func (s *Session) Clock(ctx context.Context) (ClockReading, error) {
	a, err := s.c.do(ctx, request{method: http.MethodGet, path: s.c.profile.LoginPage})
	if err != nil {
		return ClockReading{Source: ClockUnknown}, fmt.Errorf("reading the router's clock: %w", err)
	}
	local := s.c.now()
	if d, err := http.ParseTime(a.header.Get("Date")); err == nil {
		return ClockReading{Source: ClockFromDateHeader, RouterTime: d, Offset: Offset(d.Sub(local))}, nil
	}
	cmd, err := s.c.profile.command("time")
	if err != nil {
		return ClockReading{Source: ClockUnknown}, nil
	}
	var out string
	err = s.read(ctx, func() error {
		var err error
		out, err = s.console(ctx, cmd)
		return err
	})
	if err != nil {
		return ClockReading{Source: ClockUnknown}, nil
	}
	local = s.c.now()
	if t, ok := parseConsoleTime(out, s.c.profile); ok {
		return ClockReading{Source: ClockFromConsole, RouterTime: t, Offset: Offset(t.Sub(local))}, nil
	}
	return ClockReading{Source: ClockUnknown}, nil
}

var bracketRE = regexp.MustCompile(`^\[?\s*(.*?)\s*\]?$`)

// parseConsoleTime finds the Current Time line of `sys time show` (UTC).
func parseConsoleTime(out string, p *Profile) (time.Time, bool) {
	v, ok := labelValues(out, p.Console.Labels)["current_time"]
	if !ok {
		return time.Time{}, false
	}
	v = bracketRE.FindStringSubmatch(strings.TrimSpace(v))[1]
	layout := p.Console.TimeLayout
	if layout == "" {
		layout = time.DateTime
	}
	t, err := time.ParseInLocation(layout, v, time.UTC)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}
