package routerclient

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Credentials are a router administrator's username and password, and the
// characters of the login page's validation picture when the router shows
// one (see Client.ValidationPicture).
type Credentials struct {
	Username string
	Password string
	// ValidationCode is what the person read from the validation picture;
	// it serves one login attempt.
	ValidationCode string
}

// String never shows the password.
func (c Credentials) String() string { return "Credentials{" + c.Username + ", password redacted}" }

// CodeSource returns the TOTP code for the time at. The client calls it at
// the last moment, after choosing at so that the code stays valid long
// enough and was never sent to this router before; the caller computes the
// code from its vault for exactly that time.
type CodeSource func(ctx context.Context, at time.Time) (string, error)

// StepStore remembers the last TOTP time step sent to each router, because
// a router may refuse a code that already served a login (RFC 6238 §5.2).
type StepStore interface {
	LastStep(router string) (step int64, ok bool)
	SetLastStep(router string, step int64)
}

// NewMemoryStepStore returns a StepStore kept in memory, safe for concurrent use.
func NewMemoryStepStore() StepStore { return &memoryStepStore{m: map[string]int64{}} }

type memoryStepStore struct {
	mu sync.Mutex
	m  map[string]int64
}

func (s *memoryStepStore) LastStep(router string) (int64, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[router]
	return v, ok
}

func (s *memoryStepStore) SetLastStep(router string, step int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if step > s.m[router] {
		s.m[router] = step
	}
}

