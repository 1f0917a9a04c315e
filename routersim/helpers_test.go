package routersim

import (
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
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

var (
	formRE   = regexp.MustCompile(`(?s)<form\b([^>]*)>(.*?)</form>`)
	inputRE  = regexp.MustCompile(`(?s)<input\b([^>]*)>`)
	selectRE = regexp.MustCompile(`(?s)<select\b([^>]*)>(.*?)</select>`)
	optionRE = regexp.MustCompile(`(?s)<option\b([^>]*)>`)
	attrRE   = regexp.MustCompile(`([A-Za-z_:][-A-Za-z0-9_:.]*)(?:\s*=\s*"([^"]*)")?`)
)

func attrs(s string) map[string]string {
	m := map[string]string{}
	for _, a := range attrRE.FindAllStringSubmatch(s, -1) {
		m[strings.ToLower(a[1])] = html.UnescapeString(a[2])
	}
	return m
}

// htmlForm is a form as a browser would submit it without changes.
type htmlForm struct {
	action string
	values url.Values
	// checkboxValue maps each check box to the value it posts when checked.
	checkboxValue map[string]string
}

// readForm returns the first form of page, as a browser would post it.
func readForm(t *testing.T, page string) htmlForm {
	t.Helper()
	return readFormNamed(t, page, "")
}

// readFormNamed returns the form of page with that name attribute (the first
// form for ""), as a browser would post it.
func readFormNamed(t *testing.T, page, name string) htmlForm {
	t.Helper()
	var m []string
	for _, f := range formRE.FindAllStringSubmatch(page, -1) {
		if name == "" || attrs(f[1])["name"] == name {
			m = f
			break
		}
	}
	if m == nil {
		t.Fatalf("no form %q in the page:\n%s", name, page)
	}
	f := htmlForm{action: attrs(m[1])["action"], values: url.Values{}, checkboxValue: map[string]string{}}
	for _, in := range inputRE.FindAllStringSubmatch(m[2], -1) {
		f.addInput(attrs(in[1]))
	}
	for _, s := range selectRE.FindAllStringSubmatch(m[2], -1) {
		name := attrs(s[1])["name"]
		for _, o := range optionRE.FindAllStringSubmatch(s[2], -1) {
			oa := attrs(o[1])
			if _, sel := oa["selected"]; sel {
				f.values.Set(name, oa["value"])
			}
		}
	}
	return f
}

// addInput adds one input as a browser would post it unchanged.
func (f htmlForm) addInput(a map[string]string) {
	name := a["name"]
	if name == "" {
		return
	}
	_, checked := a["checked"]
	_, hasValue := a["value"]
	switch a["type"] {
	case "submit":
	case "checkbox":
		v := a["value"]
		if !hasValue {
			v = "on"
		}
		f.checkboxValue[name] = v
		if checked {
			f.values.Set(name, v)
		}
	case "radio":
		if checked {
			f.values.Set(name, a["value"])
		}
	default:
		f.values.Set(name, a["value"])
	}
}

// check sets a check box the way a browser would.
func (f htmlForm) check(t *testing.T, name string, on bool) {
	t.Helper()
	v, ok := f.checkboxValue[name]
	if !ok {
		t.Fatalf("no check box %s in the form", name)
	}
	if on {
		f.values.Set(name, v)
	} else {
		f.values.Del(name)
	}
}

// submit posts the form to its action, resolved against the page URL, with
// the session's token in place of the page's stale copy, as a correct client
// does.
func (c *client) submit(pageURL string, f htmlForm) reply {
	c.t.Helper()
	f.values.Set("sFormAuthStr", c.token)
	base, err := url.Parse(pageURL)
	if err != nil {
		c.t.Fatal(err)
	}
	act, err := base.Parse(f.action)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.post(act.RequestURI(), f.values)
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
