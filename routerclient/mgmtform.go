package routerclient

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
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
	page, m, err := s.parseManagementPage(pageURL, body)
	if err == nil {
		s.mu.Lock()
		s.formCache = page // a write right after this read posts this form
		s.mu.Unlock()
	}
	return page, m, err
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

// managementFromForm reads the settings from the Management form's fields.
func managementFromForm(form *htmlForm, p *Profile) (Management, error) {
	names := p.ManagementForm.Fields
	var m Management
	for _, k := range []string{"internet", "http", "https", "enforce_https", "telnet", "ssh", "ftp", "tr069", "snmp", "brute_force"} {
		v, err := form.boolValue(names[k])
		if err != nil {
			return Management{}, fmt.Errorf("management page, %s: %w", k, err)
		}
		*m.boolField(k) = v
	}
	noPing, err := form.boolValue(names["no_ping"])
	if err != nil {
		return Management{}, fmt.Errorf("management page, ping: %w", err)
	}
	m.Ping = !noPing // the field reads backwards: checked = no answer to pings
	for _, k := range []string{"http_port", "https_port", "telnet_port", "ssh_port", "ftp_port"} {
		if v, ok := form.value(names[k]); ok {
			if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n > 0 && n < 65536 {
				*m.intField(k) = n
			}
		}
	}
	m.AccessList = []string{}
	for i := 1; i <= p.ManagementForm.AccessListSize; i++ {
		if v, ok := form.value(fmt.Sprintf(p.ManagementForm.AccessListField, i)); ok && strings.TrimSpace(v) != "" {
			m.AccessList = append(m.AccessList, normalizeEntry(v))
		}
	}
	m.BruteForceServices = []string{}
	for _, svc := range bruteForceServices {
		if on, err := form.boolValue(names["brute_force_"+svc]); err == nil && on {
			m.BruteForceServices = append(m.BruteForceServices, svc)
		}
	}
	for _, k := range []string{"brute_force_failures", "brute_force_penalty"} {
		v, ok := form.value(names[k])
		if !ok {
			return Management{}, fmt.Errorf("%w: the Management page has no field %q", ErrUnexpectedResponse, names[k])
		}
		if strings.TrimSpace(v) != "" {
			n, err := leadingInt(v)
			if err != nil {
				return Management{}, fmt.Errorf("management page, %s: %w", k, err)
			}
			*m.intField(k) = n
		}
	}
	var tls TLSVersions
	tlsKnown := true
	for k, dst := range map[string]*bool{"tls_1_2": &tls.TLS12, "tls_1_1": &tls.TLS11, "tls_1_0": &tls.TLS10, "ssl_3": &tls.SSL3} {
		v, err := form.boolValue(names[k])
		if err != nil {
			tlsKnown = false
		}
		*dst = v
	}
	if tlsKnown {
		m.TLS = &tls
	}
	return m, nil
}

// formFieldOf maps a setting key to the profile's form field.
func formFieldOf(key string) string {
	switch key {
	case "tls1_2":
		return "tls_1_2"
	case "tls1_1":
		return "tls_1_1"
	case "tls1_0":
		return "tls_1_0"
	case "ssl3":
		return "ssl_3"
	}
	return key
}

// setManagementForm changes the form's fields for each change.
func setManagementForm(form *htmlForm, p *Profile, target Management, changes []Change) error {
	names := p.ManagementForm.Fields
	portsChanged := false
	for _, ch := range changes {
		k := ch.Key
		switch {
		case k == "ping":
			if err := form.setBool(names["no_ping"], !target.Ping); err != nil {
				return err
			}
		case k == "access_list":
			if len(target.AccessList) > p.ManagementForm.AccessListSize {
				return fmt.Errorf("%w: the access list holds at most %d entries", ErrBadSetting, p.ManagementForm.AccessListSize)
			}
			for i := 1; i <= p.ManagementForm.AccessListSize; i++ {
				v := ""
				if i <= len(target.AccessList) {
					v = target.AccessList[i-1]
				}
				if err := form.setValue(fmt.Sprintf(p.ManagementForm.AccessListField, i), v); err != nil {
					return err
				}
			}
		case k == "brute_force_services":
			for _, svc := range bruteForceServices {
				if err := form.setBool(names["brute_force_"+svc], contains(target.BruteForceServices, svc)); err != nil {
					return err
				}
			}
		case strings.HasSuffix(k, "_port"):
			portsChanged = true
			if err := form.setValue(names[k], ch.To); err != nil {
				return err
			}
		case target.intField(k) != nil:
			if err := form.setValue(names[k], ch.To); err != nil {
				return err
			}
		default:
			b := target.boolField(k)
			if b == nil {
				return fmt.Errorf("%w: the Management page cannot change %s", ErrBadSetting, k)
			}
			if err := form.setBool(names[formFieldOf(k)], *b); err != nil {
				return err
			}
		}
	}
	if portsChanged && p.ManagementForm.ConfigPortUser != "" {
		// Port fields only count once the ports are "user defined".
		if err := form.setValue(names["config_port"], p.ManagementForm.ConfigPortUser); err != nil {
			return err
		}
	}
	return nil
}

// postManagementForm posts the whole form with its changes and reads the
// page the router answers with. It returns the settings read back and
// whether the router asks for a reboot. It is a write: it is never repeated.
func (s *Session) postManagementForm(ctx context.Context, page *managementPage) (Management, bool, error) {
	action := page.form.Action
	if action == "" {
		action = page.url.Path
	}
	target, err := page.url.Parse(action)
	if err != nil {
		return Management{}, false, fmt.Errorf("%w: bad form action", ErrUnexpectedResponse)
	}
	body := page.form.encode([][2]string{{"webchange", "1"}})
	a, err := s.exchange(ctx, request{method: http.MethodPost, path: target.String(), form: body})
	if err != nil {
		return Management{}, false, fmt.Errorf("saving the Management page: %w", err)
	}
	var pageURL *url.URL
	pageBody := a.body
	pageURL = a.url
	for hops := 0; a.redirect(); hops++ {
		if hops >= 3 {
			return Management{}, false, fmt.Errorf("%w: too many redirects after saving", ErrUnexpectedResponse)
		}
		if a, err = s.exchange(ctx, request{method: http.MethodGet, path: a.location.String()}); err != nil {
			return Management{}, false, fmt.Errorf("reading back after saving: %w", err)
		}
		pageBody, pageURL = a.body, a.url
	}
	if a.status != http.StatusOK {
		return Management{}, false, fmt.Errorf("%w: saving answered HTTP %d", ErrUnexpectedResponse, a.status)
	}
	if isRebootPage(pageBody, s.c.profile) {
		// The save asks for a reboot; report it, never act on it. Read
		// the page again to verify.
		_, m, err := s.readManagementForm(ctx)
		return m, true, err
	}
	_, m, err := s.parseManagementPage(pageURL, pageBody)
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
