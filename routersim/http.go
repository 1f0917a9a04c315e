package routersim

import (
	"crypto/subtle"
	"encoding/base64"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"
)

// maxBody bounds every request body the router reads.
const maxBody = 64 << 10

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

// call is one request with what the router knows about where it came from.
type call struct {
	w   http.ResponseWriter
	req *http.Request
	wan bool
	tls bool
	src netip.Addr
}

// handler serves one listener.
func (r *Router) handler(wan, tlsOn bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		r.total++
		r.byPath[req.URL.Path]++
		latency := r.latency
		r.mu.Unlock()
		if latency > 0 {
			t := time.NewTimer(latency)
			select {
			case <-t.C:
			case <-req.Context().Done():
				t.Stop()
				return
			}
		}
		r.mu.Lock()
		abort := r.rebooting || (wan && r.wanServiceClosedLocked(tlsOn))
		fail := !abort && r.failRequests > 0
		if fail {
			r.failRequests--
		}
		now := r.clockLocked()
		r.mu.Unlock()
		if abort {
			// Closes the connection without an answer, as an unreachable
			// router or a closed WAN service does.
			panic(http.ErrAbortHandler)
		}
		// The client reads the router's clock from the Date header.
		w.Header().Set("Date", now.UTC().Format(http.TimeFormat))
		if fail {
			http.Error(w, "500 Internal Server Error", http.StatusInternalServerError)
			return
		}
		req.Body = http.MaxBytesReader(w, req.Body, maxBody)
		c := &call{w: w, req: req, wan: wan, tls: tlsOn, src: r.source(req)}
		if r.opts.Family != FamilyDrayOS4 {
			r.serveDetectionOnly(c)
			return
		}
		r.serveDrayOS4(c)
	})
}

