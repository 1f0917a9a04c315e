// Package routersim imitates a DrayTek Vigor router's web administration
// (DrayOS 4) on loopback, as docs/drayos-web.md describes it: the login page
// and wlogin.cgi with its cookie and token rules, the Validation Code
// (CAPTCHA), one session at a time, idle expiry, brute-force blocking, the
// WAN-side rules of remote management over IPv4 and IPv6, IP objects and the
// access list built on them, the v2x00.cgi navigation and its pages as real
// HTML forms, the configuration backup, the web console (fid=310), the
// administrator password, reboot, TOTP enrolment and WAN logins with a code.
// It is written from that document alone, not from the client, so that
// routerclient and routersim check each other.
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
//     The first occurrence of a field counts, the token included. A form's
//     hidden sFormAuthStr is never the session's token (a page rendered
//     before its script ran): the client must put its own in its place.
//   - Management saves answer 302 to /doc/acontrol.sht; Administrator
//     Password, Time and IP Object saves answer 302 through v2x00.cgi?fid=N.
//     A refused password change answers 200 with the page and its message.
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
//     that no access list entry allows) pages load but logins fail and
//     existing WAN sessions are treated as expired. The IPv6 WAN listeners
//     apply the IPv6 switches and list the same way; Enforce HTTPS is an IPv4
//     setting and never redirects them.
//   - Console commands beyond drayos-web.md §5: `sys reboot`, `mngt
//     httpport|httpsport|telnetport|ftpport|sshport|tr069port [N]`, `mngt
//     accesslist flush`, and `mngt bfp` with `-e on|off`, `-s
//     http,https,telnet,ssh,ftp,tr069|none`, `-l N`, `-p SECONDS`, `-v`.
package routersim

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
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
	// WANHTTP6 and WANHTTPS6 are the IPv6 WAN listeners, such as
	// "http://[::1]:40123".
	WANHTTP6, WANHTTPS6 string
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
	loginAttempts int // POSTs to wlogin.cgi, whatever their outcome
	validCode     string
	rebooting     bool
	rebootPending bool
	rebootTimer   *time.Timer
	closed        bool
	latency       time.Duration
	clockOffset   time.Duration
	dropConns     int
	failRequests  int
	backupFault   BackupFault
	refuseArmed   bool   // the next password change arms refusePass
	refusePass    string // a new password whose next login is refused once
	total         int
	byPath        map[string]int
	repeated      []RepeatedFields
	conns         map[net.Conn]struct{}

	stopWatch context.CancelFunc
	wg        sync.WaitGroup
}

// failureCount is one source's failed logins and the end of its penalty.
type failureCount struct {
	n            int
	blockedUntil time.Time
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
// running configuration, which is then checked like a form save (objects,
// groups, access lists; see State) and written to flash. A configuration a
// form would refuse changes nothing and returns the reason.
func (r *Router) Update(fn func(*State)) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	st := r.running
	fn(&st)
	if err := st.normalize(); err != nil {
		return fmt.Errorf("updating the router configuration: %w", err)
	}
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

// Reboot restarts the router as `sys reboot` does: every session ends, every
// listener is unreachable for RebootDelay, then the router serves the
// committed configuration.
func (r *Router) Reboot() { r.reboot(false) }

// reboot starts a reboot; factory also resets the configuration (to the
// factory one alone: the start-up settings of the options are not applied).
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
	r.validCode = ""
	if factory {
		r.committed = factoryStateFor(r.opts)
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
