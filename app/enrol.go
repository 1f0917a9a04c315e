package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/gatekey/gatekey/otp"
	"github.com/gatekey/gatekey/routerclient"
)

// EnrolStep is a step of the router TOTP enrolment (drayos-web.md §4.2),
// in the order a person goes through them.
type EnrolStep int

// The enrolment steps.
const (
	EnrolCheck    EnrolStep = iota // supported model and firmware, clock
	EnrolOpenPage                  // open the Administrator Password page
	EnrolCapture                   // read the secret: screen, paste or image
	EnrolCode                      // type the code on the router, Verify, OK
	EnrolHarden                    // optional: harden remote management
	EnrolVerify                    // log in from outside with a code
	EnrolDone
)

var stepNames = [...]string{"Check", "Open the router page", "Capture the secret", "Confirm the code", "Harden", "Verify", "Done"}

// String is the step's title as the wizard shows it.
func (s EnrolStep) String() string {
	if s < 0 || int(s) >= len(stepNames) {
		return fmt.Sprintf("step %d", int(s))
	}
	return stepNames[s]
}

// ErrWrongStep means an enrolment action was asked for out of order.
var ErrWrongStep = errors.New("this enrolment step is not the current one")

// EnrolCheckResult is step 1: what decides whether enrolment can go on.
type EnrolCheckResult struct {
	Model, Firmware string
	// Documented: DrayTek documents TOTP for this model and firmware.
	Documented bool
	// PageOffers: the Administrator Password page shows TOTP fields (nil
	// when the page could not be read).
	PageOffers *bool
	// Automatic: the page carries every field the profile names, so the
	// enrolment can be done over HTTP.
	Automatic bool
	Clock     routerclient.ClockReading
	// ClockOK: the router's clock is within one TOTP period of this one.
	ClockOK bool
	// Problems are the reasons to stop, each with what to do.
	Problems []string
}

// OK reports whether the enrolment can go on.
func (c *EnrolCheckResult) OK() bool { return len(c.Problems) == 0 }

// Enrolment walks one router through TOTP enrolment as a state machine
// with no GUI: each action is allowed only at its step and moves to the
// next one. It is safe for use from several goroutines.
type Enrolment struct {
	s      *RouterService
	router string
	now    func() time.Time

	mu      sync.Mutex
	step    EnrolStep
	check   *EnrolCheckResult
	account otp.Account
	reboot  bool // the last harden asked for a reboot
}

// NewEnrolment starts enrolling the named router, at step Check.
func (s *RouterService) NewEnrolment(name string) (*Enrolment, error) {
	if _, err := s.Get(name); err != nil {
		return nil, err
	}
	return &Enrolment{s: s, router: name, now: time.Now}, nil
}

// Router is the router's name.
func (e *Enrolment) Router() string { return e.router }

// Step is the current step.
func (e *Enrolment) Step() EnrolStep {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.step
}

// at checks the step and, when run succeeds, moves to next.
func (e *Enrolment) at(want EnrolStep, next EnrolStep, run func() error) error {
	e.mu.Lock()
	cur := e.step
	e.mu.Unlock()
	if cur != want {
		return fmt.Errorf("%w: at %q, not %q", ErrWrongStep, cur, want)
	}
	if err := run(); err != nil {
		return err
	}
	e.mu.Lock()
	if e.step == want {
		e.step = next
	}
	e.mu.Unlock()
	return nil
}

// Check is step 1: it logs in, reads model, firmware and clock, and looks
// at the Administrator Password page. It moves on only when nothing stops
// the enrolment; the result says why otherwise.
func (e *Enrolment) Check(ctx context.Context) (*EnrolCheckResult, error) {
	res := &EnrolCheckResult{}
	err := e.at(EnrolCheck, EnrolOpenPage, func() error {
		err := e.s.with(ctx, e.router, func(s *routerclient.Session, _ Router) error {
			st, clock, err := s.Status(ctx)
			if err != nil {
				return err
			}
			res.Model, res.Firmware, res.Documented, res.Clock = st.Model, st.Firmware, st.TOTPDocumented, clock
			if page, err := s.ReadTOTPEnrolment(ctx); err == nil {
				offers := page.Offered || page.Secret != ""
				res.PageOffers, res.Automatic = &offers, page.Offered
			}
			return nil
		})
		if err != nil {
			return err
		}
		judgeCheck(res)
		if !res.OK() {
			return errCheckFailed
		}
		return nil
	})
	e.mu.Lock()
	e.check = res
	e.mu.Unlock()
	if errors.Is(err, errCheckFailed) {
		return res, nil
	}
	return res, err
}

