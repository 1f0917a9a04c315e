package routerclient

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Severity grades an audit check.
type Severity string

// Severities, from harmless to urgent, as audit --json writes them.
const (
	SeverityOK       Severity = "ok"
	SeverityInfo     Severity = "info"
	SeverityWarning  Severity = "warning"
	SeverityHigh     Severity = "high"
	SeverityCritical Severity = "critical"
)

func (s Severity) rank() int {
	switch s {
	case SeverityInfo:
		return 1
	case SeverityWarning:
		return 2
	case SeverityHigh:
		return 3
	case SeverityCritical:
		return 4
	}
	return 0
}

// Check is one line of an audit with a one-line fix.
type Check struct {
	ID       string   `json:"id"`
	Severity Severity `json:"severity"`
	Title    string   `json:"title"`
	Fix      string   `json:"fix"`
}

// AuditReport is one router's audit, the element of audit --json.
type AuditReport struct {
	Router string  `json:"router"`
	Checks []Check `json:"checks"`
}

// Failed reports whether any check is a warning or worse (audit exits 1).
func (r *AuditReport) Failed() bool {
	for _, c := range r.Checks {
		if c.Severity.rank() >= SeverityWarning.rank() {
			return true
		}
	}
	return false
}

// AuditInput is everything the audit judges; AuditChecks needs no network.
type AuditInput struct {
	Management Management
	Model      string
	Firmware   string
	Clock      ClockReading
	TOTPPeriod time.Duration
	// TOTPLinked: a TOTP account is linked to the router for WAN logins.
	TOTPLinked bool
	// PlainHTTP: Gatekey reaches the router over http://.
	PlainHTTP bool
	// DefaultPassword: the login worked with the factory admin/admin.
	DefaultPassword bool
}

// AuditOptions name the router in the report and say what the caller knows.
type AuditOptions struct {
	Router     string
	TOTPLinked bool
}

// Audit reads the settings, the firmware and the clock and judges them
// against DrayTek's hardening advice (drayos-web.md §7).
func (s *Session) Audit(ctx context.Context, opts AuditOptions) (*AuditReport, error) {
	m, err := s.ReadManagement(ctx)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	st, clock, err := s.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	in := AuditInput{
		Management: m, Model: st.Model, Firmware: st.Firmware, Clock: clock,
		TOTPPeriod: s.c.profile.period(),
		TOTPLinked: opts.TOTPLinked || s.totp,
		PlainHTTP:  s.c.baseURL().Scheme == "http",
		// Detectable only when the login itself used the factory pair.
		DefaultPassword: s.creds.Username == "admin" && s.creds.Password == "admin",
	}
	return &AuditReport{Router: opts.Router, Checks: AuditChecks(in)}, nil
}

