package routerclient

import (
	"context"
	"fmt"
	"net/url"
)

// The Management page path (drayos-web.md §4, §4.1): read the form, change
// the fields, post the whole form back, follow the redirect, read back.

// managementPage is the Management form as last read.
type managementPage struct {
	url  *url.URL
	form *htmlForm
}

// readManagementForm opens the Management page and parses its settings.
func (s *Session) readManagementForm(ctx context.Context) (*managementPage, Management, error) {
	pageURL, body, err := s.openPage(ctx, s.c.profile.ManagementForm.FID)
	if err != nil {
		return nil, Management{}, err
	}
	return s.managementFromPage(ctx, pageURL, body)
}

// managementFromPage parses a Management page, resolves the IP objects of
// its access list, and keeps the form for a write that follows.
func (s *Session) managementFromPage(ctx context.Context, pageURL *url.URL, body string) (*managementPage, Management, error) {
	page, m, err := s.parseManagementPage(pageURL, body)
	if err != nil {
		return nil, Management{}, err
	}
	if err := s.resolveAccessList(ctx, &m, pathForm); err != nil {
		return nil, Management{}, err
	}
	s.mu.Lock()
	s.formCache = page // a write right after this read posts this form
	s.mu.Unlock()
	return page, m, nil
}

// takeFormCache returns the form of the last read, once.
func (s *Session) takeFormCache() *managementPage {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.formCache
	s.formCache = nil
	return p
}

func (s *Session) parseManagementPage(pageURL *url.URL, body string) (*managementPage, Management, error) {
	form := findForm(parseForms(body), s.c.profile.ManagementForm.Fields["internet"])
	if form == nil {
		return nil, Management{}, fmt.Errorf("%w: the Management page has no form with field %q (check the profile's management_form)",
			ErrUnexpectedResponse, s.c.profile.ManagementForm.Fields["internet"])
	}
	m, err := managementFromForm(form, s.c.profile)
	if err != nil {
		return nil, Management{}, err
	}
	return &managementPage{url: pageURL, form: form}, m, nil
}

func findForm(forms []*htmlForm, field string) *htmlForm {
	for _, f := range forms {
		if f.field(field) != nil {
			return f
		}
	}
	return nil
}

// postManagementForm posts the whole form with its changes and reads the
// page the router answers with. It returns the settings read back and
// whether the router asks for a reboot. It is a write: it is never repeated.
func (s *Session) postManagementForm(ctx context.Context, page *managementPage) (Management, bool, error) {
	a, err := s.postForm(ctx, page.url, page.form, nil, "saving the Management page")
	if err != nil {
		return Management{}, false, err
	}
	if isRebootPage(a.body, s.c.profile) {
		// The save asks for a reboot; report it, never act on it. Read
		// the page again to verify.
		_, m, err := s.readManagementForm(ctx)
		return m, true, err
	}
	_, m, err := s.managementFromPage(ctx, a.url, a.body)
	if err != nil {
		_, m, err = s.readManagementForm(ctx)
	}
	return m, false, err
}

func isRebootPage(body string, p *Profile) bool {
	for _, f := range parseForms(body) {
		if f.field(p.ManagementForm.RebootMarkerField) != nil {
			return true
		}
	}
	return false
}
