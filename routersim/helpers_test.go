package routersim

import (
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// fakeClock is a real-clock stand-in that tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Now()} }

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

func (f *fakeClock) Add(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = f.t.Add(d)
}

// startRouter starts a router on four random loopback ports, trusting
// X-Sim-Source, with a short reboot.
func startRouter(t *testing.T, o Options) *Router {
	t.Helper()
	for _, a := range []*string{&o.LANHTTP, &o.LANHTTPS, &o.WANHTTP, &o.WANHTTPS} {
		if *a == "" {
			*a = "127.0.0.1:0"
		}
	}
	if o.RebootDelay == 0 {
		o.RebootDelay = 300 * time.Millisecond
	}
	o.TrustSourceHeader = true
	r, err := Start(t.Context(), o)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// client is a plain net/http client of the router: a cookie jar, trust in
// the router's certificate, redirects not followed so that tests see them.
type client struct {
	t      *testing.T
	base   string
	hc     *http.Client
	token  string
	source string
}

func newClient(t *testing.T, r *Router, base string) *client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(r.Certificate())
	return &client{t: t, base: base, hc: &http.Client{
		Jar:       jar,
		Timeout:   10 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}},
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}}
}

// reply is a read response.
type reply struct {
	status int
	loc    string
	header http.Header
	body   string
}

// try sends a request and returns the transport error instead of failing.
func (c *client) try(method, path string, form url.Values) (reply, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		return reply{}, err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if c.source != "" {
		req.Header.Set(SourceHeader, c.source)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return reply{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return reply{}, err
	}
	return reply{status: resp.StatusCode, loc: resp.Header.Get("Location"), header: resp.Header, body: string(b)}, nil
}

func (c *client) get(path string) reply {
	c.t.Helper()
	rep, err := c.try(http.MethodGet, path, nil)
	if err != nil {
		c.t.Fatalf("GET %s: %v", path, err)
	}
	return rep
}

func (c *client) post(path string, form url.Values) reply {
	c.t.Helper()
	rep, err := c.try(http.MethodPost, path, form)
	if err != nil {
		c.t.Fatalf("POST %s: %v", path, err)
	}
	return rep
}

// newToken makes up an sFormAuthStr as clients do: 15 characters of
// [A-Za-z0-9].
func newToken() string {
	const a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 15)
	rand.Read(b)
	for i := range b {
		b[i] = a[int(b[i])%len(a)]
	}
	return string(b)
}

// loginForm is the wlogin.cgi body a browser sends.
func loginForm(user, pass, token string) url.Values {
	f := url.Values{
		"aa":           {base64.StdEncoding.EncodeToString([]byte(user))},
		"ab":           {base64.StdEncoding.EncodeToString([]byte(pass))},
		"sFormAuthStr": {token},
		"sslgroup":     {"-1"},
	}
	for _, o := range []string{"obj3", "obj4", "obj5", "obj6", "obj7"} {
		f.Set(o, "")
	}
	return f
}

// login posts wlogin.cgi; extra fields (such as the TOTP code) are added.
func (c *client) login(user, pass string, extra url.Values) reply {
	c.t.Helper()
	c.token = newToken()
	f := loginForm(user, pass, c.token)
	for k, v := range extra {
		f[k] = v
	}
	return c.post("/cgi-bin/wlogin.cgi", f)
}

// mustLogin logs in and fails the test unless it succeeded.
func (c *client) mustLogin(user, pass string, extra url.Values) {
	c.t.Helper()
	rep := c.login(user, pass, extra)
	if rep.status != http.StatusFound || rep.loc != "/" {
		c.t.Fatalf("login: got %d to %q, want 302 to /", rep.status, rep.loc)
	}
}

// page navigates with fid and returns the /doc/ page it leads to.
func (c *client) page(fid string) reply {
	c.t.Helper()
	nav := c.get("/cgi-bin/v2x00.cgi?sFormAuthStr=" + c.token + "&fid=" + fid)
	if nav.status != http.StatusFound || !strings.HasPrefix(nav.loc, "/doc/") {
		c.t.Fatalf("navigating to fid %s: got %d to %q", fid, nav.status, nav.loc)
	}
	rep := c.get(nav.loc)
	if rep.status != http.StatusOK {
		c.t.Fatalf("GET %s: status %d", nav.loc, rep.status)
	}
	return rep
}

// console runs a web console command.
func (c *client) console(cmd string) string {
	c.t.Helper()
	rep := c.post("/cgi-bin/v2x00.cgi", url.Values{"fid": {"310"}, "cmd": {cmd}, "sFormAuthStr": {c.token}})
	if rep.status != http.StatusOK {
		c.t.Fatalf("console %q: status %d", cmd, rep.status)
	}
	return rep.body
}

// codeAt is the router's TOTP code at t, computed with the otp library.
func codeAt(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	code, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	return code
}
