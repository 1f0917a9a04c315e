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
	// Advice is the firmware advice to judge by; nil means the embedded copy.
	Advice *AdviceTables
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
	return s.AuditOf(m, st, clock, opts), nil
}

// AuditOf judges settings, status and clock that this session has already
// read, as Audit does after reading them.
func (s *Session) AuditOf(m Management, st *Status, clock ClockReading, opts AuditOptions) *AuditReport {
	in := AuditInput{
		Management: m, Model: st.Model, Firmware: st.Firmware, Clock: clock,
		TOTPPeriod: s.c.profile.period(),
		TOTPLinked: opts.TOTPLinked || s.totp,
		PlainHTTP:  s.c.baseURL().Scheme == "http",
		// Detectable only when the login itself used the factory pair.
		DefaultPassword: s.creds.Username == "admin" && s.creds.Password == "admin",
		Advice:          s.c.advice(),
	}
	return &AuditReport{Router: opts.Router, Checks: AuditChecks(in)}
}

// auditList collects checks.
type auditList []Check

func (l *auditList) add(id string, sev Severity, title, fix string) {
	*l = append(*l, Check{ID: id, Severity: sev, Title: title, Fix: fix})
}

// AuditChecks judges the settings; it is pure so that the GUI can show a
// report for settings it already holds.
func AuditChecks(in AuditInput) []Check {
	var l auditList
	l.firmware(in)
	l.internet(in)
	l.ipv6(in)
	l.bruteForce(in.Management)
	l.transport(in)
	l.clock(in)
	return l
}

func (l *auditList) firmware(in AuditInput) {
	tables := in.Advice
	if tables == nil {
		tables = EmbeddedAdvice()
	}
	adv := tables.Lookup(in.Model, in.Firmware)
	switch {
	case in.Firmware == "":
		l.add("firmware", SeverityWarning, "The firmware version is unknown", "Check the firmware on the router's dashboard and keep it current.")
	case adv.BelowSafeMinimum:
		l.add("firmware", SeverityCritical, fmt.Sprintf("Firmware %s is older than DrayTek's minimum safe version %s", in.Firmware, adv.SafeMinimum),
			fmt.Sprintf("Update the firmware to %s or later.", adv.SafeMinimum))
	default:
		l.add("firmware", SeverityOK, fmt.Sprintf("Firmware %s is not below a known minimum", in.Firmware), "Keep the firmware current.")
	}
	if len(adv.Advisories) > 0 {
		names := make([]string, len(adv.Advisories))
		for i, a := range adv.Advisories {
			names[i] = a.Names() + " (" + a.Title + "; fixed in " + a.FixedIn + ")"
		}
		l.add("advisories", SeverityCritical, "Published vulnerabilities apply: "+strings.Join(names, "; "), "Update the firmware to the fixed version.")
	} else {
		l.add("advisories", SeverityOK, "No advisory with a known fix applies to this model and firmware", "Keep the firmware current.")
	}
	if len(adv.Unresolved) > 0 {
		names := make([]string, len(adv.Unresolved))
		for i, a := range adv.Unresolved {
			names[i] = a.Names() + " (" + a.Title + ", " + a.Date + ")"
		}
		l.add("advisories_fix_unknown", SeverityWarning, "Check the vendor's advisory: fixed firmware not known to Gatekey: "+strings.Join(names, "; "),
			"Read DrayTek's advisories for this model and update the firmware when a fix is published; a newer advice.json in the Gatekey folder updates this check.")
	}
	if adv.Newest != "" && CompareVersions(in.Firmware, adv.Newest) < 0 {
		l.add("firmware_newest", SeverityInfo, "Firmware "+adv.Newest+" was seen on DrayTek's server ("+adv.Date+")",
			"Read its release notes and plan the update.")
	}
	l.add("advice_source", SeverityInfo, "Firmware advice: "+adviceOriginText(adv.Origin)+" dated "+adv.Date,
		"Drop a newer advice.json in the Gatekey folder to update it.")
}

func adviceOriginText(origin string) string {
	if origin == EmbeddedAdviceOrigin {
		return "the copy built into Gatekey"
	}
	return origin
}

func (l *auditList) internet(in AuditInput) {
	m := in.Management
	if !m.Internet {
		l.add("internet_management", SeverityOK, "Management from the Internet is off", "None needed.")
		return
	}
	sev := SeverityWarning
	if in.TOTPLinked && len(m.AccessList) > 0 {
		sev = SeverityInfo
	}
	l.add("internet_management", sev, "Management from the Internet is on", "Turn it off unless needed: gatekey router set NAME internet=off.")
	l.unencrypted("wan_unencrypted", "the Internet", m.HTTP, m.Telnet, m.FTP, m.SNMP)
	if m.HTTPS && !m.EnforceHTTPS {
		l.add("enforce_https", SeverityWarning, "HTTPS is not enforced for management from the Internet", "gatekey router set NAME enforce_https=on.")
	} else {
		l.add("enforce_https", SeverityOK, "HTTPS is enforced or not offered", "None needed.")
	}
	l.accessList("access_list", m.AccessList)
	l.totp(in, "totp", "Logins from the Internet")
	if m.TR069 {
		// An ACS (VigorACS or another) needs it; otherwise it is one more
		// service listening on the Internet.
		l.add("tr069", SeverityWarning, "TR-069 is open to the Internet",
			"Unless an ACS manages the router, turn it off: gatekey router harden NAME (--keep-tr069 keeps it).")
	}
	if m.Ping {
		l.add("ping", SeverityInfo, "The router answers pings from the Internet", "gatekey router set NAME ping=off.")
	}
}