// source is the caller's address: the TCP peer, or X-Sim-Source when the
// options trust it.
func (r *Router) source(req *http.Request) netip.Addr {
	if r.opts.TrustSourceHeader {
		if a, err := netip.ParseAddr(strings.TrimSpace(req.Header.Get(SourceHeader))); err == nil {
			return a.Unmap()
		}
	}
	host, _, err := net.SplitHostPort(req.RemoteAddr)
	if err != nil {
		host = req.RemoteAddr
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	return a.Unmap()
}

// serveDrayOS4 routes a request of the full DrayOS 4 imitation.
func (r *Router) serveDrayOS4(c *call) {
	r.mu.Lock()
	m := r.running.Management
	blocked := r.blockedLocked(c)
	r.mu.Unlock()
	if c.wan && !c.tls && m.Internet && m.EnforceHTTPS {
		r.redirectToHTTPS(c)
		return
	}
	if blocked {
		r.renderStatus(c, http.StatusForbidden, "blocked", pageData{
			Title: "Access blocked", Message: "Your address is blocked after too many failed logins. Try again later.",
		})
		return
	}
	path := strings.ToLower(c.req.URL.Path)
	switch {
	case path == "/":
		r.serveRoot(c)
	case path == "/weblogin.htm":
		r.serveLoginPage(c)
	case strings.HasPrefix(path, "/cgi-bin/"):
		r.serveCGI(c, strings.TrimPrefix(path, "/cgi-bin/"))
	case strings.HasPrefix(path, "/doc/"):
		r.serveDoc(c, strings.TrimPrefix(path, "/doc/"))
	default:
		http.NotFound(c.w, c.req)
	}
}

// redirectToHTTPS answers a WAN HTTP request under Enforce HTTPS with a
// redirect to the same path on the WAN HTTPS listener.
func (r *Router) redirectToHTTPS(c *call) {
	if r.wanHTTPS == "" {
		panic(http.ErrAbortHandler)
	}
	_, port, _ := net.SplitHostPort(r.wanHTTPS)
	host := c.req.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	http.Redirect(c.w, c.req, "https://"+host+":"+port+c.req.URL.RequestURI(), http.StatusFound)
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
// caller while management from the Internet is off or its address is not on
// the access list (drayos-web.md §3.6).
func (r *Router) wanRefusedLocked(c *call) bool {
	m := r.running.Management
	return c.wan && (!m.Internet || !m.accessAllowed(c.src))
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
// POST (drayos-web.md §3.3). The form must be parsed already.
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

// redirect answers 302 to loc.
func redirect(c *call, loc string) {
	c.w.Header().Set("Location", loc)
	c.w.WriteHeader(http.StatusFound)
}

// toLogin sends the caller to the login page.
func toLogin(c *call) { redirect(c, "/weblogin.htm") }

// serveRoot is "/": the main page for a logged-in caller, else the login page.
func (r *Router) serveRoot(c *call) {
	r.mu.Lock()
	s := r.sessionLocked(c)
	var d pageData
	if s != nil {
		d = r.pageDataLocked(s, "Dashboard")
	}
	r.mu.Unlock()
	if s == nil {
		toLogin(c)
		return
	}
	r.render(c, "dashboard", d)
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

// serveLogin is wlogin.cgi.
func (r *Router) serveLogin(c *call) {
	if c.req.Method != http.MethodPost {
		toLogin(c)
		return
	}
	if err := c.req.ParseForm(); err != nil {
		http.Error(c.w, "400 Bad Request", http.StatusBadRequest)
		return
	}
	f := c.req.PostForm
	token := f.Get("sFormAuthStr")
	user, uerr := base64.StdEncoding.DecodeString(f.Get("aa"))
	pass, perr := base64.StdEncoding.DecodeString(f.Get("ab"))
	code := f.Get(r.opts.Names.TOTPField)

	r.mu.Lock()
	st := r.running
	ok := uerr == nil && perr == nil &&
		subtle.ConstantTimeCompare(user, []byte(st.AdminUser)) == 1 &&
		subtle.ConstantTimeCompare(pass, []byte(st.AdminPassword)) == 1 &&
		!r.wanRefusedLocked(c)
	step := int64(-1)
	if ok && c.wan && st.TOTP.Enabled {
		var good bool
		step, good = matchTOTP(st.TOTP.Secret, code, r.clockLocked())
		// A code that already served a login is refused (RFC 6238 §5.2).
		ok = good && step > r.lastTOTPStep
	}
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

// serveLogout is wlogout.cgi.
func (r *Router) serveLogout(c *call) {
	r.mu.Lock()
	if r.cgiSessionLocked(c) != nil {
		r.session = nil
	}
	r.mu.Unlock()
	toLogin(c)
}

// serveCGI routes /cgi-bin/NAME (case-insensitive).
func (r *Router) serveCGI(c *call, name string) {
	if name == "wlogin.cgi" {
		r.serveLogin(c)
		return
	}
	if c.req.Method == http.MethodPost {
		if err := c.req.ParseForm(); err != nil {
			http.Error(c.w, "400 Bad Request: the form is too large or malformed", http.StatusBadRequest)
			return
		}
	}
	r.mu.Lock()
	s := r.cgiSessionLocked(c)
	var token string
	if s != nil {
		token = s.token
	}
	r.mu.Unlock()
	if s == nil {
		toLogin(c)
		return
	}
	switch name {
	case "wlogout.cgi":
		r.serveLogout(c)
	case "v2x00.cgi":
		r.serveV2x00(c, token)
	case "cgidashboard.cgi":
		redirect(c, "/doc/dashboard.htm")
	case "acontrol.cgi":
		r.saveManagement(c)
	case "chglog.cgi":
		r.saveAdmin(c, token)
	case "time.cgi":
		r.saveTime(c, token)
	case "reboot.cgi":
		r.saveReboot(c)
	default:
		http.NotFound(c.w, c.req)
	}
}

// pages maps a navigation fid to its /doc/ page (drayos-web.md §4).
var pages = map[string]string{
	"2015": "status.htm",
	"2029": "chglog.sht",
	"6":    "time.sht",
	"2041": "acontrol.sht",
	"2201": "rebootsys.sht",
	"2016": "cfgrest.htm",
	"310":  "console.htm",
}

// serveV2x00 is the navigation (GET) and the web console (POST, fid=310).
func (r *Router) serveV2x00(c *call, token string) {
	if c.req.Method == http.MethodPost {
		if c.req.PostForm.Get("fid") != "310" {
			http.Error(c.w, "400 Bad Request: unknown fid", http.StatusBadRequest)
			return
		}
		r.serveConsole(c)
		return
	}
	fid := strings.TrimSpace(c.req.URL.Query().Get("fid"))
	if fid == "1" {
		redirect(c, "/cgi-bin/cgidashboard.cgi?sFormAuthStr="+token)
		return
	}
	page, ok := pages[fid]
	if !ok {
		http.NotFound(c.w, c.req)
		return
	}
	redirect(c, "/doc/"+page)
}

// navURL is the navigation URL of a fid for a session's token.
func navURL(token, fid string) string {
	return "/cgi-bin/v2x00.cgi?sFormAuthStr=" + token + "&fid=" + fid
}
