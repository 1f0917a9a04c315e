package routersim

import (
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"
)

// maxBody bounds every request body the router reads.
const maxBody = 64 << 10

// call is one request with what the router knows about where it came from.
type call struct {
	w   http.ResponseWriter
	req *http.Request
	wan bool
	tls bool
	v6  bool // arrived on the IPv6 WAN address
	src netip.Addr
}

// handler serves one listener.
func (r *Router) handler(s listenerSpec) http.Handler {
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
		abort := r.rebooting || (s.wan && r.wanServiceClosedLocked(s.tls, s.v6))
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
		c := &call{w: w, req: req, wan: s.wan, tls: s.tls, v6: s.v6, src: r.source(req)}
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
	path := strings.ToLower(c.req.URL.Path)
	if !r.readForm(c, path) {
		return
	}
	r.mu.Lock()
	m := r.running.Management
	blocked := r.blockedLocked(c)
	r.mu.Unlock()
	if c.wan && !c.v6 && !c.tls && m.Internet && m.EnforceHTTPS {
		r.redirectToHTTPS(c)
		return
	}
	if blocked {
		r.renderStatus(c, http.StatusForbidden, "blocked", pageData{
			Title: "Access blocked", Message: "Your address is blocked after too many failed logins. Try again later.",
		})
		return
	}
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

// readForm parses the body of a POST to a CGI (form-encoded or multipart),
// counts login attempts and records fields sent more than once. It answers
// 400 and returns false for a body it cannot read.
func (r *Router) readForm(c *call, path string) bool {
	post := c.req.Method == http.MethodPost
	if post && strings.HasPrefix(path, "/cgi-bin/") {
		var err error
		if mt, _, _ := mime.ParseMediaType(c.req.Header.Get("Content-Type")); mt == "multipart/form-data" {
			err = c.req.ParseMultipartForm(maxBody)
			if c.req.MultipartForm != nil {
				defer c.req.MultipartForm.RemoveAll()
			}
		} else {
			err = c.req.ParseForm()
		}
		if err != nil {
			http.Error(c.w, "400 Bad Request: the form is too large or malformed", http.StatusBadRequest)
			return false
		}
	}
	fields := repeatedNames(c.req.PostForm, c.req.URL.Query())
	r.mu.Lock()
	defer r.mu.Unlock()
	if post && path == "/cgi-bin/wlogin.cgi" {
		r.loginAttempts++
	}
	if len(fields) > 0 {
		r.repeated = append(r.repeated, RepeatedFields{Method: c.req.Method, Path: c.req.URL.Path, Fields: fields})
	}
	return true
}

// repeatedNames lists, sorted and once each, the names that occur more than
// once in any of the value sets.
func repeatedNames(sets ...url.Values) []string {
	var names []string
	for _, set := range sets {
		for k, v := range set {
			if len(v) > 1 && !slices.Contains(names, k) {
				names = append(names, k)
			}
		}
	}
	slices.Sort(names)
	return names
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
