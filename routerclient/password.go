package routerclient

import (
	"context"
	"crypto/rand"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// The administrator password (drayos-web.md §4 table, §5): changed through
// the console's `sys passwd <old> <new>` or the Administrator Password
// page's form, as the profile's password_path says. A password cannot be
// read back, so the caller proves the change by logging in with the new
// password (after Logout) before forgetting the old one.

// maxPasswordLength is the router's limit for the administrator password.
const maxPasswordLength = 83

// passwordAlphabet holds letters, digits and symbols that need no quoting
// in a console command and no escaping anywhere.
const (
	passwordLetters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	passwordDigits  = "0123456789"
	passwordSymbols = "-_.@+"
	passwordLength  = 24
)

// GeneratePassword returns a new administrator password: 24 characters
// from letters, digits and the symbols -_.@+ (about 145 bits), with at
// least one of each kind for routers that ask for variety, chosen with
// crypto/rand.
func GeneratePassword() (string, error) {
	alphabet := passwordLetters + passwordDigits + passwordSymbols
	for {
		pw, err := randomFrom(alphabet, passwordLength)
		if err != nil {
			return "", fmt.Errorf("making a password: %w", err)
		}
		if strings.ContainsAny(pw, strings.ToUpper(passwordLetters[:26])) && strings.ContainsAny(pw, passwordLetters[26:]) &&
			strings.ContainsAny(pw, passwordDigits) && strings.ContainsAny(pw, passwordSymbols) {
			return pw, nil
		}
	}
}

// randomFrom draws n characters uniformly from alphabet (at most 256).
func randomFrom(alphabet string, n int) (string, error) {
	limit := 256 - 256%len(alphabet) // reject above it: no modulo bias
	out := make([]byte, 0, n)
	buf := make([]byte, 2*n)
	for len(out) < n {
		if _, err := rand.Read(buf); err != nil {
			return "", err
		}
		for _, b := range buf {
			if int(b) < limit && len(out) < n {
				out = append(out, alphabet[int(b)%len(alphabet)])
			}
		}
	}
	return string(out), nil
}

// consoleSafe reports whether a password can travel in a console command
// without quoting.
func consoleSafe(pw string) bool {
	return pw != "" && !strings.ContainsFunc(pw, func(r rune) bool {
		return r <= ' ' || r == '"' || r == '\'' || r == '\\' || r == 0x7f || r > 0x7e
	})
}

// ChangePassword replaces the administrator password. The session stays
// logged in and later logins use the new password; call Logout and Login
// with the new password to prove it before forgetting the old one. A
// refusal wraps ErrPasswordRefused; no error carries either password.
func (s *Session) ChangePassword(ctx context.Context, oldPassword, newPassword string) error {
	if newPassword == "" || !utf8.ValidString(newPassword) || utf8.RuneCountInString(newPassword) > maxPasswordLength {
		return fmt.Errorf("%w: the new password must be 1 to %d characters of text", ErrPasswordRefused, maxPasswordLength)
	}
	s.c.capture.addSecrets(oldPassword, newPassword)
	var err error
	if s.c.profile.PasswordPath == pathConsole {
		err = s.changePasswordConsole(ctx, oldPassword, newPassword)
	} else {
		err = s.changePasswordForm(ctx, oldPassword, newPassword)
	}
	if err != nil {
		return fmt.Errorf("changing the administrator password: %w", err)
	}
	s.mu.Lock()
	s.creds.Password = newPassword // a transparent login from now on uses it
	s.mu.Unlock()
	return nil
}

// changePasswordConsole sends `sys passwd` and commits it.
func (s *Session) changePasswordConsole(ctx context.Context, oldPassword, newPassword string) error {
	if !consoleSafe(oldPassword) || !consoleSafe(newPassword) {
		return fmt.Errorf("%w: a password with spaces, quotes, backslashes or non-ASCII characters cannot go through the console; use the form (password_path \"form\")", ErrPasswordRefused)
	}
	cmd, err := s.c.profile.command("passwd", "{old}", oldPassword, "{new}", newPassword)
	if err != nil {
		return err
	}
	out, err := s.console(ctx, cmd)
	if err != nil {
		return err
	}
	if consoleRefused(out) || !s.c.profile.passwordOKRE.MatchString(out) {
		return fmt.Errorf("%w: the console did not accept it; check the old password", ErrPasswordRefused)
	}
	commit, err := s.c.profile.command("commit")
	if err != nil {
		return err
	}
	if out, err = s.console(ctx, commit); err != nil {
		return fmt.Errorf("saving the new password: %w", err)
	}
	if consoleRefused(out) {
		return fmt.Errorf("%w: the router did not save the configuration", ErrNotTaken)
	}
	return nil
}

// changePasswordForm posts the Administrator Password form with the old
// password and the new one twice. The router answers a change with a
// redirect back to the page; a page that comes back directly, or says the
// password was not changed, is a refusal.
func (s *Session) changePasswordForm(ctx context.Context, oldPassword, newPassword string) error {
	ap := s.c.profile.AdminPage
	u, body, err := s.openPage(ctx, ap.FID)
	if err != nil {
		return fmt.Errorf("reading the Administrator Password page: %w", err)
	}
	form := findForm(parseForms(body), ap.NewPasswordField)
	if form == nil {
		return fmt.Errorf("%w: the Administrator Password page has no field %q (check the profile's admin_page)", ErrUnexpectedResponse, ap.NewPasswordField)
	}
	for name, v := range map[string]string{ap.OldPasswordField: oldPassword, ap.NewPasswordField: newPassword, ap.ConfirmPasswordField: newPassword} {
		if err := form.setValue(name, v); err != nil {
			return err
		}
	}
	if form.Action == "" {
		form.Action = ap.Action
	}
	a, err := s.submit(ctx, u, form, nil, 0)
	if err != nil {
		return err
	}
	redirected := a.redirect()
	for hops := 0; a.redirect() && hops < 3; hops++ {
		if a, err = s.exchange(ctx, request{method: "GET", path: a.location.String()}); err != nil {
			return fmt.Errorf("reading the page after saving: %w", err)
		}
	}
	return s.c.profile.passwordOutcome(htmlText(a.body), redirected)
}

// passwordOutcome judges the page after a change.
func (p *Profile) passwordOutcome(text string, redirected bool) error {
	switch {
	case p.passwordRefusedRE.MatchString(text):
		return fmt.Errorf("%w: the router says the password was not changed; check the old password", ErrPasswordRefused)
	case !redirected && !p.passwordOKRE.MatchString(text):
		return fmt.Errorf("%w: the router showed the form again", ErrPasswordRefused)
	}
	return nil
}

// compilePasswordPatterns compiles the admin_page patterns.
func (p *Profile) compilePasswordPatterns() error {
	var err error
	if p.passwordRefusedRE, err = regexp.Compile(p.AdminPage.PasswordRefusedPattern); err != nil || p.AdminPage.PasswordRefusedPattern == "" {
		return fmt.Errorf("admin_page.password_refused_pattern must be a regular expression that is not empty")
	}
	if p.passwordOKRE, err = regexp.Compile(p.AdminPage.PasswordChangedPattern); err != nil || p.AdminPage.PasswordChangedPattern == "" {
		return fmt.Errorf("admin_page.password_changed_pattern must be a regular expression that is not empty")
	}
	if p.PasswordPath != pathForm && p.PasswordPath != pathConsole {
		return fmt.Errorf("password_path %q: want %q or %q", p.PasswordPath, pathForm, pathConsole)
	}
	return nil
}
