// Package routerclient talks to DrayTek Vigor routers running DrayOS 4 over
// their web interface: probe, login with an optional TOTP code (and the
// typed characters of a validation picture), management settings for IPv4
// and IPv6 through the Management page or the web console, the IP objects
// the access list points at, configuration backup, the administrator
// password, reboot, clock check, firmware advice, audit and hardening.
// Every name the protocol document (drayos-web.md) marks as assumed comes
// from a Profile.
package routerclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// maxBody bounds every answer read from a router; router pages are a few
// hundred kilobytes at most.
const maxBody = 4 << 20

// Client reaches one router. It holds no session; Login returns one.
// A Client is safe for concurrent use.
type Client struct {
	base      *url.URL
	hc        *http.Client
	profile   *Profile
	pin       string
	allowHTTP bool
	probeOnly bool
	timeout   time.Duration
	now       func() time.Time
	sleep     func(context.Context, time.Duration) error
	steps     StepStore
	capture   *Capture
	userHC    *http.Client
	proxy     *url.URL // HTTPS requests only; nil means direct
	adviceTab *AdviceTables

	requests atomic.Int64

	mu           sync.Mutex
	presented    string
	loginCookies string       // cookies set before login (validation code)
	pending      *pendingPage // the page a validation picture came from
	err          error        // an option's error, reported by New
}

// New returns a client for the router at baseURL (scheme and host; a path
// is ignored because DrayOS serves its interface from the root).
func New(baseURL string, opts ...Option) (*Client, error) {
	u, err := url.Parse(strings.TrimSpace(baseURL))
	if err != nil {
		return nil, fmt.Errorf("router URL: %w", err)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("router URL %q: want http://HOST[:PORT] or https://HOST[:PORT]", sanitizeURL(u))
	}
	if u.User != nil {
		return nil, errors.New("router URL: put credentials in the login, not in the URL")
	}
	c := &Client{
		base:    &url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/"},
		timeout: 15 * time.Second,
		now:     time.Now,
		sleep:   sleepContext,
		steps:   NewMemoryStepStore(),
	}
	for _, o := range opts {
		o(c)
	}
	if c.err != nil {
		return nil, c.err
	}
	if c.profile == nil {
		c.profile = DefaultProfile()
	}
	if c.hc, err = c.buildHTTPClient(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Client) buildHTTPClient() (*http.Client, error) {
	var tr *http.Transport
	switch {
	case c.userHC == nil || c.userHC.Transport == nil:
		tr = http.DefaultTransport.(*http.Transport).Clone()
	default:
		t, ok := c.userHC.Transport.(*http.Transport)
		if !ok {
			return nil, errors.New("WithHTTPClient: the transport must be an *http.Transport so that certificates can be pinned")
		}
		tr = t.Clone()
	}
	tr.TLSClientConfig = c.tlsConfig()
	tr.Proxy = c.proxyFor
	// One connection per router is what a browser session uses; the router
	// serves one web session at a time anyway.
	tr.MaxConnsPerHost = 2
	return &http.Client{
		Transport: tr,
		// Every redirect carries meaning (login success, expired session,
		// saved form), so the client reads them itself.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}, nil
}

// proxyFor is the transport's proxy policy: the explicit proxy for HTTPS,
// nothing else (see WithProxy).
func (c *Client) proxyFor(req *http.Request) (*url.URL, error) {
	if c.proxy != nil && req.URL.Scheme == "https" {
		return c.proxy, nil
	}
	return nil, nil
}

// URL returns the router's base URL; after a redirect to HTTPS it is the
// HTTPS one.
func (c *Client) URL() string { return c.baseURL().String() }

func (c *Client) baseURL() *url.URL {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.base
}

// advice returns the firmware advice tables in use.
func (c *Client) advice() *AdviceTables {
	if c.adviceTab == nil {
		return EmbeddedAdvice()
	}
	return c.adviceTab
}

// Profile returns the profile in use.
func (c *Client) Profile() *Profile { return c.profile }

// Requests returns how many HTTP requests the client has sent.
func (c *Client) Requests() int64 { return c.requests.Load() }

func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