// Login signs in with the documented form (drayos-web.md §3) and returns a
// Session. codes may be nil for routers that do not ask for a code. A failed
// login is never retried: brute-force protection would lock the address out.
// A login page that shows a validation code (CAPTCHA) gets no login attempt
// without creds.ValidationCode: the error wraps ErrValidationCode.
func (c *Client) Login(ctx context.Context, creds Credentials, codes CodeSource) (*Session, error) {
	s := &Session{c: c, creds: creds, codes: codes}
	if err := s.login(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Session) login(ctx context.Context) error {
	c := s.c
	answer := s.takeValidationCode()
	lp, err := c.loginPageForLogin(ctx, answer != "")
	if err != nil {
		return fmt.Errorf("logging in: %w", err)
	}
	switch {
	case lp.Family != FamilyDrayOS4:
		return &UnsupportedError{Family: lp.Family, Reason: lp.Reason}
	case c.baseURL().Scheme == "http" && !c.allowHTTP:
		return ErrPlainHTTP
	case lp.Captcha != nil && answer == "":
		// A login without the picture's characters fails and counts
		// towards brute-force protection, so none is sent.
		return ErrValidationCode
	}
	token, err := newFormToken()
	if err != nil {
		return err
	}
	form, err := s.loginFields(ctx, lp, token, answer)
	if err != nil {
		return err
	}
	a, err := c.do(ctx, request{method: http.MethodPost, path: c.profile.LoginPath, form: encodePairs(form), cookie: c.preLoginCookie()})
	if err != nil {
		return fmt.Errorf("logging in: %w", err)
	}
	return s.loginAnswer(a, lp, token)
}

// takeValidationCode returns the typed validation code once: a picture's
// characters serve one login, so a later transparent login asks again.
func (s *Session) takeValidationCode() string {
	v := strings.TrimSpace(s.creds.ValidationCode)
	s.creds.ValidationCode = ""
	return v
}

// loginFields builds the wlogin.cgi form: aa, ab, the token, the code and
// the validation code when the page asks for them, and the fields browsers
// send empty.
func (s *Session) loginFields(ctx context.Context, lp loginPage, token, answer string) ([][2]string, error) {
	p := s.c.profile
	s.c.capture.addSecrets(s.creds.Username, s.creds.Password, token)
	form := [][2]string{
		{p.UserField, base64.StdEncoding.EncodeToString([]byte(s.creds.Username))},
		{p.PasswordField, base64.StdEncoding.EncodeToString([]byte(s.creds.Password))},
		{p.TokenField, token},
	}
	if lp.TOTPField != "" {
		if s.codes == nil {
			return nil, ErrCodeRequired
		}
		code, err := s.c.codeForLogin(ctx, s.codes)
		if err != nil {
			return nil, fmt.Errorf("getting the authenticator code: %w", err)
		}
		form = append(form, [2]string{lp.TOTPField, code})
	}
	if lp.Captcha != nil {
		form = append(form, [2]string{lp.Captcha.Field, answer})
	}
	for _, kv := range p.LoginExtraFields {
		if !strings.EqualFold(kv[0], lp.TOTPField) && (lp.Captcha == nil || !strings.EqualFold(kv[0], lp.Captcha.Field)) {
			form = append(form, kv)
		}
	}
	return form, nil
}

// loginAnswer reads wlogin.cgi's answer: a redirect elsewhere than the
// login page with a cookie is a session, a redirect to the login page or
// the page itself a refusal.
func (s *Session) loginAnswer(a *answer, lp loginPage, token string) error {
	c, p := s.c, s.c.profile
	codeSent := lp.TOTPField != ""
	switch {
	case c.isBlocked(a):
		return ErrBlocked
	case a.redirect() && !samePath(a.location, p.LoginPage):
		cookie := mergeCookies(c.preLoginCookie(), cookiesOf(a.header))
		if cookie == "" {
			return fmt.Errorf("%w: the login succeeded without a session cookie", ErrUnexpectedResponse)
		}
		s.mu.Lock()
		s.cookie, s.token = cookie, token
		if s.model == "" {
			s.model = lp.Model
		}
		if s.firmware == "" {
			s.firmware = lp.Firmware
		}
		s.totp = codeSent
		s.mu.Unlock()
		c.capture.addSecrets(cookieValues(cookie)...)
		return nil
	case a.redirect() || (a.status == http.StatusOK && parseLoginPage(a.body, a.header, p).IsLogin):
		e := &LoginRejectedError{CodeSent: codeSent, ValidationSent: lp.Captcha != nil}
		if off, ok := dateOffset(a.header, c.now()); ok {
			e.ClockOffset = &off
		}
		return e
	default:
		return fmt.Errorf("%w: login answered HTTP %d", ErrUnexpectedResponse, a.status)
	}
}

// codeForLogin picks the time for the code: never a step already sent to
// this router, and never one with fewer than totp_min_remaining_seconds
// left, so that the code is still valid when the router checks it.
func (c *Client) codeForLogin(ctx context.Context, codes CodeSource) (string, error) {
	p := c.profile
	period := int64(p.TOTPPeriod)
	key := c.baseURL().Host
	for range 3 {
		now := c.now()
		step := now.Unix() / period
		wait := time.Duration(0)
		if last, ok := c.steps.LastStep(key); ok && step <= last {
			wait = time.Unix((last+1)*period, 0).Sub(now)
		} else if left := time.Unix((step+1)*period, 0).Sub(now); left < time.Duration(p.TOTPMinRemainingSeconds)*time.Second {
			wait = left
		}
		if wait <= 0 {
			code, err := codes(ctx, now)
			if err != nil {
				return "", err
			}
			c.steps.SetLastStep(key, step)
			code = strings.TrimSpace(code)
			c.capture.addSecrets(code)
			return code, nil
		}
		if err := c.sleep(ctx, wait+10*time.Millisecond); err != nil {
			return "", err
		}
	}
	return "", fmt.Errorf("the clock did not reach the next TOTP period")
}

// newFormToken makes the sFormAuthStr value. DrayOS expects the client to
// choose it at login: 15 characters from [A-Za-z0-9], as browsers and
// several public clients do (drayos-web.md §3).
func newFormToken() (string, error) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	out := make([]byte, 0, 15)
	buf := make([]byte, 32)
	for len(out) < 15 {
		if _, err := rand.Read(buf); err != nil {
			return "", fmt.Errorf("making the session token: %w", err)
		}
		for _, b := range buf {
			if int(b) < 248 && len(out) < 15 { // 248 = 4*62: no modulo bias
				out = append(out, alphabet[int(b)%62])
			}
		}
	}
	return string(out), nil
}

// mergeCookies joins Cookie header values; a later cookie of the same name
// replaces an earlier one.
func mergeCookies(values ...string) string {
	var names []string
	byName := map[string]string{}
	for _, v := range values {
		for _, part := range strings.Split(v, ";") {
			name, _, ok := strings.Cut(strings.TrimSpace(part), "=")
			if !ok || name == "" {
				continue
			}
			if _, seen := byName[name]; !seen {
				names = append(names, name)
			}
			byName[name] = strings.TrimSpace(part)
		}
	}
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = byName[n]
	}
	return strings.Join(parts, "; ")
}

// cookiesOf returns the Cookie header value for every cookie an answer sets.
func cookiesOf(h http.Header) string {
	var parts []string
	for _, ck := range (&http.Response{Header: h}).Cookies() {
		if ck.Value != "" {
			parts = append(parts, ck.Name+"="+ck.Value)
		}
	}
	return strings.Join(parts, "; ")
}

func cookieValues(cookie string) []string {
	var out []string
	for _, part := range strings.Split(cookie, ";") {
		if _, v, ok := strings.Cut(strings.TrimSpace(part), "="); ok && v != "" {
			out = append(out, v)
		}
	}
	return out
}
