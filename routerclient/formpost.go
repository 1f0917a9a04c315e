package routerclient

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// Saving a page (drayos-web.md §4): POST the whole form to its own action,
// resolved against the page's URL, with every field once, the session's
// token and webchange=1; the router answers with a redirect back to the
// page, which the client follows to verify.

// submit posts the form and returns the router's first answer. It is a
// write: never repeated.
func (s *Session) submit(ctx context.Context, pageURL *url.URL, form *htmlForm, extra [][2]string, limit int) (*answer, error) {
	action := form.Action
	if action == "" {
		action = pageURL.Path
	}
	target, err := pageURL.Parse(action)
	if err != nil {
		return nil, fmt.Errorf("%w: bad form action", ErrUnexpectedResponse)
	}
	body := form.encode(append(extra, [2]string{"webchange", "1"}))
	return s.exchange(ctx, request{method: http.MethodPost, path: target.String(), form: body, limit: limit})
}

// postForm submits the form and follows the redirects to the page the
// router lands on, which must answer 200.
func (s *Session) postForm(ctx context.Context, pageURL *url.URL, form *htmlForm, extra [][2]string, what string) (*answer, error) {
	a, err := s.submit(ctx, pageURL, form, extra, 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	for hops := 0; a.redirect(); hops++ {
		if hops >= 3 {
			return nil, fmt.Errorf("%s: %w: too many redirects after saving", what, ErrUnexpectedResponse)
		}
		if a, err = s.exchange(ctx, request{method: http.MethodGet, path: a.location.String()}); err != nil {
			return nil, fmt.Errorf("%s: reading back after saving: %w", what, err)
		}
	}
	if a.status != http.StatusOK {
		return nil, fmt.Errorf("%s: %w: saving answered HTTP %d", what, ErrUnexpectedResponse, a.status)
	}
	return a, nil
}
