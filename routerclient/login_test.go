package routerclient

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/gatekey/gatekey/routersim"
)

func TestLoginLAN(t *testing.T) {
	t.Parallel()
	r := startSim(t, routersim.Options{})
	c := lanClient(t, r)
	s := login(t, c, adminCreds, nil)
	if got := c.Requests(); got != 2 {
		t.Errorf("login took %d requests, want 2 (login page, wlogin.cgi)", got)
	}
	if !r.LoggedIn() || s.Model() != "Vigor2927" {
		t.Errorf("logged in %v, model %q", r.LoggedIn(), s.Model())
	}
	if err := s.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	if r.LoggedIn() {
		t.Error("Close did not log out")
	}
}

// The errors a login can end with, each against the simulator.
func TestLoginErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		test func(*testing.T)
	}{
		{"bad credentials", testLoginBadCredentials},
		{"blocked", testLoginBlocked},
		{"refused by policy", testLoginRefusedByPolicy},
		{"management from the Internet off", testLoginManagementFromTheInternetOff},
		{"unreachable", testLoginUnreachable},
		{"plain http not allowed", testLoginPlainHttpNotAllowed},
		{"certificate changed", testLoginCertificateChanged},
		{"not pinned", testLoginNotPinned},
	} {
		t.Run(tc.name, tc.test)
	}
}

func testLoginBadCredentials(t *testing.T) {
	t.Parallel()
	r := startSim(t, routersim.Options{})
	_, err := lanClient(t, r).Login(t.Context(), Credentials{Username: "admin", Password: "Xyzzy-pw"}, nil)
	if !errors.Is(err, ErrBadCredentials) || errors.Is(err, ErrCodeRejected) {
		t.Fatalf("got %v, want ErrBadCredentials", err)
	}
	if strings.Contains(err.Error(), "Xyzzy") {
		t.Error("the error shows the password")
	}
}

func testLoginBlocked(t *testing.T) {
	t.Parallel()
	bf := routersim.DefaultBruteForce()
	bf.Enabled, bf.Failures = true, 2
	r := startSim(t, routersim.Options{BruteForce: &bf})
	c := lanClient(t, r)
	for range 2 {
		if _, err := c.Login(t.Context(), Credentials{Username: "admin", Password: "wrong"}, nil); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("failure: %v", err)
		}
	}
	before := c.Requests()
	_, err := c.Login(t.Context(), adminCreds, nil)
	if !errors.Is(err, ErrBlocked) {
		t.Fatalf("got %v, want ErrBlocked", err)
	}
	if c.Requests()-before != 1 {
		t.Errorf("a blocked login sent %d requests, want 1 (no retry)", c.Requests()-before)
	}
}

func testLoginRefusedByPolicy(t *testing.T) {
	t.Parallel()
	r := startSim(t, routersim.Options{})
	enableInternet(t, r) // HTTPS only: the WAN HTTP listener closes connections
	c, err := New(r.URLs().WANHTTP, WithPlainHTTP())
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Login(t.Context(), adminCreds, nil)
	if !errors.Is(err, ErrRefused) {
		t.Fatalf("got %v, want ErrRefused", err)
	}
}

func testLoginManagementFromTheInternetOff(t *testing.T) {
	t.Parallel()
	r := startSim(t, routersim.Options{})
	_, err := wanClient(t, r).Login(t.Context(), adminCreds, nil)
	if !errors.Is(err, ErrBadCredentials) || !strings.Contains(err.Error(), "management from this network") {
		t.Fatalf("got %v, want a failure that mentions the management policy", err)
	}
}

