package app

import (
	"errors"

	"github.com/gatekey/gatekey/routerclient"
)

// The router client's result types, under the names the window and the
// command line use, so that neither needs to import routerclient to show
// what a use case returned.
type (
	// ProbeResult is what a router's login page says without a login.
	ProbeResult = routerclient.ProbeResult
	// AuditReport is one router's audit.
	AuditReport = routerclient.AuditReport
	// Check is one finding of an audit.
	Check = routerclient.Check
	// Severity grades a check.
	Severity = routerclient.Severity
	// Management is a router's remote-management settings.
	Management = routerclient.Management
	// Change is one setting changed from one value to another.
	Change = routerclient.Change
	// ApplyResult is what a write changed, what did not take, and whether
	// the router asks for a reboot.
	ApplyResult = routerclient.ApplyResult
	// ClockReading is the router's clock against this computer's.
	ClockReading = routerclient.ClockReading
	// RouterStatus is model, firmware and the advice that applies.
	RouterStatus = routerclient.Status
)

// Severities, from harmless to urgent.
const (
	SeverityOK       = routerclient.SeverityOK
	SeverityInfo     = routerclient.SeverityInfo
	SeverityWarning  = routerclient.SeverityWarning
	SeverityHigh     = routerclient.SeverityHigh
	SeverityCritical = routerclient.SeverityCritical
)

// SettingKeys are the remote-management keys of `router set` and `mgmt`, in
// the order they are shown.
var SettingKeys = routerclient.SettingKeys

// ParseAccessList reads a comma- or space-separated list of addresses and
// networks as the harden form and --allow take them.
func ParseAccessList(text string) ([]string, error) { return routerclient.ParseAccessList(text) }

// ParseFingerprint reads a certificate fingerprint as people write it (hex,
// with or without colons, any case) in the form Gatekey pins.
func ParseFingerprint(s string) (string, error) { return routerclient.ParseFingerprint(s) }

// IsPlainHTTPRefusal reports whether err is the refusal to send a router
// password over plain HTTP to an address outside the private networks.
func IsPlainHTTPRefusal(err error) bool { return errors.Is(err, routerclient.ErrPlainHTTP) }

type (
	// Advice is what the firmware advice says of one model and firmware.
	Advice = routerclient.Advice
	// Advisory is one published vulnerability advisory.
	Advisory = routerclient.Advisory
)

// DescribeAdvisory names an advisory and the firmware that fixes it, in one
// line for the status screen and `router status`.
func DescribeAdvisory(a Advisory) string {
	if !a.FixKnown || a.FixedIn == "" {
		return a.Names() + " " + a.Title + " (fixed firmware not known to Gatekey: check the vendor's advisory)"
	}
	return a.Names() + " " + a.Title + " (fixed in " + a.FixedIn + ")"
}
