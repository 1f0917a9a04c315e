package routerclient

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// ProbeResult is what a router shows before login. Its JSON form is the
// `gatekey router probe --json` object of CLI.md.
type ProbeResult struct {
	URL             string `json:"url"`
	Family          Family `json:"family"`
	Model           string `json:"model"`
	Firmware        string `json:"firmware"`
	TOTPOnLoginPage bool   `json:"totp_on_login_page"`
	// ValidationCode: the login page shows a validation code (CAPTCHA);
	// Gatekey's command line will not log in until it is turned off.
	ValidationCode bool    `json:"validation_code"`
	Fingerprint    *string `json:"fingerprint"` // nil over plain HTTP
	Supported      bool    `json:"supported"`
	Reason         string  `json:"reason,omitempty"` // why it is not supported
}

// Probe reads a router's login page without credentials and reports its
// family, model, firmware, whether it asks for a code and, over HTTPS, the
// fingerprint of its key. With no pin among opts any certificate is
// accepted for this one page, since nothing secret is sent; with a pin a
// different key is still an error carrying both fingerprints.
func Probe(ctx context.Context, rawURL string, opts ...Option) (*ProbeResult, error) {
	c, err := New(rawURL, append(opts, func(c *Client) { c.probeOnly = true })...)
	if err != nil {
		return nil, err
	}
	return c.Probe(ctx)
}

// Probe reads the router's login page without credentials.
func (c *Client) Probe(ctx context.Context) (*ProbeResult, error) {
	lp, a, err := c.fetchLoginPage(ctx)
	if err != nil {
		return nil, err
	}
	res := &ProbeResult{
		URL:             c.URL(),
		Family:          lp.Family,
		Model:           lp.Model,
		Firmware:        lp.Firmware,
		TOTPOnLoginPage: lp.TOTPField != "",
		ValidationCode:  lp.Captcha != nil,
		Supported:       lp.Family == FamilyDrayOS4,
		Reason:          lp.Reason,
	}
	if a.url.Scheme == "https" {
		fp := c.PresentedFingerprint()
		res.Fingerprint = &fp
	}
	return res, nil
}

// DisplayModel returns the model, or ModelUnknown when the login page did
// not show it.
func (r *ProbeResult) DisplayModel() string {
	if r.Model == "" {
		return ModelUnknown
	}
	return r.Model
}

// fetchLoginPage gets the login page, resolving the scheme first: a router
// that redirects http to https would drop a POST body, so the client moves
// its base URL to the redirect target before anything is posted (§2).
func (c *Client) fetchLoginPage(ctx context.Context) (loginPage, *answer, error) {
	path := c.profile.LoginPage
	for hops := 0; ; hops++ {
		a, err := c.do(ctx, request{method: http.MethodGet, path: path, cookie: c.preLoginCookie()})
		if err != nil {
			return loginPage{}, nil, err
		}
		c.rememberLoginCookies(a.header)
		if c.isBlocked(a) {
			return loginPage{}, nil, ErrBlocked
		}
		if a.redirect() && hops < 2 {
			loc := a.location
			base := c.baseURL()
			if !strings.EqualFold(loc.Host, base.Host) || loc.Scheme != base.Scheme {
				if loc.Scheme != "https" || !sameHostname(loc.Host, base.Host) {
					return loginPage{}, nil, fmt.Errorf("%w: the login page redirects to another host", ErrUnexpectedResponse)
				}
				// Enforce HTTPS: follow to https on the same host.
				c.mu.Lock()
				c.base = &url.URL{Scheme: "https", Host: loc.Host, Path: "/"}
				c.mu.Unlock()
			}
			path = loc.RequestURI()
			continue
		}
		if a.status != http.StatusOK {
			return loginPage{}, nil, fmt.Errorf("%w: the login page answered HTTP %d", ErrUnexpectedResponse, a.status)
		}
		return parseLoginPage(a.body, a.header, c.profile), a, nil
	}
}

func (c *Client) isBlocked(a *answer) bool {
	return a.status == c.profile.BlockedStatus && strings.Contains(strings.ToLower(a.body), strings.ToLower(c.profile.BlockedMarker))
}

func sameHostname(a, b string) bool {
	return strings.EqualFold(hostOnly(a), hostOnly(b))
}

func hostOnly(h string) string {
	if i := strings.LastIndexByte(h, ':'); i >= 0 && !strings.Contains(h[i:], "]") {
		return h[:i]
	}
	return h
}
