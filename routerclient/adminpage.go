package routerclient

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// The Administrator Password page's advanced authentication (drayos-web.md
// §4.2). The field names are assumed [A]: they come from the profile's
// admin_page section, and the automatic enrolment is offered only when the
// page carries every one of them.

// TOTPEnrolment is what the Administrator Password page shows of TOTP for
// WAN logins. Secret is a secret: never log or print it.
type TOTPEnrolment struct {
	// Offered: the page has the TOTP fields of the profile.
	Offered bool
	// Missing names the profile's fields the page lacks; the automatic
	// enrolment is refused while any is missing.
	Missing []string
	// Enabled: "Enable Advanced Authentication method when login from WAN"
	// is ticked.
	Enabled bool
	// Secret is the Base32 secret the page shows.
	Secret string
}

// String never shows the secret.
func (e TOTPEnrolment) String() string {
	return fmt.Sprintf("TOTP offered=%v enabled=%v missing=%v", e.Offered, e.Enabled, e.Missing)
}

// adminPage is the Administrator Password form as last read.
type adminPage struct {
	url  *url.URL
	form *htmlForm
}

// ReadTOTPEnrolment opens the Administrator Password page and reports its
// TOTP fields.
func (s *Session) ReadTOTPEnrolment(ctx context.Context) (*TOTPEnrolment, error) {
	var e *TOTPEnrolment
	err := s.read(ctx, func() error {
		_, got, err := s.readAdminPage(ctx)
		e = got
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("reading the Administrator Password page: %w", err)
	}
	return e, nil
}

func (s *Session) readAdminPage(ctx context.Context) (*adminPage, *TOTPEnrolment, error) {
	pageURL, body, err := s.openPage(ctx, s.c.profile.AdminPage.FID)
	if err != nil {
		return nil, nil, err
	}
	return s.parseAdminPage(pageURL, body)
}

func (s *Session) parseAdminPage(pageURL *url.URL, body string) (*adminPage, *TOTPEnrolment, error) {
	ap := s.c.profile.AdminPage
	form := findForm(parseForms(body), ap.TOTPSecretField)
	if form == nil {
		// A page without the secret field does not offer TOTP, or names
		// it differently: either way nothing can be automated.
		return nil, &TOTPEnrolment{Missing: []string{ap.TOTPSecretField}}, nil
	}
	e := &TOTPEnrolment{}
	for _, name := range []string{ap.TOTPEnableField, ap.TOTPMethodField, ap.TOTPCodeField, ap.VerifyField} {
		if form.field(name) == nil {
			e.Missing = append(e.Missing, name)
		}
	}
	e.Offered = len(e.Missing) == 0
	secret, _ := form.value(ap.TOTPSecretField)
	e.Secret = strings.ToUpper(strings.Join(strings.Fields(secret), ""))
	if f := form.field(ap.TOTPEnableField); f != nil {
		e.Enabled = f.Checked
	}
	return &adminPage{url: pageURL, form: form}, e, nil
}

// EnableTOTP enrols the router's TOTP the way a person does on the
// Administrator Password page: it reads the secret, asks codes for the code
// of that secret (the caller has saved it to its vault first), presses
// Verify, then ticks "Enable Advanced Authentication method when login from
// WAN", chooses TOTP and presses OK, and reads the page back. It refuses
// when the page lacks any field the profile names, since posting a form
// whose names are guessed could change something else.
func (s *Session) EnableTOTP(ctx context.Context, secret string, codes CodeSource) (*TOTPEnrolment, error) {
	ap := s.c.profile.AdminPage
	page, e, err := s.readAdminPage(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the Administrator Password page: %w", err)
	}
	if !e.Offered {
		return e, fmt.Errorf("%w: the Administrator Password page lacks the fields %s of the profile", ErrNotSupported, strings.Join(e.Missing, ", "))
	}
	if !strings.EqualFold(e.Secret, strings.Join(strings.Fields(secret), "")) {
		return e, fmt.Errorf("%w: the router shows another secret than the one saved; start again", ErrUnexpectedResponse)
	}
	code, err := codes(ctx, s.c.now())
	if err != nil {
		return e, err
	}
	// Verify, as the person presses it: the code and the Verify button.
	verify := [][2]string{{ap.TOTPCodeField, code}, {ap.VerifyField, "Verify"}, {"webchange", "1"}}
	if _, _, err := s.postAdminForm(ctx, page, verify); err != nil {
		return e, fmt.Errorf("verifying the code: %w", err)
	}
	// OK: the box ticked, TOTP chosen, and the same code again in case the
	// router checks it with OK rather than remembering the Verify.
	if page, _, err = s.readAdminPage(ctx); err != nil {
		return e, fmt.Errorf("reading the Administrator Password page after Verify: %w", err)
	}
	if err := page.form.setBool(ap.TOTPEnableField, true); err != nil {
		return e, err
	}
	if err := page.form.setValue(ap.TOTPMethodField, ap.TOTPMethodValue); err != nil {
		return e, err
	}
	ok := [][2]string{{ap.TOTPCodeField, code}, {"webchange", "1"}}
	after, _, err := s.postAdminForm(ctx, page, ok)
	if err != nil {
		return e, fmt.Errorf("saving the Administrator Password page: %w", err)
	}
	if !after.Enabled || !strings.EqualFold(after.Secret, e.Secret) {
		return after, fmt.Errorf("%w: the page does not show TOTP enabled with the saved secret (the code may have been refused: check the router's clock)", ErrNotTaken)
	}
	return after, nil
}

// postAdminForm posts the whole Administrator Password form with extra
// fields, follows the redirect and parses the page it lands on (reading it
// again when the answer is another page). It is a write: never repeated.
func (s *Session) postAdminForm(ctx context.Context, page *adminPage, extra [][2]string) (*TOTPEnrolment, *adminPage, error) {
	action := page.form.Action
	if action == "" {
		action = s.c.profile.AdminPage.Action
	}
	target, err := page.url.Parse(action)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: bad form action", ErrUnexpectedResponse)
	}
	a, err := s.exchange(ctx, request{method: http.MethodPost, path: target.String(), form: page.form.encode(extra)})
	if err != nil {
		return nil, nil, err
	}
	for hops := 0; a.redirect(); hops++ {
		if hops >= 3 {
			return nil, nil, fmt.Errorf("%w: too many redirects after saving", ErrUnexpectedResponse)
		}
		if a, err = s.exchange(ctx, request{method: http.MethodGet, path: a.location.String()}); err != nil {
			return nil, nil, fmt.Errorf("reading back after saving: %w", err)
		}
	}
	if a.status != http.StatusOK {
		return nil, nil, fmt.Errorf("%w: saving answered HTTP %d", ErrUnexpectedResponse, a.status)
	}
	next, e, err := s.parseAdminPage(a.url, a.body)
	if err != nil || next == nil {
		next, e, err = s.readAdminPage(ctx)
	}
	return e, next, err
}