var errCheckFailed = errors.New("the check found problems")

// judgeCheck turns the readings into problems with their fixes.
func judgeCheck(res *EnrolCheckResult) {
	res.ClockOK = res.Clock.Known() && !res.Clock.Skewed(30*time.Second)
	switch {
	case res.PageOffers != nil && !*res.PageOffers && !res.Documented:
		res.Problems = append(res.Problems, fmt.Sprintf("%s with firmware %s does not offer TOTP for WAN logins: upgrade the firmware (DrayTek documents it from 4.3.1 on most DrayOS 4 models).", res.Model, res.Firmware))
	case res.PageOffers == nil && !res.Documented:
		res.Problems = append(res.Problems, fmt.Sprintf("DrayTek does not document TOTP for %s with firmware %s, and Gatekey could not see it on the Administrator Password page: upgrade the firmware, or check the page yourself.", res.Model, res.Firmware))
	}
	if !res.Clock.Known() {
		res.Problems = append(res.Problems, "Gatekey could not read the router's clock. Make sure it is right before enrolling: System Maintenance > Time and Date, \"Use Internet Time\" with a time server such as pool.ntp.org.")
	} else if !res.ClockOK {
		res.Problems = append(res.Problems, fmt.Sprintf("The router's clock is %s away from this computer's, more than one 30-second code period, so its codes would not match. Fix NTP first: System Maintenance > Time and Date, \"Use Internet Time\" with a time server such as pool.ntp.org, then check again.", res.Clock.Offset))
	}
}

// Retry goes back to step 1 after the person fixed a problem.
func (e *Enrolment) Retry() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.step == EnrolOpenPage || e.step == EnrolCheck {
		e.step = EnrolCheck
	}
}

// CheckResult is the last result of step 1.
func (e *Enrolment) CheckResult() *EnrolCheckResult {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.check
}

// PageInstructions say what to do on the router's page (step 2).
const PageInstructions = "Log in to the router in the browser, open System Maintenance > Administrator Password, tick " +
	"\"Enable Advanced Authentication method when login from WAN\" and choose \"Time-based One-time Password (TOTP)\". " +
	"The page then shows a secret and its QR code. Leave the page open."

// AdminPageURL is the router's web interface, which step 2 opens in the
// browser (the person logs in there; the page cannot be opened without).
func (e *Enrolment) AdminPageURL() (string, error) { return e.s.WebURL(e.router) }

// PageOpened is step 2 done: the person has the page in front of them.
func (e *Enrolment) PageOpened() error {
	return e.at(EnrolOpenPage, EnrolCapture, func() error { return nil })
}

// Capture is step 3: it takes the router's account out of what a scan, a
// pasted text or an image held, saves it to the vault named after the
// router, and links it to the router. A bare Base32 secret is accepted too.
func (e *Enrolment) Capture(scan Scan) (otp.Account, error) {
	var saved otp.Account
	err := e.at(EnrolCapture, EnrolCode, func() error {
		acc, err := pickRouterAccount(scan)
		if err != nil {
			return err
		}
		saved, err = e.save(acc)
		return err
	})
	return saved, err
}

// CaptureText reads pasted text: an otpauth:// link or the bare secret as
// the router page shows it.
func (e *Enrolment) CaptureText(text string) (otp.Account, error) {
	text = strings.TrimSpace(text)
	if !strings.HasPrefix(strings.ToLower(text), "otpauth") {
		secret, err := otp.DecodeBase32(strings.Join(strings.Fields(text), ""))
		if err != nil || len(secret) < 10 {
			return otp.Account{}, errors.New("that is neither an otpauth:// link nor a Base32 secret (letters A-Z and digits 2-7, as the router page shows it)")
		}
		return e.Capture(Scan{Accounts: []otp.Account{{Type: otp.TOTP, Issuer: "DrayTek", Secret: secret, Algorithm: otp.SHA1, Digits: 6, Period: 30}}})
	}
	return e.Capture(ScanTexts(text))
}

