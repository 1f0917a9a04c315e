package app

import (
	"context"
	"errors"
	"path/filepath"
	"sync"

	"github.com/gatekey/gatekey/otp"
	"github.com/gatekey/gatekey/routerclient"
	"github.com/gatekey/gatekey/vault"
)

// AccountSource is the vault as the router use cases need it: the account
// linked to a router supplies its TOTP codes, and the enrolment saves the
// router's secret. The window's source is its open vault; the command
// line's opens the vault on first use, so that routers without TOTP never
// ask for the vault password.
type AccountSource interface {
	// Account returns the account with this uuid.
	Account(uuid string) (otp.Account, error)
	// Add stores new accounts and names those already present.
	Add(accs ...otp.Account) (added, duplicates []otp.Account, err error)
	// Accounts lists every account.
	Accounts() []otp.Account
}

// RouterService is every router use case, one method each, shared by the
// window and the command line: add, probe, status, settings, harden, audit,
// reboot, fleet, backup, capture and the TOTP enrolment. Each call logs in,
// works and logs out; a failed login is never retried. It remembers what
// it learnt about each router in this run for the routers list. It is safe
// for use from several goroutines.
type RouterService struct {
	home     string
	keychain vault.Keychain
	accounts AccountSource

	mu     sync.Mutex
	store  *Routers
	learnt map[string]RouterSummary
	advice *routerclient.AdviceTables
	// askValidation, when set, asks a person for the characters of a login
	// page's validation picture (the window); without it such a router is
	// refused before any login attempt (the command line).
	askValidation ValidationAsker

	// testOnlyOptions are added to every client, so that a test can route a
	// public-looking address to a simulator on loopback.
	testOnlyOptions []routerclient.Option
}

// NewRouterService serves the routers recorded under home, their passwords
// in keychain (nil means the OS keychain), their TOTP accounts from
// accounts.
func NewRouterService(home string, keychain vault.Keychain, accounts AccountSource) *RouterService {
	if keychain == nil {
		keychain = vault.SystemKeychain{}
	}
	return &RouterService{home: home, keychain: keychain, accounts: accounts, learnt: map[string]RouterSummary{}}
}

// Records loads routers.json once and returns the records.
func (s *RouterService) Records() (*Routers, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.store == nil {
		rs, err := LoadRouters(s.home, s.keychain)
		if err != nil {
			return nil, err
		}
		s.store = rs
	}
	return s.store, nil
}

// List returns the router records sorted by name.
func (s *RouterService) List() ([]Router, error) {
	rs, err := s.Records()
	if err != nil {
		return nil, err
	}
	return rs.List(), nil
}

// Get returns one router's record.
func (s *RouterService) Get(name string) (Router, error) {
	rs, err := s.Records()
	if err != nil {
		return Router{}, err
	}
	return rs.Get(name)
}

// connect logs into a router through its record's own address: the
// password from the keychain, the linked account's code computed at the
// moment the login page asks for it.
func (s *RouterService) connect(ctx context.Context, r Router, extra ...routerclient.Option) (*routerclient.Session, error) {
	rs, err := s.Records()
	if err != nil {
		return nil, err
	}
	password, err := rs.Password(r.Name)
	if err != nil {
		return nil, err
	}
	return s.connectWith(ctx, r, password, extra...)
}

// connectWith logs in with a password given, such as a new one being
// proven.
func (s *RouterService) connectWith(ctx context.Context, r Router, password string, extra ...routerclient.Option) (*routerclient.Session, error) {
	rs, err := s.Records()
	if err != nil {
		return nil, err
	}
	advice, err := s.Advice()
	if err != nil {
		return nil, err
	}
	extra = append([]routerclient.Option{routerclient.WithAdvice(advice)}, extra...)
	opts, err := rs.ClientOptions(r, append(s.testOnlyOptions, extra...)...)
	if err != nil {
		return nil, err
	}
	client, err := routerclient.New(r.URL, opts...)
	if err != nil {
		return nil, err
	}
	codes, err := s.codeSource(r)
	if err != nil {
		return nil, err
	}
	creds := routerclient.Credentials{Username: r.User, Password: password}
	sess, err := client.Login(ctx, creds, codes)
	if errors.Is(err, routerclient.ErrValidationCode) && s.validationAsker() != nil {
		if creds.ValidationCode, err = s.readValidationCode(ctx, client, r.Name); err != nil {
			return nil, err
		}
		sess, err = client.Login(ctx, creds, codes)
	}
	return sess, err
}

// ValidationPicture is a login page's validation-code picture.
type ValidationPicture = routerclient.ValidationPicture

// ValidationAsker shows a router's validation picture to a person and
// returns the characters they typed.
type ValidationAsker func(ctx context.Context, router string, picture *ValidationPicture) (string, error)

