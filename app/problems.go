package app

import (
	"context"
	"errors"

	"github.com/gatekey/gatekey/otp"
	"github.com/gatekey/gatekey/qrscan"
	"github.com/gatekey/gatekey/routerclient"
	"github.com/gatekey/gatekey/transfer"
	"github.com/gatekey/gatekey/vault"
)

// ErrBadInput marks an error about what the person gave: a malformed
// address, file, URI or choice. The command line exits 2 on it.
var ErrBadInput = errors.New("bad input")

type inputError struct{ msg string }

func (e inputError) Error() string        { return e.msg }
func (e inputError) Is(target error) bool { return target == ErrBadInput }

// badInput is an ErrBadInput with a sentence of its own.
func badInput(msg string) error { return inputError{msg} }

// Problem is the kind of an error, as both faces decide what to tell the
// person and, on the command line, which exit status to use. The error's
// own text stays the message; the kind picks the advice.
type Problem int

// The kinds of problems, from the most general.
const (
	ProblemOther Problem = iota
	// ProblemBadInput: a malformed argument, file, URI or setting.
	ProblemBadInput
	// ProblemNoVault: no vault exists yet.
	ProblemNoVault
	// ProblemPasswordRequired: the vault's key is not in the keychain and no
	// password was given.
	ProblemPasswordRequired
	// ProblemWrongPassword: the password did not open the vault or file.
	ProblemWrongPassword
	// ProblemNoKeychain: no OS keychain answered.
	ProblemNoKeychain
	// ProblemDamaged: a vault that does not parse; it was left untouched.
	ProblemDamaged
	// ProblemPlainExport: a plain export was given where a vault was
	// expected.
	ProblemPlainExport
	// ProblemCertificateChanged: the router presents another certificate
	// than the pinned one.
	ProblemCertificateChanged
	// ProblemInterlock: a safety rule refused a router change.
	ProblemInterlock
	// ProblemLoginRefused: wrong credentials, a rejected code, or a blocked
	// address; never retried.
	ProblemLoginRefused
	// ProblemTOTPNotLinked: the change needs a TOTP account linked first.
	ProblemTOTPNotLinked
	// ProblemTimeout: the router did not answer in time.
	ProblemTimeout
	// ProblemNoCode: the image, screen or clipboard held no QR code or no
	// account.
	ProblemNoCode
	// ProblemUnsupportedSource: this platform cannot read that source.
	ProblemUnsupportedSource
	// ProblemLocked: the vault is locked or not open.
	ProblemLocked
	// ProblemValidationCode: the router's login page shows a validation
	// code (CAPTCHA) and no one typed it.
	ProblemValidationCode
	// ProblemBackupFailed: the backup before a change failed; nothing
	// changed.
	ProblemBackupFailed
)

// Classify tells what kind of problem err is.
func Classify(err error) Problem {
	for _, c := range problemClasses {
		for _, target := range c.targets {
			if errors.Is(err, target) {
				return c.problem
			}
		}
	}
	var changed *routerclient.CertificateChangedError
	if errors.As(err, &changed) {
		return ProblemCertificateChanged
	}
	return ProblemOther
}

// problemClasses is checked in order: the first sentinel err wraps decides.
var problemClasses = []struct {
	problem Problem
	targets []error
}{
	// A hostile file's key-derivation cost is bad input before anything else
	// it might also be (a wrong password, a damaged file).
	{ProblemBadInput, []error{vault.ErrTooCostly}},
	{ProblemNoVault, []error{ErrNoVault}},
	{ProblemLocked, []error{ErrNotOpen, vault.ErrLocked}},
	{ProblemPasswordRequired, []error{vault.ErrPasswordRequired, transfer.ErrPasswordRequired}},
	{ProblemWrongPassword, []error{vault.ErrWrongPassword, transfer.ErrWrongPassword}},
	{ProblemNoKeychain, []error{vault.ErrNoKeychain, vault.ErrNotInKeychain}},
	{ProblemDamaged, []error{vault.ErrCorrupt, vault.ErrUnsupportedVersion}},
	{ProblemPlainExport, []error{vault.ErrNotEncrypted}},
	{ProblemCertificateChanged, []error{routerclient.ErrCertificateChanged}},
	{ProblemValidationCode, []error{routerclient.ErrValidationCode}},
	{ProblemBackupFailed, []error{ErrBackupFailed}},
	{ProblemInterlock, []error{routerclient.ErrInterlock}},
	{ProblemTOTPNotLinked, []error{routerclient.ErrTOTPNotLinked, ErrCodeNeeded}},
	{ProblemLoginRefused, []error{routerclient.ErrBadCredentials, routerclient.ErrCodeRejected, routerclient.ErrBlocked}},
	{ProblemTimeout, []error{context.DeadlineExceeded}},
	{ProblemNoCode, []error{qrscan.ErrNoCode, ErrNoAccounts}},
	{ProblemUnsupportedSource, []error{qrscan.ErrUnsupportedSource, qrscan.ErrNoImage}},
	{ProblemBadInput, []error{ErrBadInput, routerclient.ErrBadSetting, routerclient.ErrBadProfile, routerclient.ErrPlainHTTP,
		otp.ErrInvalidAccount, vault.ErrInvalidAccount, otp.ErrInvalidSecret, otp.ErrUnsupported, otp.ErrInvalidURI,
		transfer.ErrUnknownFormat, transfer.ErrTooLarge, transfer.ErrMalformed, transfer.ErrUnsupported, transfer.ErrPlainNotConfirmed}},
}
