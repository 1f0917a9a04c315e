package routersim

import (
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
	// ValidCodeField is the login form's Validation Code (CAPTCHA) input;
	// default "sValidCode" (drayos-web.md §3.2 [A]).
	ValidCodeField string
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

	// LoginPageWithoutModel leaves the model off the login page, as some
	// firmware does; it then shows only on the dashboard and in `sys
	// version` (drayos-web.md §1).
	LoginPageWithoutModel bool

	// LANHTTP, LANHTTPS, WANHTTP and WANHTTPS are listen addresses such as
	// "127.0.0.1:0" (a random port); an empty address leaves that listener
	// off. Requests arriving on a WAN listener come "from the Internet".
	LANHTTP, LANHTTPS, WANHTTP, WANHTTPS string
	// WANHTTP6 and WANHTTPS6 are listen addresses such as "[::1]:0" for the
	// router's IPv6 WAN address: requests there come from the Internet over
	// IPv6 and follow the IPv6 management switches and list, not the IPv4
	// ones (drayos-web.md §4.1).
	WANHTTP6, WANHTTPS6 string

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

	// The settings below are applied to the configuration at every start,
	// over a saved one too, and written to flash; a zero value leaves the
	// configuration as it is.

	// ValidationCode turns "Enable Validation Code" (CAPTCHA) on.
	ValidationCode bool
	// IPv6Open turns IPv6 management from the Internet on with HTTP and
	// HTTPS, as on a carelessly configured router.
	IPv6Open bool
	// TR069Open turns management from the Internet on with TR-069 (an ACS
	// managing the router from outside).
	TR069Open bool
	// Objects sets IP objects by index (1-192), such as one a person created
	// by hand; Groups sets IP groups by index (1-32).
	Objects map[int]IPObject
	Groups  map[int]IPGroup
	// AccessList and IPv6AccessList, when not nil, replace index1.. and
	// v6index1.. in order (at most 10 entries each, "" for an unused one):
	// object indexes, "g<n>" or host names; IPv6 addresses or prefixes.
	AccessList, IPv6AccessList []string

	// BackupFID is the fid of the Configuration Backup page: 2016 (default)
	// or 3004, the Configuration Export page of newer firmware
	// (drayos-web.md §4.4). The other fid then does not exist.
	BackupFID int
	// BackupFault makes the backup fail from the start; see SetBackupFault.
	BackupFault BackupFault

	// PasswordRefusedChars are the characters, besides control characters,
	// that a new administrator password may not contain; default space,
	// quote, double quote and backslash. RefuseNothing refuses only control
	// characters.
	PasswordRefusedChars string
	// RefuseNewPasswordOnce arms the fault of RefuseNewPasswordOnce from the
	// start.
	RefuseNewPasswordOnce bool
}

// RefuseNothing as Options.PasswordRefusedChars lets a new password contain
// any character except control characters.
const RefuseNothing = "(none)"

// SourceHeader is the request header that Options.TrustSourceHeader honours.
const SourceHeader = "X-Sim-Source"

// withDefaults fills in every default.
func (o Options) withDefaults() Options {
	o.identityDefaults()
	def(&o.AdminUser, "admin")
	def(&o.AdminPassword, "admin")
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.RebootDelay <= 0 {
		o.RebootDelay = 3 * time.Second
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = 300 * time.Second
	}
	if o.BackupFID == 0 {
		o.BackupFID = 2016
	}
	switch o.PasswordRefusedChars {
	case "":
		o.PasswordRefusedChars = ` '"\`
	case RefuseNothing:
		o.PasswordRefusedChars = ""
	}
	o.Names.withDefaults()
	return o
}

// identityDefaults fills in the family, model and firmware; a model that is
// a bare number gets the "Vigor" prefix.
func (o *Options) identityDefaults() {
	def(&o.Family, FamilyDrayOS4)
	model, fw := "Vigor2927", "4.5.2.2"
	switch o.Family {
	case FamilyDrayOS5:
		model, fw = "Vigor2767", "5.2.0"
	case FamilyLinux:
		model, fw = "Vigor3900", "1.5.1.6"
	}
	def(&o.Model, model)
	if o.Model[0] >= '0' && o.Model[0] <= '9' {
		o.Model = "Vigor" + o.Model
	}
	def(&o.Firmware, fw)
}

// withDefaults fills in the default field names.
func (n *Names) withDefaults() {
	def(&n.TOTPField, "sOtpCode")
	def(&n.ValidCodeField, "sValidCode")
	def(&n.CheckboxValue, "1")
	def(&n.Admin.OldPassword, "sOldPasswd")
	def(&n.Admin.NewPassword, "sPasswd")
	def(&n.Admin.ConfirmPassword, "sConfirmPasswd")
	def(&n.Admin.TOTPEnable, "sAdvAuth")
	def(&n.Admin.TOTPMethod, "sAdvAuthMethod")
	def(&n.Admin.TOTPSecret, "sTotpSecret")
	def(&n.Admin.TOTPCode, "sTotpCode")
	def(&n.Admin.Verify, "sTotpVerify")
}

// def sets *s to v when it is empty.
func def[T ~string](s *T, v T) {
	if *s == "" {
		*s = v
	}
}