// AskValidationCodes lets logins to routers whose login page shows a
// validation code (CAPTCHA) go ahead with the characters a person reads
// off the picture. Without it, such a router gets no login attempt.
func (s *RouterService) AskValidationCodes(ask ValidationAsker) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.askValidation = ask
}

func (s *RouterService) validationAsker() ValidationAsker {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.askValidation
}

// readValidationCode fetches the picture (with the cookies of the login
// that follows) and asks for its characters.
func (s *RouterService) readValidationCode(ctx context.Context, client *routerclient.Client, router string) (string, error) {
	pic, err := client.ValidationPicture(ctx)
	if err != nil {
		return "", err
	}
	answer, err := s.validationAsker()(ctx, router, pic)
	if err != nil {
		return "", err
	}
	if answer == "" {
		return "", routerclient.ErrValidationCode
	}
	return answer, nil
}

// codeSource is the linked account's codes, or nil when none is linked.
func (s *RouterService) codeSource(r Router) (routerclient.CodeSource, error) {
	if r.TOTP == "" {
		return nil, nil
	}
	if s.accounts == nil {
		return nil, ErrNotOpen
	}
	acc, err := s.accounts.Account(r.TOTP)
	if err != nil {
		return nil, &LinkedAccountError{Router: r.Name, Err: err}
	}
	return CodeSourceFor(acc), nil
}

// LinkedAccountError means the vault account linked to a router could not
// be had (the vault is locked, or the account was deleted).
type LinkedAccountError struct {
	Router string
	Err    error
}

func (e *LinkedAccountError) Error() string {
	return "the TOTP account linked to " + e.Router + ": " + e.Err.Error()
}

func (e *LinkedAccountError) Unwrap() error { return e.Err }

// with logs into the named router, runs op and logs out, and remembers
// whether the router answered.
func (s *RouterService) with(ctx context.Context, name string, op func(*routerclient.Session, Router) error, extra ...routerclient.Option) error {
	r, err := s.Get(name)
	if err != nil {
		return err
	}
	sess, err := s.connect(ctx, r, extra...)
	if err != nil {
		s.learn(name, func(sum *RouterSummary) {
			sum.Probed, sum.Reachable, sum.ProbeErr = true, answered(err), err.Error()
		})
		return err
	}
	defer sess.Close(context.WithoutCancel(ctx))
	s.learn(name, func(sum *RouterSummary) {
		sum.Probed, sum.Reachable, sum.ProbeErr = true, true, ""
		sum.Model, sum.Firmware = sess.Model(), sess.Firmware()
	})
	return op(sess, r)
}

// answered tells a router that answered (and refused) from one that did
// not.
func answered(err error) bool {
	return !errors.Is(err, routerclient.ErrUnreachable) && !errors.Is(err, context.DeadlineExceeded)
}

// TestLogin logs in and out once.
func (s *RouterService) TestLogin(ctx context.Context, name string) error {
	return s.with(ctx, name, func(*routerclient.Session, Router) error { return nil })
}

func (s *RouterService) update(name string, f func(*Router)) error {
	rs, err := s.Records()
	if err != nil {
		return err
	}
	r, err := rs.Get(name)
	if err != nil {
		return err
	}
	f(&r)
	return rs.Update(r)
}

// AdviceFile is the firmware advice file a person may drop in the Gatekey
// folder to update the advice without a new release; it replaces the copy
// built into Gatekey.
const AdviceFile = "advice.json"

// Advice is the firmware advice in use: <home>/advice.json when it exists,
// else the copy built into Gatekey. A damaged file is an error that names
// it, rather than advice silently older than the person expects.
func (s *RouterService) Advice() (*routerclient.AdviceTables, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.advice == nil {
		t, err := routerclient.LoadAdvice(filepath.Join(s.home, AdviceFile))
		if err != nil {
			return nil, err
		}
		s.advice = t
	}
	return s.advice, nil
}

// FirmwareAdvice is what the advice in use says of a model and firmware.
func (s *RouterService) FirmwareAdvice(model, firmware string) routerclient.Advice {
	t, err := s.Advice()
	if err != nil {
		t = routerclient.EmbeddedAdvice()
	}
	return t.Lookup(model, firmware)
}

// Errors of the validation-code question.
var (
	// ErrValidationCodeNotGiven means the person closed the validation
	// picture without typing its characters; no login was attempted.
	ErrValidationCodeNotGiven = errors.New("no validation code was typed, so Gatekey did not log in")
	// ErrBadValidationPicture means the router's validation picture is not
	// an image Gatekey shows (too large, or not PNG, GIF or JPEG).
	ErrBadValidationPicture = errors.New("the router's validation picture cannot be shown")
)
