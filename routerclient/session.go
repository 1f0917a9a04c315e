package routerclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
)

// Session is a logged-in web session. It logs in again once when a read
// meets an expired session, never repeats a write, and logs out on Close.
// Its methods must not be called concurrently: the router keeps one web
// session at a time anyway.
type Session struct {
	c     *Client
	creds Credentials
	codes CodeSource

	mu       sync.Mutex
	cookie   string
	token    string
	model    string
	firmware string
	totp     bool // the login carried a code

	// formCache is the Management form just read by ApplyManagement, so
	// that the write does not read it a second time.
	formCache *managementPage
	// objects is what the session read of the IP objects, objectPage the
	// IP Object page last read, and refs the object each network entry of
	// the last read access list came from.
	objects    *objectTable
	objectPage *objectPage
	refs       map[string]int
}

// Client returns the client the session belongs to.
func (s *Session) Client() *Client { return s.c }

// Model returns the model the login page showed, such as "Vigor2927", or
// after Identify or Status the one the router reported; "" when unknown.
func (s *Session) Model() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.model
}

// Firmware returns the firmware version the login page showed (or, after
// Identify, the one the router reported), suffix included.
func (s *Session) Firmware() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.firmware
}

// UsedTOTP reports whether the login carried a TOTP code.
func (s *Session) UsedTOTP() bool { return s.totp }

// Close logs out; it is Logout, for deferred calls.
func (s *Session) Close(ctx context.Context) error { return s.Logout(ctx) }

// Logout ends the web session (drayos-web.md §3.5). The session cannot be
// used afterwards; log in again with Client.Login, for instance with a new
// password after ChangePassword.
func (s *Session) Logout(ctx context.Context) error {
	s.mu.Lock()
	token, cookie := s.token, s.cookie
	s.token, s.cookie = "", ""
	s.mu.Unlock()
	if token == "" {
		return nil
	}
	_, err := s.c.do(ctx, request{method: http.MethodGet, path: s.c.profile.LogoutPath,
		query: [][2]string{{s.c.profile.TokenField, token}}, cookie: cookie})
	if err != nil {
		return fmt.Errorf("logging out: %w", err)
	}
	return nil
}

// exchange sends one authenticated request and turns an answer that shows
// the session is gone into ErrSessionExpired.
func (s *Session) exchange(ctx context.Context, r request) (*answer, error) {
	s.mu.Lock()
	r.cookie = s.cookie
	token := s.token
	s.mu.Unlock()
	if token == "" {
		return nil, ErrSessionExpired
	}
	if strings.Contains(strings.ToLower(r.path), "/cgi-bin/") {
		// The session's token replaces any copy the page carried (a
		// hidden sFormAuthStr may be stale): the router's parser takes the
		// first occurrence of a field, so a field is never sent twice.
		tok := [][2]string{{s.c.profile.TokenField, token}}
		if r.method == http.MethodGet {
			r.query = append(r.query, tok...)
		} else {
			r.form = mergeQuery(r.form, tok)
		}
	}
	a, err := s.c.do(ctx, r)
	if err != nil {
		return nil, err
	}
	if s.c.isBlocked(a) {
		return nil, ErrBlocked
	}
	if s.expired(a) {
		return nil, ErrSessionExpired
	}
	return a, nil
}

// expired recognises the three ways DrayOS shows a lost session: a redirect
// to the login page, the login page itself, or a tiny page whose script
// sends the browser there (drayos-web.md §4).
func (s *Session) expired(a *answer) bool {
	p := s.c.profile
	if a.redirect() {
		return samePath(a.location, p.LoginPage)
	}
	if a.status != http.StatusOK {
		return false
	}
	if parseLoginPage(a.body, nil, p).IsLogin {
		return true
	}
	lower := strings.ToLower(a.body)
	login := strings.ToLower(strings.TrimPrefix(p.LoginPage, "/"))
	return len(a.body) < 2048 && strings.Contains(lower, "<script") && strings.Contains(lower, login) &&
		!strings.Contains(lower, "<form") && strings.TrimSpace(htmlText(a.body)) == ""
}

// read runs a read-only operation, logging in again once if the router
// ended the session.
func (s *Session) read(ctx context.Context, op func() error) error {
	err := op()
	if !errors.Is(err, ErrSessionExpired) || s.creds.Username == "" {
		return err
	}
	if err := s.login(ctx); err != nil {
		return fmt.Errorf("logging in again after the session expired: %w", err)
	}
	return op()
}

// openPage navigates to a page by fid: v2x00.cgi answers a redirect to the
// /doc/ page, which is fetched with the cookie only (drayos-web.md §4).
func (s *Session) openPage(ctx context.Context, fid int) (*url.URL, string, error) {
	a, err := s.exchange(ctx, request{method: http.MethodGet, path: s.c.profile.NavPath,
		query: [][2]string{{"fid", strconv.Itoa(fid)}}})
	if err != nil {
		return nil, "", err
	}
	for hops := 0; a.redirect(); hops++ {
		if hops >= 3 {
			return nil, "", fmt.Errorf("%w: too many redirects opening page %d", ErrUnexpectedResponse, fid)
		}
		if a, err = s.exchange(ctx, request{method: http.MethodGet, path: a.location.String()}); err != nil {
			return nil, "", err
		}
	}
	if a.status != http.StatusOK {
		return nil, "", fmt.Errorf("%w: page %d answered HTTP %d", ErrUnexpectedResponse, fid, a.status)
	}
	return a.url, a.body, nil
}