// pickRouterAccount chooses the router's account among what a scan found:
// the one issued by DrayTek, or the only TOTP one. Routers use SHA-1, six
// digits and 30 s (drayos-web.md §3.1); anything else is not a router's.
func pickRouterAccount(scan Scan) (otp.Account, error) {
	if err := scan.Err(); err != nil {
		return otp.Account{}, err
	}
	var totps []otp.Account
	for _, a := range scan.Accounts {
		if a.Type != otp.TOTP {
			continue
		}
		if strings.EqualFold(a.Issuer, "DrayTek") {
			totps = append([]otp.Account{a}, totps...)
			break
		}
		totps = append(totps, a)
	}
	if len(totps) == 0 {
		return otp.Account{}, errors.New("no TOTP code found: the router page shows a TOTP QR code")
	}
	if len(totps) > 1 && !strings.EqualFold(totps[0].Issuer, "DrayTek") {
		return otp.Account{}, fmt.Errorf("%d TOTP codes found and none from DrayTek: leave only the router page on the screen", len(totps))
	}
	a := totps[0]
	if a.Algorithm != otp.SHA1 || a.Digits != 6 || a.Period != 30 {
		return otp.Account{}, fmt.Errorf("this code uses %s, %d digits, %d s: DrayTek routers use SHA-1, 6 digits, 30 s; is it the router's?", a.Algorithm, a.Digits, a.Period)
	}
	return a, nil
}

// save stores the account as "DrayTek: <router>" (or finds it when already
// saved) and links it to the router.
func (e *Enrolment) save(acc otp.Account) (otp.Account, error) {
	if e.s.accounts == nil {
		return otp.Account{}, ErrNotOpen
	}
	acc.Issuer, acc.Name = "DrayTek", e.router
	acc.Note = "TOTP for WAN logins to the router " + e.router
	added, dups, err := e.s.accounts.Add(acc)
	if err != nil {
		return otp.Account{}, err
	}
	switch {
	case len(added) == 1:
		acc = added[0]
	case len(dups) == 1:
		for _, x := range e.s.accounts.Accounts() {
			if SameAccount(x, acc) {
				acc = x
			}
		}
	}
	if acc.UUID == "" {
		return otp.Account{}, errors.New("the account could not be saved")
	}
	if err := e.s.update(e.router, func(r *Router) { r.TOTP = acc.UUID }); err != nil {
		return otp.Account{}, err
	}
	e.mu.Lock()
	e.account = acc
	e.mu.Unlock()
	return acc, nil
}

// Account is the account saved at step 3.
func (e *Enrolment) Account() otp.Account {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.account
}

// Code is step 4's display: the current code and the seconds it stays
// valid.
func (e *Enrolment) Code(at time.Time) (string, time.Duration, error) {
	acc := e.Account()
	if acc.UUID == "" {
		return "", 0, fmt.Errorf("%w: no secret captured yet", ErrWrongStep)
	}
	code, err := acc.Code(at)
	return code, acc.Remaining(at), err
}

// Confirmed is step 4 done: the person pressed Verify and OK on the router.
// Where the page can be read, Gatekey checks that TOTP is on with the saved
// secret; otherwise it takes the person's word.
func (e *Enrolment) Confirmed(ctx context.Context) error {
	return e.at(EnrolCode, EnrolHarden, func() error {
		return e.s.with(ctx, e.router, func(s *routerclient.Session, _ Router) error {
			page, err := s.ReadTOTPEnrolment(ctx)
			if err != nil || page.Secret == "" {
				return nil // the page cannot be read with the profile's names
			}
			want := otp.EncodeBase32(e.Account().Secret)
			switch {
			case !page.Enabled:
				return errors.New("the router does not show TOTP enabled yet: tick \"Enable Advanced Authentication method when login from WAN\", type the code, press Verify, then OK")
			case !strings.EqualFold(page.Secret, want):
				return errors.New("the router has TOTP enabled with another secret than the one Gatekey saved (the page was reloaded after the scan?): capture the secret again")
			}
			return nil
		})
	})
}

// BackToCapture returns to step 3, to capture the secret again.
func (e *Enrolment) BackToCapture() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.step == EnrolCode {
		e.step = EnrolCapture
	}
}

