package routerclient

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
)

// Profile holds every name and pattern of the DrayOS web protocol that
// drayos-web.md marks as assumed, so that a person with a real router can
// correct one without a rebuild. Confirmed names live here too, so that a
// whole dialect can be described in one file.
type Profile struct {
	Name             string      `json:"name"`
	LoginPage        string      `json:"login_page"`
	LoginTitle       string      `json:"login_title"`
	LoginPath        string      `json:"login_path"`
	LogoutPath       string      `json:"logout_path"`
	NavPath          string      `json:"nav_path"`
	DashboardFID     int         `json:"dashboard_fid"`
	TokenField       string      `json:"token_field"`
	UserField        string      `json:"user_field"`
	PasswordField    string      `json:"password_field"`
	LoginExtraFields [][2]string `json:"login_extra_fields"`
	// LoginPageInputs are the login page's person-facing inputs, whose
	// values the page's script copies into user_field and password_field;
	// they are never the code field (drayos-web.md §3.2).
	LoginPageInputs []string `json:"login_page_inputs"`
	// TOTPField is the code field used when the login form does not reveal one.
	TOTPField string `json:"totp_field"`
	// CaptchaPattern recognises the validation code (CAPTCHA) of the login
	// page by an input's name, id or label, or a picture's src; CaptchaField
	// is the input's name when only the picture is recognised.
	CaptchaPattern          string `json:"captcha_pattern"`
	CaptchaField            string `json:"captcha_field"`
	TOTPPeriod              int    `json:"totp_period"`
	TOTPMinRemainingSeconds int    `json:"totp_min_remaining_seconds"`
	BlockedStatus           int    `json:"blocked_status"`
	BlockedMarker           string `json:"blocked_marker"`
	// SettingsPaths orders the ways to read and write management settings:
	// "form" (the Management page) and "console" (mngt commands).
	SettingsPaths  []string         `json:"settings_paths"`
	ManagementForm ManagementForm   `json:"management_form"`
	IPObjects      IPObjectsProfile `json:"ip_objects"`
	AccessListKind string           `json:"access_list_kind"`
	Console        ConsoleProfile   `json:"console"`
	Reboot         RebootProfile    `json:"reboot"`
	AdminPage      AdminPageProfile `json:"admin_page"`
	// PasswordPath is how ChangePassword changes the administrator
	// password: "console" (sys passwd) or "form" (Administrator Password).
	PasswordPath string `json:"password_path"`
	// Backup names the Configuration Backup pages (drayos-web.md §4.4).
	Backup BackupProfile `json:"backup"`

	modelRE, versionRE, captchaRE   *regexp.Regexp
	passwordRefusedRE, passwordOKRE *regexp.Regexp
	backupButtonRE                  *regexp.Regexp
}

// ManagementForm names the fields of the Management page (drayos-web.md §4.1).
type ManagementForm struct {
	FID             int               `json:"fid"`
	Fields          map[string]string `json:"fields"`
	AccessListField string            `json:"access_list_field"`
	AccessListSize  int               `json:"access_list_size"`
	// IPv6AccessListField and IPv6AccessListSize name the IPv6 list.
	IPv6AccessListField string `json:"ipv6_access_list_field"`
	IPv6AccessListSize  int    `json:"ipv6_access_list_size"`
	ConfigPortDefault   string `json:"config_port_default"`
	ConfigPortUser      string `json:"config_port_user"`
	RebootMarkerField   string `json:"reboot_marker_field"`
}

// IPObjectsProfile describes the IP Object page (drayos-web.md §4.3): its
// fid, the number of objects, the form's field names and the synonyms of
// the table's column headers, by key: index, name, interface, type,
// start, end, mask, end_mask, invert.
type IPObjectsProfile struct {
	FID     int                 `json:"fid"`
	Count   int                 `json:"count"`
	Fields  map[string]string   `json:"fields"`
	Columns map[string][]string `json:"columns"`
}

