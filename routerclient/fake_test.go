package routerclient

import (
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// fakeRouter serves pages written from drayos-web.md for the odd answers
// the simulator does not give: the documented login, fid navigation to
// /doc/ pages, and a hook for everything else. Every POST body is kept as
// sent, so that tests can look at repeated fields.
type fakeRouter struct {
	srv       *httptest.Server
	loginPage string
	fids      map[string]string // fid -> /doc/ page name
	docs      map[string]string // /doc/ page name -> body
	// handle answers what the rest does not; it returns false for 404.
	handle func(w http.ResponseWriter, r *http.Request, body string) bool

	mu     sync.Mutex
	posts  []string // raw POST bodies in order, login excluded
	logins []string // raw login bodies
	paths  []string // every request path in order
	token  string   // the sFormAuthStr of the last login
}

const fakeLoginPage = `<html><head><title>Vigor Login Page</title><script>var s={fwver:"4.4.5.8"};</script></head>
<body><h1>Vigor2865</h1><form action="/cgi-bin/wlogin.cgi" method="post"><input name=sUserName><input type=password name=sSysPass>
<input type=hidden name=aa><input type=hidden name=ab><input type=hidden name=sFormAuthStr><input type=button id=btnOk name=btnOk value=Login></form></body></html>`

func newFakeRouter(t testing.TB) *fakeRouter {
	f := &fakeRouter{loginPage: fakeLoginPage, fids: map[string]string{}, docs: map[string]string{}}
	f.srv = httptest.NewTLSServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeRouter) client(t testing.TB, opts ...Option) *Client {
	t.Helper()
	c, err := New(f.srv.URL, append([]Option{WithPin(Fingerprint(f.srv.Certificate()))}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (f *fakeRouter) serve(w http.ResponseWriter, r *http.Request) {
	data, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	body := string(data)
	path := strings.ToLower(r.URL.Path)
	f.mu.Lock()
	f.paths = append(f.paths, path)
	switch {
	case path == "/cgi-bin/wlogin.cgi":
		f.logins = append(f.logins, body)
		for _, kv := range splitPairs(body) {
			if kv[0] == "sFormAuthStr" {
				f.token = kv[1]
			}
		}
	case r.Method == http.MethodPost:
		f.posts = append(f.posts, body)
	}
	f.mu.Unlock()
	switch {
	case path == "/weblogin.htm":
		io.WriteString(w, f.loginPage)
	case path == "/cgi-bin/wlogin.cgi":
		http.SetCookie(w, &http.Cookie{Name: "SESSION_ID_VIGOR", Value: "fakesession"})
		http.Redirect(w, r, "/", http.StatusFound)
	case path == "/cgi-bin/v2x00.cgi" && r.Method == http.MethodGet && f.fids[r.URL.Query().Get("fid")] != "":
		http.Redirect(w, r, "/doc/"+f.fids[r.URL.Query().Get("fid")], http.StatusFound)
	case strings.HasPrefix(path, "/doc/") && f.docs[strings.TrimPrefix(path, "/doc/")] != "":
		io.WriteString(w, f.docs[strings.TrimPrefix(path, "/doc/")])
	case f.handle != nil && f.handle(w, r, body):
	default:
		http.NotFound(w, r)
	}
}

// lastPost returns the last POST body other than a login.
func (f *fakeRouter) lastPost() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.posts) == 0 {
		return ""
	}
	return f.posts[len(f.posts)-1]
}

// fieldCount counts the occurrences of a field in a raw form body.
func fieldCount(body, name string) int {
	n := 0
	for _, kv := range splitPairs(body) {
		if strings.EqualFold(kv[0], name) {
			n++
		}
	}
	return n
}

// fakeManagement is a Management page (drayos-web.md §4.1) kept as field
// values: check boxes hold "1" or "", other fields their text. Its save
// reads the first occurrence of each field, as the router's parser does,
// and refuses a post whose first sFormAuthStr is not the session's token.
type fakeManagement struct {
	mu    sync.Mutex
	vals  map[string]string
	boxes []string // check box names in page order
	texts []string // text field names in page order
}

var fakeBoxes = []string{"sRMC", "sRMCFtp", "sRMCHttp", "iRMCHsfrc", "sRMCHttps", "sRMCTelnet", "sRMCTr069", "sRMCSsh", "sRMCSnmp", "sWPing",
	"iBrEn", "iBrFtp", "iBrHttp", "iBrHttps", "iBrTelnet", "iBrTr069", "iBrSsh", "enTLSv1_2", "enTLSv1_1", "enTLSv1", "enSSLv3"}

var fakeIPv6Boxes = []string{"sIp6RMC", "sIp6Http", "sIp6Https", "sIp6Telnt", "sIp6Ssh", "sIp6Snmp", "sIp6Ping"}

func newFakeManagement(ipv6 bool) *fakeManagement {
	m := &fakeManagement{vals: map[string]string{"sRMCHttps": "1", "enTLSv1_2": "1", "iLoginFailures": "3", "iPenaltyPeriod": "60",
		"HttpPort": "80", "HttpsPort": "443", "TelnetPort": "23", "txtFtpPort": "21", "txtSshPort": "22", "txtTr069Port": "8069"}}
	m.boxes = append(m.boxes, fakeBoxes...)
	for i := 1; i <= 10; i++ {
		m.texts = append(m.texts, "index"+strconv.Itoa(i))
	}
	if ipv6 {
		m.boxes = append(m.boxes, fakeIPv6Boxes...)
		for i := 1; i <= 10; i++ {
			m.texts = append(m.texts, "v6index"+strconv.Itoa(i))
		}
	}
	m.texts = append(m.texts, "HttpPort", "HttpsPort", "TelnetPort", "txtFtpPort", "txtSshPort", "txtTr069Port", "iLoginFailures", "iPenaltyPeriod")
	return m
}

// page renders the form with a stale hidden token, as a cached page would.
func (m *fakeManagement) page() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var b strings.Builder
	b.WriteString(`<html><title>Management</title><form method=post action="../cgi-bin/acontrol.cgi"><input type=hidden name=sFormAuthStr value="StaleToken12345">`)
	for _, n := range m.boxes {
		b.WriteString(`<input type=checkbox value=1 name=` + n)
		if m.vals[n] == "1" {
			b.WriteString(" checked")
		}
		b.WriteString(">")
	}
	for _, n := range m.texts {
		b.WriteString(`<input name=` + n + ` value="` + html.EscapeString(m.vals[n]) + `">`)
	}
	b.WriteString(`<input type=radio name=ConfigPort value=Default checked><input type=radio name=ConfigPort value=UserDefine></form></html>`)
	return b.String()
}

// save applies a posted body, first occurrence first.
func (m *fakeManagement) save(body, token string) bool {
	first := map[string]string{}
	for _, kv := range splitPairs(body) {
		if _, ok := first[kv[0]]; !ok {
			first[kv[0]] = kv[1]
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if first["sFormAuthStr"] != token {
		return false
	}
	for _, n := range m.boxes {
		m.vals[n] = map[bool]string{true: "1"}[first[n] == "1"]
	}
	for _, n := range m.texts {
		m.vals[n] = first[n]
	}
	return true
}

// serveManagement wires the page and its save into a fake router.
func (f *fakeRouter) serveManagement(m *fakeManagement) {
	f.fids["2041"] = "acontrol.sht"
	prev := f.handle
	f.handle = func(w http.ResponseWriter, r *http.Request, body string) bool {
		switch strings.ToLower(r.URL.Path) {
		case "/doc/acontrol.sht":
			io.WriteString(w, m.page())
		case "/cgi-bin/acontrol.cgi":
			f.mu.Lock()
			token := f.token
			f.mu.Unlock()
			if !m.save(body, token) {
				http.Redirect(w, r, "/weblogin.htm", http.StatusFound)
				return true
			}
			http.Redirect(w, r, "/doc/acontrol.sht", http.StatusFound)
		default:
			return prev != nil && prev(w, r, body)
		}
		return true
	}
}
