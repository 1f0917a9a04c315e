package routersim

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// formReader reads a posted form the way the simulated router's parser does:
// the first occurrence of a field counts; a check box is checked only when it
// carries the form's own value (drayos-web.md §4 [A]); every other field of
// the form must be present.
type formReader struct {
	f       url.Values
	checkOn string
	missing string
	invalid string
}

func (r *Router) newFormReader(f url.Values) *formReader {
	on := r.opts.Names.CheckboxValue
	if on == CheckboxNoValue {
		on = "on"
	}
	return &formReader{f: f, checkOn: on}
}

// text returns a required field without surrounding spaces, noting the
// first one missing.
func (fr *formReader) text(name string) string {
	return strings.TrimSpace(fr.raw(name))
}

// raw returns a required field exactly as posted (for passwords), noting
// the first one missing.
func (fr *formReader) raw(name string) string {
	v, ok := fr.f[name]
	if !ok || len(v) == 0 {
		if fr.missing == "" {
			fr.missing = name
		}
		return ""
	}
	return v[0]
}

// checked reads a check box.
func (fr *formReader) checked(name string) bool {
	v := fr.f[name]
	return len(v) > 0 && v[0] == fr.checkOn
}

// number reads a required integer field within [lo, hi].
func (fr *formReader) number(name string, lo, hi int) int {
	s := fr.text(name)
	n, err := strconv.Atoi(s)
	if (err != nil || n < lo || n > hi) && fr.invalid == "" && fr.missing == "" {
		fr.invalid = name
	}
	return n
}

// fail reports whether the form was incomplete or wrong, answering 400.
func (r *Router) formFailed(c *call, fr *formReader) bool {
	switch {
	case fr.missing != "":
		r.renderStatus(c, http.StatusBadRequest, "message", pageData{Title: "Invalid form",
			Message: "Invalid form: the field " + fr.missing + " is missing."})
	case fr.invalid != "":
		r.renderStatus(c, http.StatusBadRequest, "message", pageData{Title: "Invalid form",
			Message: "Invalid value in the field " + fr.invalid + "."})
	default:
		return false
	}
	return true
}

// saveFailed answers a save whose configuration could not be written.
func (r *Router) saveFailed(c *call) {
	r.renderStatus(c, http.StatusInternalServerError, "message", pageData{Title: "Save failed",
		Message: "The configuration could not be saved to flash."})
}

// saveAdmin is chglog.cgi: the administrator password and TOTP enrolment.
// A refused password change answers the page again with its message and
// changes nothing, TOTP included; other outcomes answer 302 to the page.
func (r *Router) saveAdmin(c *call, token string) {
	back := navURL(token, "2029")
	f := c.req.PostForm
	if c.req.Method != http.MethodPost || f.Get("webchange") != "1" {
		redirect(c, back)
		return
	}
	n := r.opts.Names.Admin
	fr := r.newFormReader(f)
	// Passwords are taken as typed: no spaces are trimmed.
	oldPw, newPw, confirm := fr.raw(n.OldPassword), fr.raw(n.NewPassword), fr.raw(n.ConfirmPassword)
	var method, secret, code string
	if r.totpOK {
		method, secret, code = fr.text(n.TOTPMethod), fr.text(n.TOTPSecret), fr.text(n.TOTPCode)
	}
	if r.formFailed(c, fr) {
		return
	}
	r.mu.Lock()
	s := r.session
	st := r.running
	var msgs []string
	if newPw != "" || confirm != "" {
		if why := r.passwordChangeProblem(st.AdminPassword, oldPw, newPw, confirm); why != "" {
			d := r.pageDataLocked(s, "Administrator Password")
			fillAdminLocked(r, c, s, &d)
			d.Flash = "Password not changed: " + why + "."
			r.mu.Unlock()
			r.render(c, "chglog", d)
			return
		}
		r.changePasswordLocked(&st, s, newPw)
		msgs = append(msgs, "Password changed.")
	}
	if r.totpOK {
		msgs = append(msgs, r.totpSaveLocked(s, &st, f, method, secret, code)...)
	}
	err := r.applyAndCommitLocked(st)
	s.flash = strings.Join(msgs, " ")
	r.mu.Unlock()
	if err != nil {
		r.saveFailed(c)
		return
	}
	redirect(c, back)
}

// totpSaveLocked handles the TOTP part of the Administrator Password form:
// Verify checks the code against the secret shown; OK enables TOTP with that
// secret once a code was verified (with Verify or in the same post), or
// disables it.
func (r *Router) totpSaveLocked(s *session, st *State, f url.Values, method, secret, code string) []string {
	n := r.opts.Names.Admin
	shown := r.displayedSecretLocked(s)
	if !strings.EqualFold(strings.ReplaceAll(secret, " ", ""), shown) {
		return []string{"The secret has changed; read the page again."}
	}
	clock := r.clockLocked()
	if _, ok := f[n.Verify]; ok {
		if _, good := matchTOTP(shown, code, clock); good {
			s.verifiedSecret = shown
			return []string{"Validation code verified."}
		}
		return []string{"Invalid validation code."}
	}
	enable := r.newFormReader(f).checked(n.TOTPEnable)
	switch {
	case enable && !st.TOTP.Enabled:
		if method != "TOTP" {
			return []string{"Invalid authentication method."}
		}
		_, good := matchTOTP(shown, code, clock)
		if !good && s.verifiedSecret != shown {
			return []string{"TOTP not enabled: verify a validation code first."}
		}
		st.TOTP = TOTPState{Enabled: true, Secret: shown}
		s.pendingSecret, s.verifiedSecret = "", ""
		return []string{"TOTP is enabled for logins from WAN."}
	case !enable && st.TOTP.Enabled:
		st.TOTP.Enabled = false
		return []string{"TOTP is disabled."}
	}
	return nil
}

// saveTime is time.cgi, the Time and Date page's save.
func (r *Router) saveTime(c *call, token string) {
	back := navURL(token, "6")
	f := c.req.PostForm
	if c.req.Method != http.MethodPost || f.Get("webchange") != "1" {
		redirect(c, back)
		return
	}
	fr := r.newFormReader(f)
	server := fr.text("sTimeServer")
	zone := fr.number("iTimeZone", 0, 32)
	if len(server) > 64 && fr.invalid == "" {
		fr.invalid = "sTimeServer"
	}
	if r.formFailed(c, fr) {
		return
	}
	r.mu.Lock()
	st := r.running
	st.Time = TimeSettings{Server: server, ZoneIndex: zone}
	err := r.applyAndCommitLocked(st)
	r.mu.Unlock()
	if err != nil {
		r.saveFailed(c)
		return
	}
	redirect(c, back)
}

// saveReboot is reboot.cgi: sReboot=Current restarts with the saved
// configuration, sReboot=Default with the factory one (drayos-web.md §6).
func (r *Router) saveReboot(c *call) {
	if c.req.Method != http.MethodPost {
		redirect(c, "/doc/rebootsys.sht")
		return
	}
	fr := r.newFormReader(c.req.PostForm)
	mode := fr.text("sReboot")
	if mode != "Current" && mode != "Default" && fr.invalid == "" {
		fr.invalid = "sReboot"
	}
	if r.formFailed(c, fr) {
		return
	}
	r.render(c, "restarting", pageData{Model: r.opts.Model})
	if fl, ok := c.w.(http.Flusher); ok {
		fl.Flush()
	}
	r.reboot(mode == "Default")
}
