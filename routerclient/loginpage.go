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

// ModelUnknown is how a router whose login page shows no model is named
// until a login reads it (drayos-web.md §1).
const ModelUnknown = "model unknown"

// loginPage is what the login page tells before any login.
type loginPage struct {
	Family    Family
	Model     string // "" when the page does not show it
	Firmware  string // as shown, suffix included ("4.4.2_BT")
	Reason    string // why the family is not supported
	TOTPField string // the code field, "" when the page does not ask for one
	IsLogin   bool   // the page is a Vigor login page
	// Captcha is the validation code (drayos-web.md §3.2), nil when the
	// page shows none.
	Captcha *captcha
}

// captcha is the login page's validation code: the input that takes the
// characters and the picture that shows them.
type captcha struct {
	Field string // the input's name
	Image string // the picture's src as written on the page, "" when none
}

var (
	// The version may carry a suffix such as "_BT" [C]; it stays part of
	// the version shown and is ignored when comparing.
	fwverRE     = regexp.MustCompile(`(?i)fwver["']?\s*[:=]\s*["']?\s*v?([0-9]+(?:\.[0-9]+)+(?:[_-][A-Za-z0-9]+)*)`)
	modelTextRE = regexp.MustCompile(`(?i)>\s*(Vigor)\s*([0-9]{3,4}[A-Za-z0-9]*)\s*<`)
	linuxJSRE   = regexp.MustCompile(`(?i)\b(rsa|md5)\.js\b`)
)

// parseLoginPage reads the family, model, firmware, code field and
// validation code from the page served at /weblogin.htm (drayos-web.md §1,
// §3.1, §3.2).
func parseLoginPage(body string, header http.Header, p *Profile) loginPage {
	var lp loginPage
	title := pageTitle(body)
	lp.IsLogin = p.LoginTitle != "" && strings.Contains(strings.ToLower(title), strings.ToLower(p.LoginTitle))
	if m := fwverRE.FindStringSubmatch(body); m != nil {
		lp.Firmware = m[1]
	}
	lp.Model = modelOnPage(body)
	lp.Family, lp.Reason = detectFamily(body, header, lp)
	forms := parseForms(body)
	lp.Captcha = findCaptcha(forms, body, p)
	lp.TOTPField = findCodeField(forms, p)
	return lp
}

// modelOnPage finds a model written as element text, such as ">Vigor 3910<".
func modelOnPage(body string) string {
	if m := modelTextRE.FindStringSubmatch(body); m != nil {
		return "Vigor" + m[2]
	}
	return ""
}

// detectFamily tells DrayOS 4 from DrayOS 5, the Linux family and other
// devices (drayos-web.md §1).
func detectFamily(body string, header http.Header, lp loginPage) (Family, string) {
	server := ""
	if header != nil {
		server = header.Get("Server")
	}
	switch {
	case strings.Contains(strings.ToUpper(server), "DWS") || linuxJSRE.MatchString(body):
		return FamilyLinux, "this is a Linux-family Vigor (such as the 2960, 3900 or 300B), whose web interface Gatekey does not speak"
	case strings.HasPrefix(lp.Firmware, "5.") || strings.Contains(strings.ToLower(body), "webproc.cgi"):
		return FamilyDrayOS5, "this router runs DrayOS 5, which Gatekey does not support yet"
	case lp.Firmware != "" && !strings.HasPrefix(lp.Firmware, "4.") && !strings.HasPrefix(lp.Firmware, "3."):
		return FamilyUnknown, "firmware " + lp.Firmware + " is neither DrayOS 3/4 nor DrayOS 5"
	case lp.IsLogin || lp.Model != "" || lp.Firmware != "":
		return FamilyDrayOS4, ""
	}
	return FamilyUnknown, "the page at this address is not a DrayTek Vigor login page"
}

// findCaptcha recognises the validation code: an input whose name, id,
// label or placeholder, or a picture whose src, id or alt text matches the
// profile's captcha_pattern. A picture without a recognisable input takes
// the profile's captcha_field.
func findCaptcha(forms []*htmlForm, body string, p *Profile) *captcha {
	var c *captcha
	for _, f := range forms {
		for _, fl := range f.Fields {
			if c == nil && fl.Name != "" && fl.visible() && p.isCaptcha(fl) {
				c = &captcha{Field: fl.Name}
			}
		}
	}
	for _, img := range images(body) {
		if p.captchaRE.MatchString(img.attrs["src"] + " " + img.attrs["id"] + " " + img.attrs["alt"]) {
			if c == nil {
				c = &captcha{Field: p.CaptchaField}
			}
			c.Image = img.attrs["src"]
			break
		}
	}
	return c
}

// isCaptcha reports whether a field is the validation-code input.
func (p *Profile) isCaptcha(fl *formField) bool {
	return p.captchaRE.MatchString(fl.Name + " " + fl.ID + " " + fl.Label + " " + fl.Placeholder)
}

// isPersonInput reports whether a field is one of the login page's
// person-facing inputs (sUserName, sSysPass, btnOk [C]), which the page's
// script copies into aa and ab: never the code field, whatever labels
// stand near them.
func (p *Profile) isPersonInput(fl *formField) bool {
	for _, n := range p.LoginPageInputs {
		if strings.EqualFold(fl.Name, n) || (fl.Name == "" && strings.EqualFold(fl.ID, n)) {
			return true
		}
	}
	return false
}

var codeHintRE = regexp.MustCompile(`(?i)code|otp|totp|auth`)

// findCodeField discovers the TOTP input of the login form (drayos-web.md
// §3.1): a visible input that is neither the username nor the password
// field, preferring one whose name, id, label or placeholder mentions a code.
// The person-facing inputs, the token and the validation code never count.
// When the form reveals none, an input named as the profile's totp_field
// anywhere on the page still counts.
func findCodeField(forms []*htmlForm, p *Profile) string {
	if login := loginForm(forms); login != nil {
		if name := codeFieldIn(login, p); name != "" {
			return name
		}
	}
	if p.TOTPField == "" {
		return ""
	}
	for _, f := range forms {
		if fl := f.field(p.TOTPField); fl != nil && fl.Type != "hidden" && !p.isCaptcha(fl) {
			return fl.Name
		}
	}
	return ""
}

// loginForm is the first form with a password input.
func loginForm(forms []*htmlForm) *htmlForm {
	for _, f := range forms {
		for _, fl := range f.Fields {
			if fl.Type == "password" {
				return f
			}
		}
	}
	return nil
}

// codeFieldIn picks the code field among the login form's visible inputs.
func codeFieldIn(login *htmlForm, p *Profile) string {
	var candidates []*formField
	passwordSeen, userKnown := false, false
	for _, fl := range login.Fields {
		switch {
		case !fl.visible() || fl.Name == "" || strings.EqualFold(fl.Name, p.TokenField) || p.isCaptcha(fl):
		case p.isPersonInput(fl):
			userKnown = userKnown || fl.Type != "password"
		case fl.Type == "password" && !passwordSeen:
			passwordSeen = true
		default:
			candidates = append(candidates, fl)
		}
	}
	for _, fl := range candidates {
		if codeHintRE.MatchString(fl.Name + " " + fl.ID + " " + fl.Label + " " + fl.Placeholder) {
			return fl.Name
		}
	}
	// Without a known username input, the first visible text input is the
	// username and a second one can only be the code.
	switch {
	case userKnown && len(candidates) >= 1:
		return candidates[0].Name
	case len(candidates) >= 2:
		return candidates[1].Name
	}
	return ""
}
