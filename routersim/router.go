// Package routersim imitates a DrayTek Vigor router's web administration
// (DrayOS 4) on loopback, as docs/drayos-web.md describes it: the login page
// and wlogin.cgi with its cookie and token rules, one session at a time, idle
// expiry, brute-force blocking, the WAN-side rules of remote management, the
// v2x00.cgi navigation and its pages as real HTML forms, the web console
// (fid=310), reboot, TOTP enrolment and WAN logins with a code. It is written
// from that document alone, not from the client, so that routerclient and
// routersim check each other.
//
// Start runs a router in-process on the listen addresses of Options; the
// methods of *Router set up state, inject faults and count requests for
// tests. RunCommandLine is the `gatekey router-sim` command.
//
// Where the document leaves details open, the simulator behaves as follows
// (and a client must not rely on more):
//   - A form save must carry webchange=1 and every non-checkbox field of the
//     form; otherwise it changes nothing (missing webchange: 302 back to the
//     page; missing field: 400 with a page naming the field and "Invalid").
//     The first occurrence of a field counts.
//   - Management saves answer 302 to /doc/acontrol.sht; Administrator
//     Password and Time saves answer 302 through v2x00.cgi?fid=N.
//   - Form saves apply at once and are written to flash (the whole running
//     configuration, console changes included); console changes stay in
//     memory until `sys commit`. A change of the effective ports answers with
//     the Reboot System page. The listeners stay on the Options addresses:
//     port settings are stored and shown, never rebound.
//   - A blocked source gets 403 with a page containing "blocked" for every
//     request on a service that brute-force protection covers.
//   - On the WAN side, with management from the Internet on, a service that is
//     off closes the connection, and with Enforce HTTPS a WAN HTTP request is
//     redirected to the WAN HTTPS listener. With management off (or a source
//     outside the access list) pages load but logins fail and existing WAN
//     sessions are treated as expired.
//   - Console commands beyond drayos-web.md §5: `sys reboot`, `mngt
//     httpport|httpsport|telnetport|ftpport|sshport|tr069port [N]`, and
//     `mngt bfp` with `-e on|off`, `-s http,https,telnet,ssh,ftp,tr069|none`,
//     `-l N`, `-p SECONDS`, `-v`.
package routersim

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"sync"
	"time"
)

// URLs are the base URLs a router serves; an empty field is a listener that
// is off.
type URLs struct {
	LANHTTP, LANHTTPS, WANHTTP, WANHTTPS string
}

// Router is a running simulated router.
type Router struct {
	opts     Options
	stateDir string
	ownDir   bool
	cert     tls.Certificate
	leaf     *x509.Certificate
	totpOK   bool
	urls     URLs
	servers  []*http.Server
	wanHTTPS string // host:port of the WAN HTTPS listener, for Enforce HTTPS

	mu            sync.Mutex
	running       State
	committed     State
	session       *session
	failures      map[string]*failureCount
	lastTOTPStep  int64
	wanCodeLogins int // successful WAN logins that carried a valid code
	rebooting     bool
	rebootPending bool
	rebootTimer   *time.Timer
	closed        bool
	latency       time.Duration
	clockOffset   time.Duration
	dropConns     int
	failRequests  int
	total         int
	byPath        map[string]int
	conns         map[net.Conn]struct{}

	stopWatch context.CancelFunc
	wg        sync.WaitGroup
}

// failureCount is one source's failed logins and the end of its penalty.
type failureCount struct {
	n            int
	blockedUntil time.Time
}

