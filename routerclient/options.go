package routerclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient uses hc's transport settings (dialer, timeouts). Its TLS
// verification, proxy and redirect policy are replaced: the client pins
// certificates itself, uses a proxy only as WithProxy says, and reads every
// redirect. A transport other than *http.Transport cannot pin and is refused.
func WithHTTPClient(hc *http.Client) Option { return func(c *Client) { c.userHC = hc } }

// WithProxy sends HTTPS requests through the proxy at proxyURL (http://,
// https:// or socks5://); the router's certificate is still pinned end to
// end. Plain-HTTP requests never use a proxy: they carry the password in
// base64, and a proxy would see it. Without this option no proxy is used,
// whatever HTTP_PROXY or HTTPS_PROXY say, because an environment meant for
// web browsing should not silently route router administration.
func WithProxy(proxyURL string) Option {
	return func(c *Client) {
		u, err := url.Parse(strings.TrimSpace(proxyURL))
		if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "socks5") {
			c.err = fmt.Errorf("WithProxy: want http://HOST:PORT, https://HOST:PORT or socks5://HOST:PORT")
			return
		}
		c.proxy = u
	}
}

// WithAdvice uses these firmware advice tables (see LoadAdvice) instead of
// the embedded ones.
func WithAdvice(t *AdviceTables) Option { return func(c *Client) { c.adviceTab = t } }

// WithTimeout bounds each request (default 15 s).
func WithTimeout(d time.Duration) Option { return func(c *Client) { c.timeout = d } }

// WithProfile replaces the built-in drayos4 profile. The client keeps its
// own copy, so one profile can serve many clients at once.
func WithProfile(p *Profile) Option {
	return func(c *Client) {
		if p == nil {
			c.err = errors.New("WithProfile: nil profile")
			return
		}
		data, err := json.Marshal(p)
		if err != nil {
			c.err = fmt.Errorf("%w: %w", ErrBadProfile, err)
			return
		}
		c.profile, c.err = decodeProfile(bytes.NewReader(data), &Profile{})
	}
}

// WithPin trusts the certificate whose key has this fingerprint (any form
// ParseFingerprint accepts).
func WithPin(fingerprint string) Option {
	return func(c *Client) {
		fp, err := ParseFingerprint(fingerprint)
		if err != nil {
			c.err = err
		}
		c.pin = fp
	}
}

// WithPlainHTTP allows logging in over http://. Without it a login to an
// http:// URL is refused before anything secret is sent.
func WithPlainHTTP() Option { return func(c *Client) { c.allowHTTP = true } }

// WithClock injects the clock used to choose TOTP time steps and to wait;
// sleep must return early with ctx.Err() when ctx ends.
func WithClock(now func() time.Time, sleep func(context.Context, time.Duration) error) Option {
	return func(c *Client) { c.now, c.sleep = now, sleep }
}

// WithStepStore keeps the last TOTP time step sent to each router in the
// caller's store, so that the rule "never the same step twice" holds across
// clients.
func WithStepStore(s StepStore) Option { return func(c *Client) { c.steps = s } }

// WithCapture records every request and answer, redacted, to cap.
func WithCapture(cap *Capture) Option { return func(c *Client) { c.capture = cap } }
