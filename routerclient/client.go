// Package routerclient talks to DrayTek Vigor routers running DrayOS 4 over
// their web interface: probe, login with an optional TOTP code, management
// settings through the Management page or the web console, reboot, clock
// check, firmware advice, audit and hardening. Every name the protocol
// document (drayos-web.md) marks as assumed comes from a Profile.
package routerclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
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

// request is one exchange with the router, described before it is sent so
// that the capture can redact it.
type request struct {
	method string
	path   string      // absolute path or absolute URL on the same router
	query  [][2]string // sent in this order
	form   string      // encoded body for POST
	cookie string
	limit  int // the largest answer accepted; 0 means maxBody
}

// answer is a router's reply with its body already read.
type answer struct {
	status   int
	header   http.Header
	body     string   // the answer as text, invalid UTF-8 replaced
	raw      []byte   // the answer as received
	location *url.URL // resolved redirect target, nil when none
	url      *url.URL
}

func (a *answer) redirect() bool { return a.status >= 300 && a.status < 400 && a.location != nil }

// newRequest resolves the path against the base URL and builds the request.
func (c *Client) newRequest(ctx context.Context, r request) (*http.Request, error) {
	ref, err := url.Parse(r.path)
	if err != nil {
		return nil, fmt.Errorf("%w: bad path %q", ErrUnexpectedResponse, r.path)
	}
	base := c.baseURL()
	u := base.ResolveReference(ref)
	if !strings.EqualFold(u.Host, base.Host) || u.Scheme != base.Scheme {
		return nil, fmt.Errorf("%w: the router sent the client to another address", ErrUnexpectedResponse)
	}
	if len(r.query) > 0 {
		u.RawQuery = mergeQuery(u.RawQuery, r.query)
	}
	var body io.Reader
	if r.method == http.MethodPost {
		body = strings.NewReader(r.form)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u.String(), body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", "Gatekey")
	if r.method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if r.cookie != "" {
		req.Header.Set("Cookie", r.cookie)
	}
	return req, nil
}

// do sends one request and reads the answer, bounded in size and time. It
// never follows redirects and never retries.
func (c *Client) do(parent context.Context, r request) (*answer, error) {
	ctx := parent
	if c.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	req, err := c.newRequest(ctx, r)
	if err != nil {
		return nil, err
	}
	c.requests.Add(1)
	start := time.Now()
	resp, err := c.hc.Do(req)
	if err != nil {
		err = c.classify(parent, ctx, r, err)
		c.capture.record(c, r, nil, err, time.Since(start))
		return nil, err
	}
	defer resp.Body.Close()
	limit := r.limit
	if limit <= 0 {
		limit = maxBody
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, int64(limit)+1))
	if err != nil {
		err = c.classify(parent, ctx, r, err)
		c.capture.record(c, r, nil, err, time.Since(start))
		return nil, err
	}
	if len(data) > limit {
		return nil, fmt.Errorf("%w: %s answered more than %d bytes", ErrUnexpectedResponse, sanitizePath(r.path), limit)
	}
	a := &answer{status: resp.StatusCode, header: resp.Header, raw: data, body: string(bytes.ToValidUTF8(data, []byte("\uFFFD"))), url: req.URL}
	if loc := resp.Header.Get("Location"); loc != "" {
		if l, err := req.URL.Parse(strings.TrimSpace(loc)); err == nil {
			a.location = l
		}
	}
	c.capture.record(c, r, a, nil, time.Since(start))
	return a, nil
}

// classify turns a transport error into one of the package's errors,
// without the URL (it may carry the session token).
func (c *Client) classify(parent, ctx context.Context, r request, err error) error {
	if parent.Err() != nil {
		return parent.Err() // the caller's context wins over the transport's error
	}
	if ctx.Err() != nil {
		return fmt.Errorf("%w: no answer from %s within %s", ErrUnreachable, c.baseURL().Host, c.timeout)
	}
	var changed *CertificateChangedError
	if errors.As(err, &changed) {
		return changed
	}
	var notPinned *NotPinnedError
	if errors.As(err, &notPinned) {
		return notPinned
	}
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err // drop the URL: it may hold the token
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return fmt.Errorf("%w: %s: %w", ErrUnreachable, c.baseURL().Host, err)
	}
	// net/http reports a connection closed before any answer as EOF, a
	// reset, or (unexported) "server closed idle connection".
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) ||
		strings.Contains(err.Error(), "server closed idle connection") {
		// The router accepted the connection and closed it: a WAN listener
		// for a service that management policy does not allow (§3.6).
		return fmt.Errorf("%w (%s %s closed the connection)", ErrRefused, r.method, sanitizePath(r.path))
	}
	return fmt.Errorf("%w: %s %s: %w", ErrUnreachable, r.method, sanitizePath(r.path), err)
}

func encodePairs(pairs [][2]string) string {
	var b strings.Builder
	for i, kv := range pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(kv[0]))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(kv[1]))
	}
	return b.String()
}

// sanitizeURL drops the query and user info, which may carry secrets.
func sanitizeURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	cp := *u
	cp.User, cp.RawQuery, cp.Fragment = nil, "", ""
	return cp.String()
}

func sanitizePath(p string) string {
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		return p[:i]
	}
	return p
}

// samePath compares a redirect target's path with a page path, ignoring case.
func samePath(u *url.URL, path string) bool {
	return u != nil && strings.EqualFold(strings.TrimSuffix(u.Path, "/"), strings.TrimSuffix(path, "/"))
}

// mergeQuery adds pairs to a raw query, replacing keys it already has, so
// that following a redirect never sends a name twice.
func mergeQuery(raw string, pairs [][2]string) string {
	var kept []string
	for _, part := range strings.Split(raw, "&") {
		k, _, _ := strings.Cut(part, "=")
		if part == "" {
			continue
		}
		dup := false
		for _, kv := range pairs {
			if uk, err := url.QueryUnescape(k); err == nil && strings.EqualFold(uk, kv[0]) {
				dup = true
			}
		}
		if !dup {
			kept = append(kept, part)
		}
	}
	if add := encodePairs(pairs); add != "" {
		kept = append(kept, add)
	}
	return strings.Join(kept, "&")
}
