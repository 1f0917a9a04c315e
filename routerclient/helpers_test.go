package routerclient

import (
	"context"
	"encoding/base64"
	"testing"
	"time"

	"github.com/gatekey/gatekey/routersim"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// nameVariant is a set of assumed names the simulator may use; the tests
// that touch forms and the TOTP field run against each, to show that the
// client discovers them instead of relying on the profile's defaults.
type nameVariant struct {
	name  string
	names routersim.Names
}

var nameVariants = []nameVariant{
	{"defaults", routersim.Names{}},
	{"other-names", routersim.Names{TOTPField: "loginVerifyPin", CheckboxValue: routersim.CheckboxNoValue}},
	{"checkbox-on", routersim.Names{TOTPField: "obj5", CheckboxValue: "on"}},
}

// startSim starts a router with all four listeners on loopback.
func startSim(t testing.TB, opts routersim.Options) *routersim.Router {
	t.Helper()
	opts.LANHTTP, opts.LANHTTPS = "127.0.0.1:0", "127.0.0.1:0"
	opts.WANHTTP, opts.WANHTTPS = "127.0.0.1:0", "127.0.0.1:0"
	if opts.RebootDelay == 0 {
		opts.RebootDelay = 300 * time.Millisecond
	}
	r, err := routersim.Start(context.Background(), opts)
	if err != nil {
		t.Fatalf("starting the simulator: %v", err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// lanClient returns a client for the simulator's LAN HTTPS URL with its pin.
func lanClient(t testing.TB, r *routersim.Router, opts ...Option) *Client {
	t.Helper()
	c, err := New(r.URLs().LANHTTPS, append([]Option{WithPin(r.Fingerprint())}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func wanClient(t testing.TB, r *routersim.Router, opts ...Option) *Client {
	t.Helper()
	c, err := New(r.URLs().WANHTTPS, append([]Option{WithPin(r.Fingerprint())}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var adminCreds = Credentials{Username: "admin", Password: "admin"}

// codesFor computes codes from a Base32 secret for the time the client asks.
func codesFor(t testing.TB, secret string) CodeSource {
	return func(ctx context.Context, at time.Time) (string, error) {
		return totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	}
}

func login(t testing.TB, c *Client, creds Credentials, codes CodeSource) *Session {
	t.Helper()
	s, err := c.Login(context.Background(), creds, codes)
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	return s
}

// enableInternet turns management from the Internet on with HTTPS only.
func enableInternet(t testing.TB, r *routersim.Router) {
	t.Helper()
	if err := r.Update(func(s *routersim.State) {
		s.Management.Internet = true
		s.Management.HTTPS = true
		s.Management.HTTP = false
	}); err != nil {
		t.Fatal(err)
	}
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
