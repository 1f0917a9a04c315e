package app

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/gatekey/gatekey/routerclient"
)

// ErrCodeNeeded means the router's login page asks for a TOTP code but no
// vault account is linked to supply it.
var ErrCodeNeeded = errors.New("the router's login page asks for a TOTP code, and no authenticator account is linked to it")

// NewRouter is what adding a router collects, from the Add router form or
// the command line's flags. Fingerprint is the one the person accepted
// after the probe ("" over plain HTTP).
type NewRouter struct {
	Name, URL, User string
	// WANURL is where the person reaches the router from the Internet;
	// empty when unknown.
	WANURL   string
	Password string
	// Fingerprint is the certificate fingerprint the person accepted.
	Fingerprint string
	// TOTP is the uuid of the vault account whose codes the router asks
	// for; empty for none.
	TOTP string
	// Profile is a router profile override file; empty for the built-in.
	Profile string
	// InsecureHTTP allows plain HTTP to an address outside the private
	// networks: the person insisted.
	InsecureHTTP bool
}

// Check validates what was typed before anything is sent.
func (n NewRouter) Check() error {
	if strings.TrimSpace(n.Name) == "" {
		return badInput("give the router a name")
	}
	if err := checkURL(n.URL); err != nil {
		return err
	}
	if n.WANURL != "" {
		if err := checkURL(n.WANURL); err != nil {
			return err
		}
	}
	if PlainHTTPToInternet(n.URL) && !n.InsecureHTTP {
		return routerclient.ErrPlainHTTP
	}
	if n.User == "" || n.Password == "" {
		return badInput("the router's username and password are needed")
	}
	if n.Profile != "" {
		if _, err := LoadProfileFile(n.Profile); err != nil {
			return err
		}
	}
	return nil
}

func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return badInput(fmt.Sprintf("%q is not an http:// or https:// address", raw))
	}
	return nil
}

// ProbeProblem says why a probed router cannot be added as it is: not a
// supported family, or a login page that asks for a code while no account
// is linked. It returns nil when nothing stands in the way.
func ProbeProblem(p *ProbeResult, totpLinked bool) error {
	if !p.Supported {
		return fmt.Errorf("%s: %w: %s", DescribeProbe(p), routerclient.ErrNotSupported, p.Reason)
	}
	if p.TOTPOnLoginPage && !totpLinked {
		return ErrCodeNeeded
	}
	return nil
}

// Add saves a router after one login that checks the credentials: the
// password goes to the keychain, the record to routers.json, and nothing
// is kept when the login fails.
func (s *RouterService) Add(ctx context.Context, n NewRouter) error {
	if err := n.Check(); err != nil {
		return err
	}
	rs, err := s.Records()
	if err != nil {
		return err
	}
	r := Router{Name: strings.TrimSpace(n.Name), URL: n.URL, WANURL: n.WANURL, User: n.User,
		Fingerprint: n.Fingerprint, TOTP: n.TOTP, Profile: n.Profile, PlainHTTP: isPlainHTTP(n.URL)}
	// The record goes first because the TOTP step store lives in it.
	if err := rs.Add(r, n.Password); err != nil {
		return err
	}
	if err := s.TestLogin(ctx, r.Name); err != nil {
		_ = rs.Remove(r.Name)
		s.forgetLearnt(r.Name)
		return err
	}
	return nil
}

// Forget removes a router's record and its keychain entry. The linked
// vault account stays: it may still be needed to log into the router.
func (s *RouterService) Forget(name string) error {
	rs, err := s.Records()
	if err != nil {
		return err
	}
	if err := rs.Remove(name); err != nil {
		return err
	}
	s.forgetLearnt(name)
	return nil
}

// SetWANURL records where the person reaches the router from outside.
// allowPlainHTTP says the person insisted on plain HTTP to it although the
// password then crosses the Internet; it is remembered with this address
// only, and ignored where it is not needed.
func (s *RouterService) SetWANURL(name, wanURL string, allowPlainHTTP bool) error {
	if wanURL != "" {
		if err := checkURL(wanURL); err != nil {
			return err
		}
	}
	return s.update(name, func(r *Router) {
		r.WANURL, r.WANPlainHTTP = wanURL, allowPlainHTTP && PlainHTTPToInternet(wanURL)
	})
}

// WebURL is the router's web interface, for the browser.
func (s *RouterService) WebURL(name string) (string, error) {
	r, err := s.Get(name)
	return r.URL, err
}