// Start starts a router on the listen addresses of opts and returns once they
// accept connections. The router closes when ctx ends or Close is called.
func Start(ctx context.Context, opts Options) (*Router, error) {
	opts = opts.withDefaults()
	switch opts.Family {
	case FamilyDrayOS4, FamilyDrayOS5, FamilyLinux:
	default:
		return nil, fmt.Errorf("starting the router simulator: unknown family %q (want drayos4, drayos5 or linux)", opts.Family)
	}
	if opts.LANHTTP == "" && opts.LANHTTPS == "" && opts.WANHTTP == "" && opts.WANHTTPS == "" {
		return nil, errors.New("starting the router simulator: no listen address given")
	}
	r := &Router{
		opts: opts, stateDir: opts.StateDir, failures: map[string]*failureCount{},
		byPath: map[string]int{}, conns: map[net.Conn]struct{}{},
		latency: opts.Latency, clockOffset: opts.ClockOffset, lastTOTPStep: -1,
	}
	r.totpOK = totpDocumented(opts.Model, opts.Firmware)
	if opts.TOTPSupported != nil {
		r.totpOK = *opts.TOTPSupported
	}
	if err := r.openState(); err != nil {
		return nil, err
	}
	if err := r.listen(); err != nil {
		r.Close()
		return nil, err
	}
	wctx, cancel := context.WithCancel(ctx)
	r.stopWatch = cancel
	go func() {
		<-wctx.Done()
		if ctx.Err() != nil {
			r.Close()
		}
	}()
	return r, nil
}

// openState loads the saved configuration and certificate, or makes the
// factory ones.
func (r *Router) openState() error {
	if r.stateDir == "" {
		dir, err := os.MkdirTemp("", "routersim-")
		if err != nil {
			return fmt.Errorf("creating the router state folder: %w", err)
		}
		r.stateDir, r.ownDir = dir, true
	} else if err := os.MkdirAll(r.stateDir, 0o700); err != nil {
		return fmt.Errorf("creating the router state folder: %w", err)
	}
	st, ok, err := loadState(r.stateDir)
	if err != nil {
		return err
	}
	if !ok {
		bf := DefaultBruteForce()
		if r.opts.BruteForce != nil {
			bf = *r.opts.BruteForce
		}
		st = factoryState(r.opts.AdminUser, r.opts.AdminPassword, bf)
		if err := saveState(r.stateDir, st); err != nil {
			return err
		}
	}
	r.running, r.committed = st, st
	cert, err := loadOrCreateCert(r.stateDir, r.opts.Now())
	if err != nil {
		return err
	}
	leaf, err := x509.ParseCertificate(cert.Certificate[0])
	if err != nil {
		return fmt.Errorf("loading the router certificate: %w", err)
	}
	r.cert, r.leaf = cert, leaf
	return nil
}

// listen opens the four listeners (those with an address) and serves them.
func (r *Router) listen() error {
	type spec struct {
		addr string
		wan  bool
		tls  bool
		url  *string
	}
	specs := []spec{
		{r.opts.LANHTTP, false, false, &r.urls.LANHTTP},
		{r.opts.LANHTTPS, false, true, &r.urls.LANHTTPS},
		{r.opts.WANHTTP, true, false, &r.urls.WANHTTP},
		{r.opts.WANHTTPS, true, true, &r.urls.WANHTTPS},
	}
	// WAN HTTPS first, so that the Enforce HTTPS redirect knows its port.
	specs[2], specs[3] = specs[3], specs[2]
	for _, s := range specs {
		if s.addr == "" {
			continue
		}
		ln, err := net.Listen("tcp", s.addr)
		if err != nil {
			return fmt.Errorf("starting the router simulator on %s: %w", s.addr, err)
		}
		sl := &simListener{Listener: ln, r: r, wan: s.wan, tls: s.tls}
		var l net.Listener = sl
		scheme := "http"
		if s.tls {
			scheme = "https"
			l = tls.NewListener(sl, &tls.Config{Certificates: []tls.Certificate{r.cert}})
		}
		host := ln.Addr().(*net.TCPAddr)
		shown := host.String()
		if host.IP.IsUnspecified() {
			shown = net.JoinHostPort("127.0.0.1", fmt.Sprint(host.Port))
		}
		*s.url = scheme + "://" + shown
		if s.wan && s.tls {
			r.wanHTTPS = shown
		}
		srv := &http.Server{
			Handler:           r.handler(s.wan, s.tls),
			ReadHeaderTimeout: 10 * time.Second,
			ErrorLog:          log.New(io.Discard, "", 0),
		}
		r.servers = append(r.servers, srv)
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			srv.Serve(l)
		}()
	}
	return nil
}

