package routersim

import (
	"slices"
	"time"
)

// The methods in this file are test and demo hooks: they set up the router,
// inject faults and report what clients did, where a real router offers no
// such view.

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

// ResetRequests sets the request counters, the login attempts and the
// record of repeated fields to zero.
func (r *Router) ResetRequests() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.total = 0
	r.byPath = map[string]int{}
	r.loginAttempts = 0
	r.repeated = nil
}

// LoginAttempts counts the POSTs to wlogin.cgi since start or the last
// ResetRequests, whatever their outcome (blocked sources included), so that a
// test can tell that a client made no login attempt at all.
func (r *Router) LoginAttempts() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.loginAttempts
}

// RepeatedFields is one request that carried a field more than once.
type RepeatedFields struct {
	// Method and Path are the request's.
	Method, Path string
	// Fields are the names sent more than once, in the body or in the query,
	// sorted.
	Fields []string
}

// Repeated returns the requests since start or the last ResetRequests that
// carried a field more than once (the router's parser takes the first
// occurrence, drayos-web.md §4), so that a test can tell that a client sent
// every field once: the result is then empty.
func (r *Router) Repeated() []RepeatedFields {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]RepeatedFields, len(r.repeated))
	for i, rf := range r.repeated {
		out[i] = RepeatedFields{rf.Method, rf.Path, slices.Clone(rf.Fields)}
	}
	return out
}

// ValidationCodeChars returns the characters the Validation Code picture shows
// now, making a new code when there is none. It is a test and demo hook: a
// real router offers no way to read them, and a client must never use it.
// The code changes with every load of the login page and every login
// attempt.
func (r *Router) ValidationCodeChars() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.currentValidCodeLocked()
}

// SetBackupFault makes the Configuration Backup fail from now on as f says;
// BackupOK ends the fault.
func (r *Router) SetBackupFault(f BackupFault) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.backupFault = f
}

// RefuseNewPasswordOnce arms a fault for lockout-safety tests: the next
// administrator password change (form or console) is accepted and takes
// effect, but the first login with the new password afterwards fails like a
// wrong password (and counts towards brute-force protection); later ones
// succeed.
func (r *Router) RefuseNewPasswordOnce() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.refuseArmed = true
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