// ConsoleProfile describes the web console: its fid, command templates with
// {placeholders}, and the label synonyms used to parse command output.
type ConsoleProfile struct {
	FID            int                 `json:"fid"`
	CommandField   string              `json:"command_field"`
	Commands       map[string]string   `json:"commands"`
	ServiceNames   map[string]string   `json:"service_names"`
	Labels         map[string][]string `json:"labels"`
	ModelPattern   string              `json:"model_pattern"`
	VersionPattern string              `json:"version_pattern"`
	TimeLayout     string              `json:"time_layout"`
}

// RebootProfile describes the reboot request and the bounds of waiting.
type RebootProfile struct {
	FID                  int    `json:"fid"`
	Path                 string `json:"path"`
	Field                string `json:"field"`
	Value                string `json:"value"`
	Marker               string `json:"marker"`
	FirstPollMillis      int    `json:"first_poll_ms"`
	MaxPollIntervalMilli int    `json:"max_poll_interval_ms"`
	TimeoutSeconds       int    `json:"timeout_seconds"`
}

// AdminPageProfile names the Administrator Password page's TOTP fields
// (drayos-web.md §4.2); the enrolment flow uses them where they are known
// to match the router.
type AdminPageProfile struct {
	FID             int    `json:"fid"`
	Action          string `json:"action"`
	TOTPEnableField string `json:"totp_enable_field"`
	TOTPMethodField string `json:"totp_method_field"`
	TOTPMethodValue string `json:"totp_method_value"`
	TOTPSecretField string `json:"totp_secret_field"`
	TOTPCodeField   string `json:"totp_code_field"`
	VerifyField     string `json:"verify_field"`
	// The password fields, and what the page says after a change.
	OldPasswordField       string `json:"old_password_field"`
	NewPasswordField       string `json:"new_password_field"`
	ConfirmPasswordField   string `json:"confirm_password_field"`
	PasswordRefusedPattern string `json:"password_refused_pattern"`
	PasswordChangedPattern string `json:"password_changed_pattern"`
}

// BackupProfile names the pages that hold the backup form, in the order
// tried, and how its submit button is recognised.
type BackupProfile struct {
	FIDs          []int  `json:"fids"`
	ButtonPattern string `json:"button_pattern"`
	MaxBytes      int    `json:"max_bytes"`
}

//go:embed profiles/drayos4.json
var drayos4JSON []byte

// maxProfileSize bounds a profile file; the built-in one is a few kilobytes.
const maxProfileSize = 1 << 20

// DefaultProfile returns a fresh copy of the built-in drayos4 profile.
func DefaultProfile() *Profile {
	p, err := decodeProfile(bytes.NewReader(drayos4JSON), &Profile{})
	if err != nil {
		panic("routerclient: built-in profile is invalid: " + err.Error())
	}
	return p
}

// LoadProfile reads a profile override: every key present replaces the
// built-in drayos4 value, every key absent keeps it. An unknown key is an
// error naming the key, so that a typo does not silently fall back.
func LoadProfile(r io.Reader) (*Profile, error) {
	return decodeProfile(io.LimitReader(r, maxProfileSize+1), DefaultProfile())
}

func decodeProfile(r io.Reader, base *Profile) (*Profile, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadProfile, err)
	}
	if len(data) > maxProfileSize {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrBadProfile, maxProfileSize)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(base); err != nil {
		if key, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			return nil, fmt.Errorf("%w: unknown key %s", ErrBadProfile, key)
		}
		return nil, fmt.Errorf("%w: %w", ErrBadProfile, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: text after the JSON object", ErrBadProfile)
	}
	if err := base.validate(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadProfile, err)
	}
	return base, nil
}

const (
	pathForm    = "form"
	pathConsole = "console"
)

func (p *Profile) period() time.Duration { return time.Duration(p.TOTPPeriod) * time.Second }

// command fills a console command template.
func (p *Profile) command(name string, args ...string) (string, error) {
	tmpl, ok := p.Console.Commands[name]
	if !ok || tmpl == "" {
		return "", fmt.Errorf("%w: the profile has no console command %q", ErrConsole, name)
	}
	return strings.NewReplacer(args...).Replace(tmpl), nil
}
