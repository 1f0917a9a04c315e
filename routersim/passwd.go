package routersim

import (
	"crypto/subtle"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxPasswordLength is the longest administrator password the router takes,
// in characters (`sys passwd`, DrayTek's CLI reference).
const maxPasswordLength = 83

// passwordProblem says why the router refuses a new password, or "" when it
// takes it: empty, longer than 83 characters, not UTF-8, or holding a control
// character or one of Options.PasswordRefusedChars.
func (r *Router) passwordProblem(pw string) string {
	switch {
	case pw == "":
		return "the new password is empty"
	case !utf8.ValidString(pw):
		return "the new password is not valid text"
	case utf8.RuneCountInString(pw) > maxPasswordLength:
		return fmt.Sprintf("the new password is longer than %d characters", maxPasswordLength)
	}
	for _, ch := range pw {
		if unicode.IsControl(ch) || strings.ContainsRune(r.opts.PasswordRefusedChars, ch) {
			return "the new password contains a character the router does not accept"
		}
	}
	return ""
}

// passwordChangeProblem checks a change from the Administrator Password
// form or the console; confirm is the form's second copy (the console passes
// the new password again).
func (r *Router) passwordChangeProblem(current, old, newPw, confirm string) string {
	switch {
	case subtle.ConstantTimeCompare([]byte(old), []byte(current)) != 1:
		return "the old password is invalid"
	case newPw != confirm:
		return "the new passwords differ"
	}
	return r.passwordProblem(newPw)
}

// changePasswordLocked sets the new password in st. It takes effect for the
// next login at once. [A] The session that made the change stays and every
// other one ends; with one web session at a time the changing one is the
// only one, so in practice nothing ends. The fault of RefuseNewPasswordOnce,
// when armed, picks this password.
func (r *Router) changePasswordLocked(st *State, keep *session, newPw string) {
	st.AdminPassword = newPw
	if r.refuseArmed {
		r.refuseArmed = false
		r.refusePass = newPw
	}
	if r.session != keep {
		r.session = nil
	}
}

// sysPasswdLocked is `sys passwd <old> <new>`: the change lives in the
// running configuration until `sys commit`, like every console change.
func (r *Router) sysPasswdLocked(args []string, s *session) string {
	if len(args) != 2 {
		return "% Invalid parameter. Usage: sys passwd <old password> <new password>"
	}
	if msg := r.passwordChangeProblem(r.running.AdminPassword, args[0], args[1], args[1]); msg != "" {
		return "% Invalid password: " + msg + "."
	}
	r.changePasswordLocked(&r.running, s, args[1])
	return replyOK
}