// Automatic does steps 2 to 4 over HTTP where the profile's field names
// match the page: it reads the secret, saves it, verifies a code and
// enables TOTP, then reads the page back.
func (e *Enrolment) Automatic(ctx context.Context) (otp.Account, error) {
	if c := e.CheckResult(); c == nil || !c.Automatic {
		return otp.Account{}, errors.New("the router's page does not match the profile's field names: follow the steps in the browser")
	}
	if step := e.Step(); step != EnrolOpenPage {
		return otp.Account{}, fmt.Errorf("%w: the automatic path replaces steps 2 to 4, not %q", ErrWrongStep, step)
	}
	var saved otp.Account
	err := e.s.with(ctx, e.router, func(s *routerclient.Session, _ Router) error {
		page, err := s.ReadTOTPEnrolment(ctx)
		if err != nil {
			return err
		}
		secret, err := otp.DecodeBase32(page.Secret)
		if err != nil {
			return fmt.Errorf("the router's secret could not be read: %w", err)
		}
		if saved, err = e.save(otp.Account{Type: otp.TOTP, Secret: secret, Algorithm: otp.SHA1, Digits: 6, Period: 30}); err != nil {
			return err
		}
		_, err = s.EnableTOTP(ctx, page.Secret, CodeSourceFor(saved))
		return err
	})
	if err == nil {
		e.mu.Lock()
		e.step = EnrolHarden
		e.mu.Unlock()
	}
	return saved, err
}

// PreviewHarden is step 5's preview.
func (e *Enrolment) PreviewHarden(ctx context.Context, c HardenChoices) (*HardenPlan, error) {
	if e.Step() != EnrolHarden {
		return nil, fmt.Errorf("%w: harden comes after the code is confirmed", ErrWrongStep)
	}
	return e.s.PlanHarden(ctx, e.router, c)
}

// ApplyHarden is step 5: it writes the plan the person previewed, after a
// configuration backup, and reads back. When the router asks for a reboot
// the step stays until Reboot or SkipHarden.
func (e *Enrolment) ApplyHarden(ctx context.Context, plan *HardenPlan) (*HardenOutcome, error) {
	if e.Step() != EnrolHarden {
		return nil, fmt.Errorf("%w: harden comes after the code is confirmed", ErrWrongStep)
	}
	res, err := e.s.ApplyHarden(ctx, e.router, plan, ChangeOptions{})
	if err != nil {
		return res, err
	}
	e.mu.Lock()
	e.reboot = res.Result != nil && res.Result.RebootRequired
	if !e.reboot {
		e.step = EnrolVerify
	}
	e.mu.Unlock()
	return res, nil
}

// RebootRequired reports whether the router asked for a reboot at step 5.
func (e *Enrolment) RebootRequired() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.reboot
}

// Reboot restarts the router after the person agreed, waits until it is
// back and moves on to Verify.
func (e *Enrolment) Reboot(ctx context.Context, progress func(string)) error {
	if e.Step() != EnrolHarden {
		return fmt.Errorf("%w: reboot belongs to the harden step", ErrWrongStep)
	}
	if _, err := e.s.Reboot(ctx, e.router, progress); err != nil {
		return err
	}
	e.mu.Lock()
	e.reboot, e.step = false, EnrolVerify
	e.mu.Unlock()
	return nil
}

// SkipHarden leaves the settings as they are (or declines the reboot) and
// moves on to Verify.
func (e *Enrolment) SkipHarden() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.step == EnrolHarden {
		e.step = EnrolVerify
	}
}

// Verify is step 6: a login through the WAN address with the code. A
// login that worked with a code finishes the enrolment.
func (e *Enrolment) Verify(ctx context.Context) (WANCheck, error) {
	if e.Step() != EnrolVerify {
		return WANCheck{}, fmt.Errorf("%w: verify comes last", ErrWrongStep)
	}
	res := e.s.VerifyWANLogin(ctx, e.router)
	if res.Err == nil && (res.UsedCode || !res.Tested) {
		e.mu.Lock()
		e.step = EnrolDone
		e.mu.Unlock()
	}
	return res, nil
}

// Forget zeroes the captured account's secret, when the vault locks in the
// middle of an enrolment; the enrolment cannot go on after it.
func (e *Enrolment) Forget() {
	e.mu.Lock()
	defer e.mu.Unlock()
	clear(e.account.Secret)
	e.account = otp.Account{}
	e.step = EnrolDone
}
