package routersim

import (
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"time"
)

// cookieName is the session cookie (drayos-web.md §3.2).
const cookieName = "SESSION_ID_VIGOR"

// session is the one web session the router keeps.
type session struct {
	cookie   string
	token    string
	lastSeen time.Time
	wan      bool
	// pendingSecret is the new TOTP secret the Administrator Password page
	// shows while TOTP is off; verifiedSecret is the one whose code was
	// verified with the Verify button.
	pendingSecret  string
	verifiedSecret string
	// flash is a message for the next page this session reads.
	flash string
}

// protectedLocked reports whether brute-force protection covers the service
// the request arrived on.
func (r *Router) protectedLocked(c *call) bool {
	bf := r.running.Management.BruteForce
	return bf.Enabled && ((c.tls && bf.HTTPS) || (!c.tls && bf.HTTP))
}

// blockedLocked reports whether the caller's address is serving a penalty.
func (r *Router) blockedLocked(c *call) bool {
	f := r.failures[c.src.String()]
	return f != nil && r.protectedLocked(c) && r.clockLocked().Before(f.blockedUntil)
}

// recordFailureLocked counts a failed login and blocks the source when it
// reaches the limit.
func (r *Router) recordFailureLocked(c *call) {
	if !r.protectedLocked(c) {
		return
	}
	key := c.src.String()
	f := r.failures[key]
	if f == nil {
		f = &failureCount{}
		r.failures[key] = f
	}
	f.n++
	bf := r.running.Management.BruteForce
	if f.n >= max(bf.Failures, 1) {
		f.n = 0
		f.blockedUntil = r.clockLocked().Add(time.Duration(bf.PenaltySeconds) * time.Second)
	}
}

// wanRefusedLocked reports whether management is closed to this caller: a WAN
// caller while management from the Internet is off or no access list entry
// allows its address (drayos-web.md §3.6). The IPv6 WAN address follows the
// IPv6 switch and list (§4.1).
func (r *Router) wanRefusedLocked(c *call) bool {
	if !c.wan {
		return false
	}
	if c.v6 {
		m := r.running.Management.IPv6
		return !m.Internet || !m.ipv6AccessAllowed(c.src)
	}
	return !r.running.Management.Internet || !r.running.wanAccessAllowed(c.src)
}

// sessionLocked returns the caller's session when its cookie is the current
// one and it has not expired, and marks it used.
func (r *Router) sessionLocked(c *call) *session {
	s := r.session
	if s == nil {
		return nil
	}
	ck, err := c.req.Cookie(cookieName)
	if err != nil || subtle.ConstantTimeCompare([]byte(ck.Value), []byte(s.cookie)) != 1 {
		return nil
	}
	now := r.clockLocked()
	if !r.running.Management.AutoLogoutOff && now.Sub(s.lastSeen) >= r.opts.IdleTimeout {
		r.session = nil
		return nil
	}
	if r.wanRefusedLocked(c) {
		return nil
	}
	s.lastSeen = now
	return s
}

// cgiSessionLocked is sessionLocked plus the token rule: every CGI request
// carries the session's sFormAuthStr, in the query for GET and in the body for
// POST (drayos-web.md §3.3); the first occurrence counts (§4). The form must
// be parsed already.
func (r *Router) cgiSessionLocked(c *call) *session {
	s := r.sessionLocked(c)
	if s == nil {
		return nil
	}
	var token string
	if c.req.Method == http.MethodPost {
		token = c.req.PostForm.Get("sFormAuthStr")
	} else {
		token = c.req.URL.Query().Get("sFormAuthStr")
	}
	if subtle.ConstantTimeCompare([]byte(token), []byte(s.token)) != 1 {
		return nil
	}
	return s
}

// validToken reports whether a login token has the documented form: 15
// characters of [A-Za-z0-9] (drayos-web.md §3.1).
func validToken(t string) bool {
	if len(t) != 15 {
		return false
	}
	for _, ch := range t {
		if !(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9') {
			return false
		}
	}
	return true
}

// serveLogin is wlogin.cgi. Every reason a login fails (credentials, the
// source, the Validation Code, the TOTP code) answers the same way.
func (r *Router) serveLogin(c *call) {
	if c.req.Method != http.MethodPost {
		toLogin(c)
		return
	}
	f := c.req.PostForm
	token := f.Get("sFormAuthStr")
	r.mu.Lock()
	ok, step := r.loginAcceptedLocked(c, f)
	if !validToken(token) {
		ok = false
	} else if !ok {
		r.recordFailureLocked(c)
	}
	if !ok {
		r.mu.Unlock()
		toLogin(c)
		return
	}
	if step >= 0 {
		r.lastTOTPStep = step
		r.wanCodeLogins++
	}
	delete(r.failures, c.src.String())
	s := &session{cookie: randomAlnum(24), token: token, lastSeen: r.clockLocked(), wan: c.wan}
	r.session = s // one session at a time: a new login ends the previous one
	r.mu.Unlock()
	http.SetCookie(c.w, &http.Cookie{Name: cookieName, Value: s.cookie, Path: "/", HttpOnly: true})
	redirect(c, "/")
}

// loginAcceptedLocked checks a login form; step is the TOTP time step the
// login used, or -1. Every attempt uses up the Validation Code.
func (r *Router) loginAcceptedLocked(c *call, f url.Values) (ok bool, step int64) {
	st := r.running
	user, uerr := base64.StdEncoding.DecodeString(f.Get("aa"))
	pass, perr := base64.StdEncoding.DecodeString(f.Get("ab"))
	validOK := r.validCodeMatchesLocked(f.Get(r.opts.Names.ValidCodeField))
	ok = uerr == nil && perr == nil && validOK &&
		subtle.ConstantTimeCompare(user, []byte(st.AdminUser)) == 1 &&
		subtle.ConstantTimeCompare(pass, []byte(st.AdminPassword)) == 1 &&
		!r.wanRefusedLocked(c)
	if ok && r.refusePass != "" && r.refusePass == st.AdminPassword {
		// The fault of RefuseNewPasswordOnce: this first login with the new
		// password fails.
		r.refusePass = ""
		return false, -1
	}
	step = -1
	if ok && c.wan && st.TOTP.Enabled {
		var good bool
		step, good = matchTOTP(st.TOTP.Secret, f.Get(r.opts.Names.TOTPField), r.clockLocked())
		// A code that already served a login is refused (RFC 6238 §5.2).
		ok = good && step > r.lastTOTPStep
	}
	return ok, step
}

// serveLogout is wlogout.cgi.
func (r *Router) serveLogout(c *call) {
	r.mu.Lock()
	if r.cgiSessionLocked(c) != nil {
		r.session = nil
	}
	r.mu.Unlock()
	toLogin(c)
}
