package routersim

import (
	"strconv"
	"strings"
	"time"
)

// Family is the web protocol family the simulator imitates (drayos-web.md §1).
type Family string

const (
	// FamilyDrayOS4 is the DrayOS 3.x/4.x web interface, fully imitated.
	FamilyDrayOS4 Family = "drayos4"
	// FamilyDrayOS5 serves only a login page whose firmware major version is 5.
	FamilyDrayOS5 Family = "drayos5"
	// FamilyLinux serves only a Linux-family login page (rsa.js, md5.js and a
	// `Server: DWS` header).
	FamilyLinux Family = "linux"
)

// CheckboxNoValue as Names.CheckboxValue writes check boxes without a value
// attribute, so that a browser posts "on" for a checked one.
const CheckboxNoValue = "(none)"

// Names are the field names that drayos-web.md marks as assumed [A], which a
// router profile can change. The zero value means the defaults.
type Names struct {
	// TOTPField is the login form's code input for WAN callers when TOTP is
	// on; default "sOtpCode".
	TOTPField string
	// CheckboxValue is the value attribute the forms write on check boxes and
	// the only value a save accepts as checked; default "1". "on" is allowed,
	// and CheckboxNoValue omits the attribute (a checked box then posts "on").
	CheckboxValue string
	// Admin are the Administrator Password page's field names.
	Admin AdminPageNames
}

// AdminPageNames are the field names of the Administrator Password page
// (drayos-web.md §4.2). Empty fields take the defaults shown.
type AdminPageNames struct {
	OldPassword     string // "sOldPasswd"
	NewPassword     string // "sPasswd"
	ConfirmPassword string // "sConfirmPasswd"
	// TOTPEnable is the check box "Enable Advanced Authentication method when
	// login from WAN"; default "sAdvAuth".
	TOTPEnable string
	// TOTPMethod is the radio button whose value "TOTP" is "Time-based
	// One-time Password (TOTP)"; default "sAdvAuthMethod".
	TOTPMethod string
	// TOTPSecret is the read-only text input holding the secret; default
	// "sTotpSecret".
	TOTPSecret string
	// TOTPCode is the validation-code box; default "sTotpCode".
	TOTPCode string
	// Verify is the name of the Verify submit button; a save that carries it
	// only verifies the code. Default "sTotpVerify".
	Verify string
}

// Options configure a simulated router. The zero value (with at least one
// listen address) is a DrayOS 4 Vigor2927 with admin/admin.
type Options struct {
	// Family is drayos4 (default), drayos5 or linux.
	Family Family
	// Model is the model name, such as "Vigor2927" or "Vigor 3910"; a bare
	// number gets the "Vigor" prefix. Default per family: Vigor2927,
	// Vigor2767, Vigor3900.
	Model string
	// Firmware is the version, such as "4.4.5.8". Default per family:
	// 4.5.2.2, 5.2.0, 1.5.1.6.
	Firmware string
	// TOTPSupported overrides whether the Administrator Password page offers
	// TOTP; nil means the documented table (drayos-web.md §7).
	TOTPSupported *bool

	// LANHTTP, LANHTTPS, WANHTTP and WANHTTPS are listen addresses such as
	// "127.0.0.1:0" (a random port); an empty address leaves that listener
	// off. Requests arriving on a WAN listener come "from the Internet".
	LANHTTP, LANHTTPS, WANHTTP, WANHTTPS string

	// StateDir keeps the configuration and the certificate, so that a new
	// Start on it is a reboot, not a factory reset. Empty means a temporary
	// folder removed by Close.
	StateDir string
	// AdminUser and AdminPassword are the factory credentials (default
	// admin/admin); they are used only when StateDir holds no state yet.
	AdminUser, AdminPassword string
	// BruteForce is the factory brute-force setting; nil means
	// DefaultBruteForce. Used only when StateDir holds no state yet.
	BruteForce *BruteForce

	// Now is the real clock (default time.Now); tests move it to expire
	// sessions and penalties without sleeping.
	Now func() time.Time
	// ClockOffset is added to Now to make the router's clock, which TOTP, the
	// Date header and `sys time show` use.
	ClockOffset time.Duration
	// Latency delays every request.
	Latency time.Duration
	// RebootDelay is how long a reboot keeps both listeners unreachable;
	// default 3 s.
	RebootDelay time.Duration
	// IdleTimeout ends an idle session; default 300 s.
	IdleTimeout time.Duration

	// TrustSourceHeader makes the router take a request's source address from
	// its X-Sim-Source header (an IP address) when present, instead of the
	// TCP peer; for tests of the access list and brute-force protection.
	// Never enable it on a listener reachable by others.
	TrustSourceHeader bool

	// Names are the assumed field names.
	Names Names
}

// SourceHeader is the request header that Options.TrustSourceHeader honours.
const SourceHeader = "X-Sim-Source"

// withDefaults fills in every default.
func (o Options) withDefaults() Options {
	if o.Family == "" {
		o.Family = FamilyDrayOS4
	}
	model, fw := "Vigor2927", "4.5.2.2"
	switch o.Family {
	case FamilyDrayOS5:
		model, fw = "Vigor2767", "5.2.0"
	case FamilyLinux:
		model, fw = "Vigor3900", "1.5.1.6"
	}
	if o.Model == "" {
		o.Model = model
	}
	if o.Model[0] >= '0' && o.Model[0] <= '9' {
		o.Model = "Vigor" + o.Model
	}
	if o.Firmware == "" {
		o.Firmware = fw
	}
	if o.AdminUser == "" {
		o.AdminUser = "admin"
	}
	if o.AdminPassword == "" {
		o.AdminPassword = "admin"
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.RebootDelay <= 0 {
		o.RebootDelay = 3 * time.Second
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = 300 * time.Second
	}
	n := &o.Names
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&n.TOTPField, "sOtpCode")
	def(&n.CheckboxValue, "1")
	def(&n.Admin.OldPassword, "sOldPasswd")
	def(&n.Admin.NewPassword, "sPasswd")
	def(&n.Admin.ConfirmPassword, "sConfirmPasswd")
	def(&n.Admin.TOTPEnable, "sAdvAuth")
	def(&n.Admin.TOTPMethod, "sAdvAuthMethod")
	def(&n.Admin.TOTPSecret, "sTotpSecret")
	def(&n.Admin.TOTPCode, "sTotpCode")
	def(&n.Admin.Verify, "sTotpVerify")
	return o
}

// totpMinimum is the first firmware with documented remote-management TOTP
// per model (drayos-web.md §7, from DrayTek's notes).
var totpMinimum = map[string]string{
	"2765": "4.4.1", "2766": "4.4.1",
	"2865": "4.3.1", "2866": "4.3.1",
	"2927": "4.3.2",
	"2962": "4.3.1", "3910": "4.3.1",
}

// totpDocumented reports whether DrayTek documents TOTP for this model and
// firmware. Only the leading number of the model counts ("Vigor2927Lac" is a
// 2927).
func totpDocumented(model, firmware string) bool {
	num := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(model), "Vigor"))
	end := 0
	for end < len(num) && num[end] >= '0' && num[end] <= '9' {
		end++
	}
	min, ok := totpMinimum[num[:end]]
	return ok && compareVersions(firmware, min) >= 0
}

// compareVersions compares dotted numeric versions; a missing or non-numeric
// part counts as 0.
func compareVersions(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) || i < len(pb); i++ {
		var x, y int
		if i < len(pa) {
			x, _ = strconv.Atoi(pa[i])
		}
		if i < len(pb) {
			y, _ = strconv.Atoi(pb[i])
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}