// URLs returns the base URLs the router serves.
func (r *Router) URLs() URLs { return r.urls }

// StateDir is the folder that keeps the router's configuration and
// certificate.
func (r *Router) StateDir() string { return r.stateDir }

// Certificate is the router's self-signed certificate.
func (r *Router) Certificate() *x509.Certificate { return r.leaf }

// Fingerprint is the SHA-256 of the certificate's SubjectPublicKeyInfo as 64
// lower-case hex digits (the pin of drayos-web.md §2).
func (r *Router) Fingerprint() string { return spkiFingerprint(r.leaf) }

// TOTPSupported reports whether the Administrator Password page offers TOTP.
func (r *Router) TOTPSupported() bool { return r.totpOK }

// Close stops the listeners, ends every connection and removes the state
// folder when the router made it. It is safe to call more than once.
func (r *Router) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	if r.rebootTimer != nil {
		r.rebootTimer.Stop()
	}
	r.mu.Unlock()
	if r.stopWatch != nil {
		r.stopWatch()
	}
	var errs []error
	for _, s := range r.servers {
		errs = append(errs, s.Close())
	}
	r.wg.Wait()
	if r.ownDir {
		errs = append(errs, os.RemoveAll(r.stateDir))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("closing the router simulator: %w", err)
	}
	return nil
}

// Snapshot returns the running configuration.
func (r *Router) Snapshot() State {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.running
}

// Committed returns the configuration kept in flash, which a reboot restores.
func (r *Router) Committed() State {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.committed
}

// Update changes the configuration as a form save would: fn changes the
// running configuration, which is then written to flash.
func (r *Router) Update(fn func(*State)) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	st := r.running
	fn(&st)
	return r.applyAndCommitLocked(st)
}

// applyAndCommitLocked makes st the running and the committed configuration.
func (r *Router) applyAndCommitLocked(st State) error {
	r.running = st
	r.committed = st
	return saveState(r.stateDir, st)
}

// EnrollTOTP enables TOTP for WAN logins with a new random secret, as if a
// person had enrolled on the Administrator Password page, and returns the
// Base32 secret.
func (r *Router) EnrollTOTP() (string, error) {
	if !r.totpOK {
		return "", fmt.Errorf("enrolling TOTP: %s %s offers no TOTP", r.opts.Model, r.opts.Firmware)
	}
	secret, err := newTOTPSecret()
	if err != nil {
		return "", err
	}
	err = r.Update(func(s *State) { s.TOTP = TOTPState{Enabled: true, Secret: secret} })
	return secret, err
}

// SetClockOffset sets the router clock's offset from the real one.
func (r *Router) SetClockOffset(d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.clockOffset = d
}

// Clock returns the router's current time.
func (r *Router) Clock() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.clockLocked()
}

func (r *Router) clockLocked() time.Time { return r.opts.Now().Add(r.clockOffset) }

// SetLatency delays every later request by d.
func (r *Router) SetLatency(d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.latency = d
}

// DropConnections closes the next n accepted connections at once.
func (r *Router) DropConnections(n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.dropConns = n
}

// FailRequests answers the next n requests with 500 without acting on them.
func (r *Router) FailRequests(n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failRequests = n
}

// Requests is the number of HTTP requests received since start or the last
// ResetRequests (dropped connections carry none).
func (r *Router) Requests() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.total
}

// RequestsByPath counts the requests per URL path as received.
func (r *Router) RequestsByPath() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	m := make(map[string]int, len(r.byPath))
	for k, v := range r.byPath {
		m[k] = v
	}
	return m
}