// unencrypted reports services that send passwords in clear.
func (l *auditList) unencrypted(id, where string, http, telnet, ftp, snmp bool) {
	var plain []string
	for name, on := range map[string]bool{"HTTP": http, "Telnet": telnet, "FTP": ftp, "SNMP": snmp} {
		if on {
			plain = append(plain, name)
		}
	}
	if len(plain) == 0 {
		l.add(id, SeverityOK, "No unencrypted service is open to "+where, "None needed.")
		return
	}
	sortWords(plain, []string{"HTTP", "Telnet", "FTP", "SNMP"})
	l.add(id, SeverityHigh, "Unencrypted services are open to "+where+": "+strings.Join(plain, ", "),
		"Allow only HTTPS and SSH from the WAN: gatekey router harden NAME.")
}

func sortWords(list, order []string) {
	var out []string
	for _, w := range order {
		if contains(list, w) {
			out = append(out, w)
		}
	}
	copy(list, out)
}

func (l *auditList) accessList(id string, list []string) {
	if len(list) == 0 {
		l.add(id, SeverityHigh, "Any Internet address may try to log in (the access list is empty)",
			"Limit management to known networks: gatekey router harden --allow CIDR NAME.")
		return
	}
	l.add(id, SeverityOK, "Management is limited to "+strings.Join(list, ", "), "None needed.")
}

func (l *auditList) totp(in AuditInput, id, what string) {
	if !in.TOTPLinked {
		l.add(id, SeverityHigh, what+" need no second factor",
			"Enrol TOTP on the router's Administrator Password page and link the account in Gatekey.")
		return
	}
	l.add(id, SeverityOK, what+" need a TOTP code", "None needed.")
}

// ipv6 judges management over IPv6 like the IPv4 one: a web interface open
// over IPv6 is as exposed as one open over IPv4 (drayos-web.md §4.1).
func (l *auditList) ipv6(in AuditInput) {
	v := in.Management.IPv6
	if v == nil {
		l.add("ipv6_management", SeverityInfo, "The IPv6 management settings could not be read", "Check System Maintenance >> Management >> IPv6 on the router.")
		return
	}
	if !v.Internet {
		l.add("ipv6_management", SeverityOK, "Management from the Internet over IPv6 is off", "None needed.")
		return
	}
	sev := SeverityWarning
	if in.TOTPLinked && len(v.AccessList) > 0 {
		sev = SeverityInfo
	}
	l.add("ipv6_management", sev, "Management from the Internet over IPv6 is on", "Turn it off unless needed: gatekey router set NAME ipv6_internet=off.")
	l.unencrypted("ipv6_unencrypted", "the Internet over IPv6", v.HTTP, v.Telnet, false, v.SNMP)
	if len(v.AccessList) == 0 {
		l.add("ipv6_access_list", SeverityHigh, "Any IPv6 address may try to log in (the IPv6 access list is empty)",
			"Limit IPv6 management to known prefixes: gatekey router harden --allow PREFIX NAME.")
	} else {
		l.add("ipv6_access_list", SeverityOK, "IPv6 management is limited to "+strings.Join(v.AccessList, ", "), "None needed.")
	}
	l.totp(in, "ipv6_totp", "Logins from the Internet over IPv6")
	if v.Ping {
		l.add("ipv6_ping", SeverityInfo, "The router answers pings from the Internet over IPv6", "gatekey router set NAME ipv6_ping=off.")
	}
}

func (l *auditList) bruteForce(m Management) {
	switch {
	case !m.BruteForce:
		l.add("brute_force", SeverityWarning, "Brute-force protection is off", "gatekey router set NAME brute_force=on, or gatekey router harden NAME.")
	case !contains(m.BruteForceServices, "https") || !contains(m.BruteForceServices, "http"):
		l.add("brute_force", SeverityWarning, "Brute-force protection does not cover the web interface", "gatekey router harden NAME.")
	default:
		l.add("brute_force", SeverityOK, fmt.Sprintf("Brute-force protection blocks after %d failures for %d s", m.BruteForceFailures, m.BruteForcePenalty), "None needed.")
	}
	if m.TLS != nil && (m.TLS.TLS11 || m.TLS.TLS10 || m.TLS.SSL3) {
		l.add("tls", SeverityWarning, "The web interface accepts TLS versions older than 1.2", "gatekey router harden NAME.")
	}
}

func (l *auditList) transport(in AuditInput) {
	if in.DefaultPassword {
		l.add("default_password", SeverityCritical, "The administrator still uses the factory password", "Change it: gatekey router passwd NAME.")
	}
	if in.PlainHTTP {
		l.add("transport", SeverityWarning, "Gatekey reaches this router over plain HTTP", "Use the router's https:// address and pin its certificate.")
	}
	l.add("ssl_vpn", SeverityInfo, "SSL VPN also listens on port 443 and the access list does not protect it",
		"Disable SSL VPN when unused (VPN and Remote Access >> Remote Access Control).")
}

func (l *auditList) clock(in AuditInput) {
	switch {
	case !in.Clock.Known():
		l.add("clock", SeverityInfo, "The router's clock could not be read", "Make sure the router uses NTP (System Maintenance >> Time and Date).")
	case in.Clock.Skewed(in.TOTPPeriod):
		l.add("clock", SeverityWarning, fmt.Sprintf("The router's clock is off by %s: TOTP codes may be refused", in.Clock.Offset),
			"Set the router's time server (System Maintenance >> Time and Date) and check the local clock.")
	default:
		l.add("clock", SeverityOK, fmt.Sprintf("The router's clock is within %s of this computer's", in.TOTPPeriod), "None needed.")
	}
}
