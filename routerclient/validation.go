package routerclient

import (
	"context"
	"fmt"
	"mime"
	"net/http"
	"strings"
	"time"
)

// The login page's validation code (drayos-web.md §3.2): a picture of
// distorted characters that a person types. Gatekey's command line stops
// before any login when the router shows one; the window shows the picture
// and sends what the person typed with the login. The picture and the
// login must belong together: the router may tie the characters to a
// cookie it set with the page or the picture, and may draw new characters
// each time the page loads. So the client keeps the cookies it received
// before login and sends them with the picture and the login, and a login
// that carries typed characters reuses the page the picture came from.

// maxPicture bounds the validation picture; such pictures are a few
// kilobytes.
const maxPicture = 1 << 20

// pictureLifetime is how long a login may rely on the page a picture came
// from instead of loading the page again.
const pictureLifetime = 5 * time.Minute

// ValidationPicture is the login page's validation-code image.
type ValidationPicture struct {
	Data        []byte
	ContentType string // such as "image/png"
}

// pendingPage is the login page a validation picture came from.
type pendingPage struct {
	page loginPage
	at   time.Time
}

// ValidationPicture fetches the login page and its validation picture, for
// a person to read; the Login that follows (with Credentials.ValidationCode)
// uses the same page and cookies. It fails with ErrUnexpectedResponse when
// the page shows no picture.
func (c *Client) ValidationPicture(ctx context.Context) (*ValidationPicture, error) {
	lp, a, err := c.fetchLoginPage(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the login page: %w", err)
	}
	if lp.Captcha == nil || lp.Captcha.Image == "" {
		return nil, fmt.Errorf("%w: the login page shows no validation picture", ErrUnexpectedResponse)
	}
	src, err := a.url.Parse(lp.Captcha.Image)
	if err != nil {
		return nil, fmt.Errorf("%w: the validation picture's address is not valid", ErrUnexpectedResponse)
	}
	pic, err := c.do(ctx, request{method: http.MethodGet, path: src.String(), cookie: c.preLoginCookie(), limit: maxPicture})
	if err != nil {
		return nil, fmt.Errorf("fetching the validation picture: %w", err)
	}
	c.rememberLoginCookies(pic.header)
	ctype, _, _ := mime.ParseMediaType(pic.header.Get("Content-Type"))
	if pic.status != http.StatusOK || !strings.HasPrefix(ctype, "image/") {
		return nil, fmt.Errorf("%w: the validation picture answered HTTP %d with %q", ErrUnexpectedResponse, pic.status, truncate(ctype, 40))
	}
	c.mu.Lock()
	c.pending = &pendingPage{page: lp, at: c.now()}
	c.mu.Unlock()
	return &ValidationPicture{Data: pic.raw, ContentType: ctype}, nil
}

// loginPageForLogin returns the page a login is about: the one a
// validation picture came from when the login carries typed characters and
// the picture is recent, else a freshly loaded one.
func (c *Client) loginPageForLogin(ctx context.Context, typed bool) (loginPage, error) {
	c.mu.Lock()
	p := c.pending
	c.pending = nil
	c.mu.Unlock()
	if typed && p != nil && c.now().Sub(p.at) < pictureLifetime {
		return p.page, nil
	}
	lp, _, err := c.fetchLoginPage(ctx)
	return lp, err
}

// rememberLoginCookies keeps the cookies an answer before login sets.
func (c *Client) rememberLoginCookies(h http.Header) {
	set := cookiesOf(h)
	if set == "" {
		return
	}
	c.mu.Lock()
	c.loginCookies = mergeCookies(c.loginCookies, set)
	c.mu.Unlock()
	c.capture.addSecrets(cookieValues(set)...)
}

// preLoginCookie is the Cookie header for requests before login.
func (c *Client) preLoginCookie() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.loginCookies
}