func testLoginUnreachable(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c, err := New("http://"+addr, WithPlainHTTP(), WithTimeout(2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Login(t.Context(), adminCreds, nil); !errors.Is(err, ErrUnreachable) {
		t.Fatalf("got %v, want ErrUnreachable", err)
	}
}

func testLoginPlainHttpNotAllowed(t *testing.T) {
	t.Parallel()
	r := startSim(t, routersim.Options{})
	c, err := New(r.URLs().LANHTTP)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Login(t.Context(), adminCreds, nil); !errors.Is(err, ErrPlainHTTP) {
		t.Fatalf("got %v, want ErrPlainHTTP", err)
	}
	if r.RequestsByPath()["/cgi-bin/wlogin.cgi"] != 0 {
		t.Error("credentials were posted over plain HTTP")
	}
}

func testLoginCertificateChanged(t *testing.T) {
	t.Parallel()
	r := startSim(t, routersim.Options{})
	other := strings.Repeat("ab", 32)
	c, err := New(r.URLs().LANHTTPS, WithPin(other))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Login(t.Context(), adminCreds, nil)
	var changed *CertificateChangedError
	if !errors.As(err, &changed) || changed.Pinned != other || changed.Presented != r.Fingerprint() {
		t.Fatalf("got %v, want CertificateChangedError with both fingerprints", err)
	}
	if r.RequestsByPath()["/cgi-bin/wlogin.cgi"] != 0 {
		t.Error("credentials were sent to a router with a changed certificate")
	}
}

func testLoginNotPinned(t *testing.T) {
	t.Parallel()
	r := startSim(t, routersim.Options{})
	c, err := New(r.URLs().LANHTTPS)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Login(t.Context(), adminCreds, nil)
	var np *NotPinnedError
	if !errors.As(err, &np) || np.Presented != r.Fingerprint() {
		t.Fatalf("got %v, want NotPinnedError carrying the fingerprint", err)
	}
}

func TestLoginTOTPFromWAN(t *testing.T) {
	t.Parallel()
	for _, v := range nameVariants {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			r := startSim(t, routersim.Options{Names: v.names})
			enableInternet(t, r)
			secret, err := r.EnrollTOTP()
			if err != nil {
				t.Fatal(err)
			}
			c := wanClient(t, r)
			if _, err := c.Login(t.Context(), adminCreds, nil); !errors.Is(err, ErrCodeRequired) {
				t.Fatalf("without a code source: %v, want ErrCodeRequired", err)
			}
			wrong := func(context.Context, time.Time) (string, error) { return "000000", nil }
			_, err = c.Login(t.Context(), adminCreds, wrong)
			if !errors.Is(err, ErrCodeRejected) {
				t.Fatalf("wrong code: %v, want ErrCodeRejected", err)
			}
			// A fresh client (its own step memory) logs in with the right code.
			c2 := wanClient(t, r)
			s := login(t, c2, adminCreds, codesFor(t, secret))
			if !s.UsedTOTP() {
				t.Error("the session does not record that a code was sent")
			}
			m, err := s.ReadManagement(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if !m.Internet || !m.HTTPS {
				t.Errorf("read %+v over the WAN", m)
			}
		})
	}
}

// fakeClock is a clock that sleeping advances.
type fakeClock struct{ t time.Time }

func (f *fakeClock) now() time.Time { return f.t }
func (f *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	f.t = f.t.Add(d)
	return ctx.Err()
}

func TestCodeTimeChoice(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		start    int64 // seconds since the epoch
		lastStep int64 // -1: none
		wantStep int64
	}{
		{"plenty of time", 30*1000 + 10, -1, 1000},
		{"fewer than 3 s left waits", 30*1000 + 28, -1, 1001},
		{"exactly 3 s left is fine", 30*1000 + 27, -1, 1000},
		{"step already used waits", 30*1000 + 5, 1000, 1001},
		{"old step used", 30*1000 + 5, 999, 1000},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clk := &fakeClock{t: time.Unix(tc.start, 0)}
			store := NewMemoryStepStore()
			c, err := New("https://router.example", WithClock(clk.now, clk.sleep), WithStepStore(store))
			if err != nil {
				t.Fatal(err)
			}
			if tc.lastStep >= 0 {
				store.SetLastStep("router.example", tc.lastStep)
			}
			var asked time.Time
			_, err = c.codeForLogin(t.Context(), func(_ context.Context, at time.Time) (string, error) {
				asked = at
				return "123456", nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if got := asked.Unix() / 30; got != tc.wantStep {
				t.Errorf("code asked for step %d, want %d", got, tc.wantStep)
			}
			if last, _ := store.LastStep("router.example"); last != tc.wantStep {
				t.Errorf("stored step %d, want %d", last, tc.wantStep)
			}
		})
	}
}