// ResetRequests sets the request counters to zero.
func (r *Router) ResetRequests() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.total = 0
	r.byPath = map[string]int{}
}

// LoggedIn reports whether a web session exists (expired or not).
func (r *Router) LoggedIn() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.session != nil
}

// WANLoginsWithCode counts the successful logins from the WAN side that
// carried a valid TOTP code, so that a test can tell that a client really
// logged in "from the Internet" with its second factor.
func (r *Router) WANLoginsWithCode() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.wanCodeLogins
}

// RebootPending reports whether a saved port change waits for a reboot.
func (r *Router) RebootPending() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.rebootPending
}

// Rebooting reports whether the router is rebooting (unreachable).
func (r *Router) Rebooting() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.rebooting
}

// Reboot restarts the router as `sys reboot` does: every session ends, both
// listeners are unreachable for RebootDelay, then the router serves the
// committed configuration.
func (r *Router) Reboot() { r.reboot(false) }

// reboot starts a reboot; factory also resets the configuration.
func (r *Router) reboot(factory bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed || r.rebooting {
		return
	}
	r.rebooting = true
	r.session = nil
	r.failures = map[string]*failureCount{}
	r.rebootPending = false
	if factory {
		bf := DefaultBruteForce()
		if r.opts.BruteForce != nil {
			bf = *r.opts.BruteForce
		}
		r.committed = factoryState(r.opts.AdminUser, r.opts.AdminPassword, bf)
		saveState(r.stateDir, r.committed)
	}
	r.running = r.committed
	// The reply that asked for the reboot is already written; give it a moment
	// to leave before every connection is cut.
	time.AfterFunc(50*time.Millisecond, r.closeConns)
	r.rebootTimer = time.AfterFunc(r.opts.RebootDelay, func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.rebooting = false
	})
}

// closeConns cuts every open connection.
func (r *Router) closeConns() {
	r.mu.Lock()
	conns := make([]net.Conn, 0, len(r.conns))
	for c := range r.conns {
		conns = append(conns, c)
		delete(r.conns, c)
	}
	r.mu.Unlock()
	for _, c := range conns {
		c.Close()
	}
}

// simListener drops connections while rebooting, when asked to, and for WAN
// services that remote management leaves off; it tracks the others so that a
// reboot can cut them.
type simListener struct {
	net.Listener
	r   *Router
	wan bool
	tls bool
}

// Accept returns the next connection the router takes.
func (l *simListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		r := l.r
		r.mu.Lock()
		drop := r.rebooting || (l.wan && r.wanServiceClosedLocked(l.tls))
		if !drop && r.dropConns > 0 {
			r.dropConns--
			drop = true
		}
		if !drop {
			r.conns[c] = struct{}{}
		}
		r.mu.Unlock()
		if drop {
			c.Close()
			continue
		}
		return &trackedConn{Conn: c, r: r}, nil
	}
}

// wanServiceClosedLocked reports whether the WAN listener for HTTPS (tls) or
// HTTP closes connections: management from the Internet is on but the service
// is off, and for HTTP no Enforce HTTPS redirect applies (drayos-web.md §3.6).
func (r *Router) wanServiceClosedLocked(tls bool) bool {
	m := r.running.Management
	if !m.Internet {
		return false
	}
	if tls {
		return !m.HTTPS
	}
	return !m.HTTP && !m.EnforceHTTPS
}

// trackedConn forgets itself when closed.
type trackedConn struct {
	net.Conn
	r    *Router
	once sync.Once
}

// Close closes the connection.
func (c *trackedConn) Close() error {
	c.once.Do(func() {
		c.r.mu.Lock()
		delete(c.r.conns, c.Conn)
		c.r.mu.Unlock()
	})
	return c.Conn.Close()
}

// randomAlnum returns n random characters of [A-Za-z0-9].
func randomAlnum(n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
