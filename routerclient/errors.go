package routerclient

import (
	"errors"
	"fmt"
)

// Sentinel errors callers branch on with errors.Is. Typed errors below carry
// details and match these sentinels.
var (
	// ErrBadCredentials means the router refused the username or password.
	// A router whose management policy refuses this source answers the same
	// way (drayos-web.md §3.6), so the message says so.
	ErrBadCredentials = errors.New("login failed: wrong username or password, or management from this network is not allowed")
	// ErrCodeRejected means a login that carried a TOTP code failed. The
	// router answers a wrong code exactly like a wrong password.
	ErrCodeRejected = errors.New("login failed: the password or the authenticator code was rejected; check the router's clock")
	// ErrBlocked means brute-force protection blocks this source address.
	ErrBlocked = errors.New("blocked by the router's brute-force protection: wait for the penalty time to end")
	// ErrRefused means the router's management policy closed or redirected
	// the connection for this service.
	ErrRefused = errors.New("login refused: check that management from this network is allowed")
	// ErrNotSupported means the device is not a DrayOS 4 router.
	ErrNotSupported = errors.New("not a supported router")
	// ErrUnreachable means no connection could be made to the router.
	ErrUnreachable = errors.New("router unreachable")
	// ErrCertificateChanged means the router's key differs from the pinned one.
	ErrCertificateChanged = errors.New("the router's certificate changed")
	// ErrNotPinned means the router presented a certificate but no
	// fingerprint was pinned yet; the caller shows it and asks the person.
	ErrNotPinned = errors.New("the router's certificate is not pinned yet")
	// ErrPlainHTTP means an http:// URL was used without the caller allowing it.
	ErrPlainHTTP = errors.New("plain HTTP would send the router password unencrypted; use https or allow HTTP explicitly")
	// ErrSessionExpired means the router ended the web session.
	ErrSessionExpired = errors.New("the router ended the session")
	// ErrValidationCode means the login page shows a validation code
	// (CAPTCHA) and no typed characters were given; no login was sent.
	ErrValidationCode = errors.New("the router's login page asks for a validation code (CAPTCHA): turn off Validation Code on the router's Management page so that Gatekey can sign in; brute-force protection plus TOTP replace it")
	// ErrCodeRequired means the login page asks for a code but no code source was given.
	ErrCodeRequired = errors.New("the router asks for an authenticator code but none is linked")
	// ErrInterlock means a change was refused by a safety rule of security.md.
	ErrInterlock = errors.New("change refused by a safety rule")
	// ErrTOTPNotLinked means harden was asked to allow management from the
	// Internet but no TOTP account is linked to the router.
	ErrTOTPNotLinked = errors.New("management from the Internet needs a TOTP account linked to the router first: enrol TOTP on the router's Administrator Password page, then link the account")
	// ErrPasswordRefused means the router did not take a new administrator
	// password; the old one still works.
	ErrPasswordRefused = errors.New("the router refused the new password")
	// ErrBackup means the router gave no configuration file.
	ErrBackup = errors.New("configuration backup failed")
	// ErrPlanStale means the router's settings changed between a harden
	// plan and its application; nothing was written.
	ErrPlanStale = errors.New("the router's settings changed since the plan was made: plan again")
	// ErrUnexpectedResponse means the router answered something this client
	// does not understand.
	ErrUnexpectedResponse = errors.New("unexpected answer from the router")
	// ErrConsole means the web console refused or does not offer a command.
	ErrConsole = errors.New("web console command failed")
	// ErrNotTaken means a write was acknowledged but reading back shows
	// fields that kept their old values.
	ErrNotTaken = errors.New("some settings did not take")
	// ErrBadSetting means a KEY=VALUE setting could not be parsed.
	ErrBadSetting = errors.New("bad setting")
	// ErrBadAdvice means a firmware advice file is malformed; the message
	// names the file.
	ErrBadAdvice = errors.New("bad firmware advice file")
	// ErrBadProfile means a router profile file is malformed.
	ErrBadProfile = errors.New("bad router profile")
)

// CertificateChangedError reports a key that differs from the pinned one.
// Both fingerprints are public values and safe to show.
type CertificateChangedError struct {
	Pinned    string // the fingerprint the caller trusts
	Presented string // the fingerprint the router presented
}

func (e *CertificateChangedError) Error() string {
	return fmt.Sprintf("the router's certificate changed: pinned %s, presented %s; accept the new fingerprint only if you changed the certificate", e.Pinned, e.Presented)
}

// Is makes errors.Is(err, ErrCertificateChanged) true.
func (e *CertificateChangedError) Is(target error) bool { return target == ErrCertificateChanged }

// NotPinnedError carries the fingerprint of a router seen for the first time.
type NotPinnedError struct {
	Presented string
}

func (e *NotPinnedError) Error() string {
	return fmt.Sprintf("the router's certificate is not pinned yet: its fingerprint is %s; compare it with the router's and accept it", e.Presented)
}

// Is makes errors.Is(err, ErrNotPinned) true.
func (e *NotPinnedError) Is(target error) bool { return target == ErrNotPinned }

// UnsupportedError reports a device of another family, with the reason.
type UnsupportedError struct {
	Family Family
	Reason string
}

func (e *UnsupportedError) Error() string { return "not a supported router: " + e.Reason }

// Is makes errors.Is(err, ErrNotSupported) true.
func (e *UnsupportedError) Is(target error) bool { return target == ErrNotSupported }

// LoginRejectedError reports a login the router refused. CodeSent tells
// whether a TOTP code went with it; ClockOffset is the router's clock minus
// the local clock from the answer's Date header, when known, because a wrong
// router clock is the usual reason a correct code is refused.
type LoginRejectedError struct {
	CodeSent bool
	// ValidationSent tells that typed validation-code characters went
	// with the login: a mistyped picture is refused like a wrong password.
	ValidationSent bool
	ClockOffset    *Offset
}

func (e *LoginRejectedError) Error() string {
	if !e.CodeSent {
		msg := ErrBadCredentials.Error()
		if e.ValidationSent {
			msg += ", or the validation code was mistyped"
		}
		return msg + "; repeated failures may lock this address out"
	}
	msg := ErrCodeRejected.Error()
	if e.ClockOffset != nil {
		msg += fmt.Sprintf(" (router clock differs by %s)", e.ClockOffset)
	}
	return msg + "; repeated failures may lock this address out"
}

// Is matches ErrCodeRejected when a code was sent, else ErrBadCredentials.
// With a code the router does not say whether it disliked the password or
// the code; the code (or the router's clock) is the likelier culprit.
func (e *LoginRejectedError) Is(target error) bool {
	if e.CodeSent {
		return target == ErrCodeRejected
	}
	return target == ErrBadCredentials
}

// InterlockError names the settings a safety rule refused to change.
type InterlockError struct {
	Keys   []string
	Reason string
}

func (e *InterlockError) Error() string {
	return fmt.Sprintf("change refused by a safety rule (%v): %s", e.Keys, e.Reason)
}

// Is makes errors.Is(err, ErrInterlock) true.
func (e *InterlockError) Is(target error) bool { return target == ErrInterlock }
