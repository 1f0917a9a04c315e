package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatekey/gatekey/otp"
	"github.com/gatekey/gatekey/routerclient"
	"github.com/gatekey/gatekey/routersim"
)

// formProfile is a profile override that changes passwords through the
// Administrator Password page's form instead of the console.
func formProfile(t testing.TB) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "form.json")
	if err := os.WriteFile(p, []byte(`{"password_path": "form"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func keychainItem(d *Desktop, service, name string) string {
	v, _ := d.keychain.Get(service, name)
	return v
}

// The change goes through the console or the form as the profile says; the
// new login is proven before the keychain forgets the old password, and a
// backup comes first.
func TestChangePasswordConsoleAndForm(t *testing.T) {
	for _, path := range []string{"console", "form"} {
		t.Run(path, func(t *testing.T) {
			d := routerDesktop(t)
			r := startRouter(t, routersim.Options{})
			addSim(t, d, "office", r)
			if path == "form" {
				if err := d.Routers().update("office", func(rec *Router) { rec.Profile = formProfile(t) }); err != nil {
					t.Fatal(err)
				}
			}
			pw, err := GeneratePassword()
			if err != nil {
				t.Fatal(err)
			}
			res, err := d.Routers().ChangePassword(t.Context(), "office", pw, ChangeOptions{})
			if err != nil || !res.Changed || !res.Proven {
				t.Fatalf("change: %+v %v", res, err)
			}
			if got := r.Snapshot().AdminPassword; got != pw {
				t.Errorf("the router's password is %q, want the new one", got)
			}
			if got := keychainItem(d, routerKeychainService, "office"); got != pw {
				t.Error("the keychain does not hold the new password")
			}
			if got := keychainItem(d, pendingPasswordService, "office"); got != "" {
				t.Error("the pending item stayed in the keychain after the proof")
			}
			if _, err := os.Stat(res.Backup); err != nil {
				t.Errorf("no backup before the change: %v", err)
			}
			if err := d.Routers().TestLogin(t.Context(), "office"); err != nil {
				t.Errorf("a login after the change: %v", err)
			}
		})
	}
}

// A password the router refuses leaves the router and the keychain as they
// were.
func TestChangePasswordRefused(t *testing.T) {
	d := routerDesktop(t)
	r := startRouter(t, routersim.Options{PasswordRefusedChars: "%"})
	addSim(t, d, "office", r)
	_, err := d.Routers().ChangePassword(t.Context(), "office", "strong%but-refused-1234", ChangeOptions{})
	if !errors.Is(err, ErrPasswordRefused) {
		t.Fatalf("refused password: %v", err)
	}
	if strings.Contains(err.Error(), "strong%but") {
		t.Errorf("the error shows the password: %v", err)
	}
	if r.Snapshot().AdminPassword != "admin" || keychainItem(d, routerKeychainService, "office") != "admin" ||
		keychainItem(d, pendingPasswordService, "office") != "" {
		t.Error("a refused change left the router or the keychain changed")
	}
}

// A router that takes the change but then refuses the new login keeps both
// passwords in the keychain, says how to recover, and is not tried again.
func TestChangePasswordUnproven(t *testing.T) {
	d := routerDesktop(t)
	r := startRouter(t, routersim.Options{})
	addSim(t, d, "office", r)
	r.RefuseNewPasswordOnce()
	before := r.LoginAttempts()
	res, err := d.Routers().ChangePassword(t.Context(), "office", "Another-strong-passw0rd", ChangeOptions{})
	var unproven *UnprovenPasswordError
	if !errors.As(err, &unproven) || !res.Changed || res.Proven {
		t.Fatalf("change with a refused new login: %+v %v", res, err)
	}
	if keychainItem(d, routerKeychainService, "office") != "admin" || keychainItem(d, pendingPasswordService, "office") != "Another-strong-passw0rd" {
		t.Error("the keychain does not hold both passwords")
	}
	msg := err.Error()
	for _, want := range []string{`"Gatekey router", account "office"`, `"Gatekey router (new password)", account "office"`, res.Backup, "does not try again"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the message lacks %q: %s", want, msg)
		}
	}
	if strings.Contains(msg, "Another-strong") {
		t.Error("the message shows the new password")
	}
	if n := r.LoginAttempts() - before; n != 2 {
		t.Errorf("%d login attempts, want 2 (the old password, then the new one once)", n)
	}
}

// stepClock is a clock shared by a simulated router and Gatekey's client:
// when the client waits for the next TOTP period, the time jumps instead.
type stepClock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *stepClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
	return ctx.Err()
}

// Over the WAN, both logins carry the TOTP code, each in its own time step
// (the router refuses a code twice); the shared clock jumps to the next
// period instead of waiting for it.
func TestChangePasswordProvenWithTOTP(t *testing.T) {
	d := routerDesktop(t)
	clock := &stepClock{}
	d.Routers().testOnlyOptions = []routerclient.Option{routerclient.WithClock(clock.Now, clock.Sleep)}
	r := startRouter(t, routersim.Options{Now: clock.Now})
	secret, err := r.EnrollTOTP()
	if err != nil {
		t.Fatal(err)
	}
	r.Update(func(st *routersim.State) { st.Management.Internet, st.Management.HTTPS = true, true })
	key, err := otp.DecodeBase32(secret)
	if err != nil {
		t.Fatal(err)
	}
	added, _, err := d.Add(otp.Account{Type: otp.TOTP, Issuer: "DrayTek", Name: "wan", Secret: key, Algorithm: otp.SHA1, Digits: 6, Period: 30})
	if err != nil {
		t.Fatal(err)
	}
	err = d.Routers().Add(t.Context(), NewRouter{Name: "wan", URL: r.URLs().WANHTTPS, User: "admin", Password: "admin",
		Fingerprint: r.Fingerprint(), TOTP: added[0].UUID})
	if err != nil {
		t.Fatal(err)
	}
	codes := r.WANLoginsWithCode()
	res, err := d.Routers().ChangePassword(t.Context(), "wan", "Wan-side-strong-passw0rd", ChangeOptions{})
	if err != nil || !res.Proven {
		t.Fatalf("change over the WAN: %+v %v", res, err)
	}
	if n := r.WANLoginsWithCode() - codes; n != 2 {
		t.Errorf("%d WAN logins with a code, want 2", n)
	}
	if r.Snapshot().AdminPassword != "Wan-side-strong-passw0rd" {
		t.Error("the router does not have the new password")
	}
}

// A fleet of 20: each router gets its own change under the same rules; the
// two that fail keep their old password and are named in the outcomes.
func TestFleetChangePassword(t *testing.T) {
	d := routerDesktop(t)
	sims := map[string]*routersim.Router{}
	var names []string
	for i := range 20 {
		name := fmt.Sprintf("r%02d", i)
		opts := routersim.Options{}
		if i == 3 {
			opts.PasswordRefusedChars = "%"
		}
		sims[name] = startRouter(t, opts)
		addSim(t, d, name, sims[name])
		names = append(names, name)
	}
	sims["r11"].RefuseNewPasswordOnce()
	newPassword := func(name string) (string, error) { return "Fleet-%-strong-" + name, nil }
	var progress int
	outcomes := d.Routers().FleetChangePassword(t.Context(), names, newPassword, ChangeOptions{}, func(FleetProgress) { progress++ })
	failed := map[string]bool{}
	for _, o := range outcomes {
		sim := sims[o.Name]
		if o.Err != nil {
			failed[o.Name] = true
			if sim.Snapshot().AdminPassword != "admin" && o.Name == "r03" {
				t.Errorf("%s refused the password but holds another one", o.Name)
			}
			continue
		}
		if !o.Password.Proven || sim.Snapshot().AdminPassword != "Fleet-%-strong-"+o.Name {
			t.Errorf("%s: %+v", o.Name, o.Password)
		}
	}
	if len(failed) != 2 || !failed["r03"] || !failed["r11"] {
		t.Fatalf("failed routers: %v, want r03 and r11", failed)
	}
	if progress < 20 {
		t.Errorf("%d progress reports for 20 routers", progress)
	}
	if keychainItem(d, routerKeychainService, "r11") != "admin" || keychainItem(d, routerKeychainService, "r03") != "admin" {
		t.Error("a router that failed lost its old password in the keychain")
	}
}
