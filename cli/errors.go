package cli

import (
	"errors"
	"fmt"

	"github.com/gatekey/gatekey/app"
)

// Commands return errors; exit turns them into one message on stderr and
// an exit status, in one place (as age's errorf and errorWithHint do).

// exitError is an error with the exit status it calls for and a hint
// printed on a second line.
type exitError struct {
	code int
	err  error
	hint string
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// failed is an operation that failed or found nothing (exit 1).
func failed(msg string) error { return &exitError{code: ExitFailed, err: errors.New(msg)} }

// usageError is bad usage or bad input (exit 2).
func usageError(msg string) error { return &exitError{code: ExitUsage, err: errors.New(msg)} }

// asUsage keeps err's message and makes it a usage error.
func asUsage(err error) error { return &exitError{code: ExitUsage, err: err} }

// withHint adds a second line to err, keeping its exit status.
func withHint(err error, hint string) error {
	var e *exitError
	if errors.As(err, &e) {
		return &exitError{code: e.code, err: e.err, hint: hint}
	}
	return &exitError{code: exitCodeOf(err), err: err, hint: hint}
}

// quietExit is an exit status whose messages were printed already, such
// as an audit that found warnings.
type quietExit int

func (q quietExit) Error() string { return fmt.Sprintf("exit status %d", int(q)) }

// errHelp is returned by parse when the user asked for help, which has been
// printed already.
var errHelp = errors.New("help requested")

// exit prints err as the command line's rules say and returns the status.
func (inv *invocation) exit(err error) int {
	var q quietExit
	var e *exitError
	switch {
	case err == nil, errors.Is(err, errHelp):
		return ExitOK
	case errors.As(err, &q):
		return int(q)
	case errors.As(err, &e):
		hint := e.hint
		if hint == "" {
			hint = hints[app.Classify(e.err)]
		}
		inv.say(e.err.Error(), hint)
		return e.code
	}
	inv.say(err.Error(), hints[app.Classify(err)])
	return exitCodeOf(err)
}

// exitCodeOf is 2 for bad input and 1 for everything else.
func exitCodeOf(err error) int {
	if app.Classify(err) == app.ProblemBadInput {
		return ExitUsage
	}
	return ExitFailed
}

// hints say what to do about each kind of problem, on the command line.
var hints = map[app.Problem]string{
	app.ProblemNoVault:            "add an account with 'gatekey add' or create one with 'gatekey vault init'",
	app.ProblemPasswordRequired:   "pass --password-file FILE, or run on a terminal to be asked",
	app.ProblemDamaged:            "the file was left untouched; the previous version is vault.json.bak beside it",
	app.ProblemCertificateChanged: "if you replaced the certificate yourself, remove and add the router again; otherwise someone may be intercepting the connection",
	app.ProblemInterlock:          "add --accept-risk to make the change anyway",
	app.ProblemLoginRefused:       "Gatekey never retries a failed login: repeated failures may lock this address out",
	app.ProblemTOTPNotLinked:      "link the vault account that holds the router's TOTP secret: gatekey router add NAME URL ... --totp QUERY",
	app.ProblemTimeout:            "the router did not answer in time; check the address and that it is up",
	app.ProblemBackupFailed:       "add --no-backup to change the router without saving its configuration first",
}
