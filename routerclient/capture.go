package routerclient

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"
)

// Capture records one session's requests and answers as JSON lines, with
// every credential, cookie, token and code redacted, so that a person with
// a real router can see where it differs from the profile
// (`gatekey router capture`). Redaction works on two levels: by field name
// (user, password, token and code fields, Cookie and Set-Cookie values) and
// by value (every secret the client knows, in plain, base64 and URL-escaped
// form, wherever it appears, including page bodies).
type Capture struct {
	mu      sync.Mutex
	w       io.Writer
	secrets map[string]bool
	err     error
}

// CaptureEntry is one line of a capture file.
type CaptureEntry struct {
	Time          time.Time           `json:"time"`
	Method        string              `json:"method"`
	Path          string              `json:"path"`
	Query         [][2]string         `json:"query,omitempty"`
	Form          [][2]string         `json:"form,omitempty"`
	RequestCookie string              `json:"request_cookie,omitempty"`
	Status        int                 `json:"status,omitempty"`
	Headers       map[string][]string `json:"headers,omitempty"`
	Body          string              `json:"body,omitempty"`
	BodyTruncated bool                `json:"body_truncated,omitempty"`
	Error         string              `json:"error,omitempty"`
	ElapsedMillis int64               `json:"elapsed_ms"`
}

// Redacted replaces every secret in a capture.
const Redacted = "[redacted]"

const maxCaptureBody = 256 << 10

// NewCapture records to w; pass it to New with WithCapture.
func NewCapture(w io.Writer) *Capture { return &Capture{w: w, secrets: map[string]bool{}} }

// Err returns the first error writing the capture.
func (c *Capture) Err() error {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// addSecrets registers values to redact wherever they appear, with their
// base64 and URL-escaped forms.
func (c *Capture) addSecrets(values ...string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, v := range values {
		if v == "" {
			continue
		}
		b64 := base64.StdEncoding.EncodeToString([]byte(v))
		for _, form := range []string{v, b64, url.QueryEscape(v), url.QueryEscape(b64)} {
			c.secrets[form] = true
		}
	}
}

func (c *Capture) scrub(s string) string {
	if s == "" || len(c.secrets) == 0 {
		return s
	}
	list := make([]string, 0, len(c.secrets))
	for k := range c.secrets {
		list = append(list, k)
	}
	// Longest first, so that a secret inside another is not half-replaced.
	sort.Slice(list, func(i, j int) bool { return len(list[i]) > len(list[j]) })
	pairs := make([]string, 0, 2*len(list))
	for _, k := range list {
		pairs = append(pairs, k, Redacted)
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

func (c *Capture) scrubPairs(pairs [][2]string, secretKeys map[string]bool) [][2]string {
	out := make([][2]string, len(pairs))
	for i, kv := range pairs {
		v := kv[1]
		if secretKeys[strings.ToLower(kv[0])] && v != "" {
			v = Redacted
		}
		out[i] = [2]string{kv[0], c.scrub(v)}
	}
	return out
}

func (c *Capture) record(cl *Client, r request, a *answer, err error, elapsed time.Duration) {
	if c == nil {
		return
	}
	p := cl.profile
	secretKeys := map[string]bool{}
	for _, k := range []string{p.UserField, p.PasswordField, p.TokenField, p.TOTPField, p.AdminPage.OldPasswordField,
		p.AdminPage.NewPasswordField, p.AdminPage.ConfirmPasswordField, p.AdminPage.TOTPSecretField, p.AdminPage.TOTPCodeField} {
		if k != "" {
			secretKeys[strings.ToLower(k)] = true
		}
	}
	path, rawQuery, _ := strings.Cut(r.path, "?")
	query := r.query
	if rawQuery != "" {
		query = append(splitPairs(rawQuery), query...)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e := CaptureEntry{
		Time: time.Now().UTC(), Method: r.method, Path: c.scrub(path),
		Query: c.scrubPairs(query, secretKeys), Form: c.scrubPairs(splitPairs(r.form), secretKeys),
		ElapsedMillis: elapsed.Milliseconds(),
	}
	if r.cookie != "" {
		e.RequestCookie = redactCookieValues(r.cookie)
	}
	if err != nil {
		e.Error = c.scrub(err.Error())
	}
	if a != nil {
		e.Status = a.status
		e.Headers = map[string][]string{}
		for k, vs := range a.header {
			for _, v := range vs {
				if strings.EqualFold(k, "Set-Cookie") {
					v = redactSetCookie(v)
				}
				e.Headers[k] = append(e.Headers[k], c.scrub(v))
			}
		}
		e.Body, e.BodyTruncated = c.captureBody(a)
	}
	line, jerr := json.Marshal(e)
	if jerr == nil {
		_, jerr = c.w.Write(append(line, '\n'))
	}
	if jerr != nil && c.err == nil {
		c.err = jerr
	}
}

// captureBody is an answer's body as the capture keeps it: files to
// download (a configuration backup holds every password of the router)
// and pictures are left out, text is scrubbed and bounded.
func (c *Capture) captureBody(a *answer) (string, bool) {
	disp, _, _ := mime.ParseMediaType(a.header.Get("Content-Disposition"))
	ctype, _, _ := mime.ParseMediaType(a.header.Get("Content-Type"))
	if strings.EqualFold(disp, "attachment") || strings.HasPrefix(ctype, "image/") || strings.HasPrefix(ctype, "application/octet-stream") {
		return fmt.Sprintf("[%d bytes of %s left out]", len(a.raw), cmpOr(ctype, "data")), false
	}
	body := a.body
	truncated := len(body) > maxCaptureBody
	if truncated {
		body = body[:maxCaptureBody]
	}
	return c.scrub(body), truncated
}

// splitPairs decodes a form or query into pairs, keeping order; an
// undecodable pair is kept as written so the capture shows it.
func splitPairs(s string) [][2]string {
	var out [][2]string
	for _, part := range strings.Split(s, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		if uk, err := url.QueryUnescape(k); err == nil {
			k = uk
		}
		if uv, err := url.QueryUnescape(v); err == nil {
			v = uv
		}
		out = append(out, [2]string{k, v})
	}
	return out
}

func redactCookieValues(cookie string) string {
	parts := strings.Split(cookie, ";")
	for i, part := range parts {
		if k, _, ok := strings.Cut(strings.TrimSpace(part), "="); ok {
			parts[i] = k + "=" + Redacted
		}
	}
	return strings.Join(parts, "; ")
}

func redactSetCookie(v string) string {
	first, rest, _ := strings.Cut(v, ";")
	if k, _, ok := strings.Cut(first, "="); ok {
		first = k + "=" + Redacted
	}
	if rest != "" {
		return first + ";" + rest
	}
	return first
}
