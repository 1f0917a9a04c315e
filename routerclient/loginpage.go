package routerclient

import (
	"net/http"
	"regexp"
	"strings"
)

// Family is a DrayTek firmware family, as probe --json spells it.
type Family string

// The families drayos-web.md §1 tells apart.
const (
	FamilyDrayOS4 Family = "drayos4"
	FamilyDrayOS5 Family = "drayos5"
	FamilyLinux   Family = "linux"
	FamilyUnknown Family = "unknown"
)

// loginPage is what the login page tells before any login.
type loginPage struct {
	Family    Family
	Model     string
	Firmware  string
	Reason    string // why the family is not supported
	TOTPField string // the code field, "" when the page does not ask for one
	IsLogin   bool   // the page is a Vigor login page
}

var (
	fwverRE     = regexp.MustCompile(`(?i)fwver["']?\s*[:=]\s*["']?\s*v?([0-9]+(?:\.[0-9]+)+)`)
	modelTextRE = regexp.MustCompile(`(?i)>\s*(Vigor)\s*([0-9]{3,4}[A-Za-z0-9]*)\s*<`)
	linuxJSRE   = regexp.MustCompile(`(?i)\b(rsa|md5)\.js\b`)
)

// parseLoginPage reads the family, model, firmware and code field from the
// page served at /weblogin.htm (drayos-web.md §1, §3.1).
func parseLoginPage(body string, header http.Header, p *Profile) loginPage {
	var lp loginPage
	title := pageTitle(body)
	lp.IsLogin = p.LoginTitle != "" && strings.Contains(strings.ToLower(title), strings.ToLower(p.LoginTitle))
	if m := fwverRE.FindStringSubmatch(body); m != nil {
		lp.Firmware = m[1]
	}
	if m := modelTextRE.FindStringSubmatch(body); m != nil {
		lp.Model = "Vigor" + m[2]
	}
	server := ""
	if header != nil {
		server = header.Get("Server")
	}
	switch {
	case strings.Contains(strings.ToUpper(server), "DWS") || linuxJSRE.MatchString(body):
		lp.Family = FamilyLinux
		lp.Reason = "this is a Linux-family Vigor (such as the 2960, 3900 or 300B), whose web interface Gatekey does not speak"
	case strings.HasPrefix(lp.Firmware, "5.") || strings.Contains(strings.ToLower(body), "webproc.cgi"):
		lp.Family = FamilyDrayOS5
		lp.Reason = "this router runs DrayOS 5, which Gatekey does not support yet"
	case lp.IsLogin || lp.Model != "" || lp.Firmware != "":
		lp.Family = FamilyDrayOS4
		if lp.Firmware != "" && !strings.HasPrefix(lp.Firmware, "4.") && !strings.HasPrefix(lp.Firmware, "3.") {
			lp.Family = FamilyUnknown
			lp.Reason = "firmware " + lp.Firmware + " is neither DrayOS 3/4 nor DrayOS 5"
		}
	default:
		lp.Family = FamilyUnknown
		lp.Reason = "the page at this address is not a DrayTek Vigor login page"
	}
	lp.TOTPField = findCodeField(body, p)
	return lp
}

var codeHintRE = regexp.MustCompile(`(?i)code|otp|totp|auth`)

// findCodeField discovers the TOTP input of the login form (drayos-web.md
// §3.1): a visible input that is neither the username nor the password
// field, preferring one whose name, id, label or placeholder mentions a code.
// When the form reveals none, an input named as the profile's totp_field
// anywhere on the page still counts.
func findCodeField(body string, p *Profile) string {
	forms := parseForms(body)
	var login *htmlForm
	for _, f := range forms {
		for _, fl := range f.Fields {
			if fl.Type == "password" {
				login = f
				break
			}
		}
		if login != nil {
			break
		}
	}
	if login != nil {
		var candidates []*formField
		passwordSeen := false
		for _, fl := range login.Fields {
			switch {
			case fl.Type == "password" && !passwordSeen:
				passwordSeen = true
			case fl.visible() && fl.Name != "" && !strings.EqualFold(fl.Name, p.TokenField):
				candidates = append(candidates, fl)
			}
		}
		for _, fl := range candidates {
			if codeHintRE.MatchString(fl.Name + " " + fl.ID + " " + fl.Label + " " + fl.Placeholder) {
				return fl.Name
			}
		}
		// The first visible text input is the username; a second one can
		// only be the code.
		if len(candidates) >= 2 {
			return candidates[1].Name
		}
	}
	if p.TOTPField != "" {
		for _, f := range forms {
			if fl := f.field(p.TOTPField); fl != nil && fl.Type != "hidden" {
				return fl.Name
			}
		}
	}
	return ""
}