// AuditChecks judges the settings; it is pure so that the GUI can show a
// report for settings it already holds.
func AuditChecks(in AuditInput) []Check {
	m := in.Management
	var out []Check
	add := func(id string, sev Severity, title, fix string) {
		out = append(out, Check{ID: id, Severity: sev, Title: title, Fix: fix})
	}
	adv := FirmwareAdvice(in.Model, in.Firmware)
	switch {
	case in.Firmware == "":
		add("firmware", SeverityWarning, "The firmware version is unknown", "Check the firmware on the router's dashboard and keep it current.")
	case adv.BelowSafeMinimum:
		add("firmware", SeverityCritical, fmt.Sprintf("Firmware %s is older than DrayTek's minimum safe version %s", in.Firmware, adv.SafeMinimum),
			fmt.Sprintf("Update the firmware to %s or later.", adv.SafeMinimum))
	default:
		add("firmware", SeverityOK, fmt.Sprintf("Firmware %s is not below a known minimum", in.Firmware), "Keep the firmware current.")
	}
	if len(adv.Advisories) > 0 {
		ids := make([]string, len(adv.Advisories))
		for i, a := range adv.Advisories {
			ids[i] = a.ID + " (fixed in " + a.FixedIn + ")"
		}
		add("advisories", SeverityCritical, "Published vulnerabilities apply: "+strings.Join(ids, ", "), "Update the firmware to the fixed version.")
	} else {
		add("advisories", SeverityOK, "No known advisory applies to this model and firmware", "Keep the firmware current.")
	}
	if m.Internet {
		sev := SeverityWarning
		if in.TOTPLinked && len(m.AccessList) > 0 {
			sev = SeverityInfo
		}
		add("internet_management", sev, "Management from the Internet is on", "Turn it off unless needed: gatekey router set NAME internet=off.")
		var plain []string
		for _, k := range []string{"http", "telnet", "ftp", "snmp"} {
			if *m.boolField(k) {
				plain = append(plain, strings.ToUpper(k))
			}
		}
		if len(plain) > 0 {
			add("wan_unencrypted", SeverityHigh, "Unencrypted services are open to the Internet: "+strings.Join(plain, ", "),
				"Allow only HTTPS and SSH from the WAN: gatekey router harden NAME.")
		} else {
			add("wan_unencrypted", SeverityOK, "No unencrypted service is open to the Internet", "None needed.")
		}
		if m.HTTPS && !m.EnforceHTTPS {
			add("enforce_https", SeverityWarning, "HTTPS is not enforced for management from the Internet", "gatekey router set NAME enforce_https=on.")
		} else {
			add("enforce_https", SeverityOK, "HTTPS is enforced or not offered", "None needed.")
		}
		if len(m.AccessList) == 0 {
			add("access_list", SeverityHigh, "Any Internet address may try to log in (the access list is empty)",
				"Limit management to known networks: gatekey router harden --allow CIDR NAME.")
		} else {
			add("access_list", SeverityOK, "Management is limited to "+strings.Join(m.AccessList, ", "), "None needed.")
		}
		if !in.TOTPLinked {
			add("totp", SeverityHigh, "Logins from the Internet need no second factor",
				"Enrol TOTP on the router's Administrator Password page and link the account in Gatekey.")
		} else {
			add("totp", SeverityOK, "Logins from the Internet need a TOTP code", "None needed.")
		}
	} else {
		add("internet_management", SeverityOK, "Management from the Internet is off", "None needed.")
	}
	if !m.BruteForce {
		add("brute_force", SeverityWarning, "Brute-force protection is off", "gatekey router set NAME brute_force=on, or gatekey router harden NAME.")
	} else if !contains(m.BruteForceServices, "https") || !contains(m.BruteForceServices, "http") {
		add("brute_force", SeverityWarning, "Brute-force protection does not cover the web interface", "gatekey router harden NAME.")
	} else {
		add("brute_force", SeverityOK, fmt.Sprintf("Brute-force protection blocks after %d failures for %d s", m.BruteForceFailures, m.BruteForcePenalty), "None needed.")
	}
	if m.TLS != nil && (m.TLS.TLS11 || m.TLS.TLS10 || m.TLS.SSL3) {
		add("tls", SeverityWarning, "The web interface accepts TLS versions older than 1.2", "gatekey router harden NAME.")
	}
	if m.Internet && m.Ping {
		add("ping", SeverityInfo, "The router answers pings from the Internet", "gatekey router set NAME ping=off.")
	}
	switch {
	case !in.Clock.Known():
		add("clock", SeverityInfo, "The router's clock could not be read", "Make sure the router uses NTP (System Maintenance >> Time and Date).")
	case in.Clock.Skewed(in.TOTPPeriod):
		add("clock", SeverityWarning, fmt.Sprintf("The router's clock is off by %s: TOTP codes may be refused", in.Clock.Offset),
			"Set the router's time server (System Maintenance >> Time and Date) and check the local clock.")
	default:
		add("clock", SeverityOK, fmt.Sprintf("The router's clock is within %s of this computer's", in.TOTPPeriod), "None needed.")
	}
	if in.DefaultPassword {
		add("default_password", SeverityCritical, "The administrator still uses the factory password", "Change it on the Administrator Password page.")
	}
	if in.PlainHTTP {
		add("transport", SeverityWarning, "Gatekey reaches this router over plain HTTP", "Use the router's https:// address and pin its certificate.")
	}
	sslSev := SeverityInfo
	add("ssl_vpn", sslSev, "SSL VPN also listens on port 443 and the access list does not protect it",
		"Disable SSL VPN when unused (VPN and Remote Access >> Remote Access Control).")
	return out
}
