package routerclient

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"
)

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
