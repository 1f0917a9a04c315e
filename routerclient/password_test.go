package routerclient

import (
	"errors"
	"strings"
	"testing"

	"github.com/gatekey/gatekey/routersim"
)

func formPasswordPath() *Profile {
	p := DefaultProfile()
	p.PasswordPath = pathForm
	return p
}

var passwordPaths = []struct {
	name    string
	profile func() *Profile
}{
	{"console", DefaultProfile},
	{"form", formPasswordPath},
}

// A new password takes effect and survives a reboot (it is committed);
// the caller proves it by logging in again after Logout.
func TestChangePassword(t *testing.T) {
	t.Parallel()
	for _, path := range passwordPaths {
		t.Run(path.name, func(t *testing.T) {
			t.Parallel()
			r := startSim(t, routersim.Options{})
			c := lanClient(t, r, WithProfile(path.profile()))
			s := login(t, c, adminCreds, nil)
			pw, err := GeneratePassword()
			if err != nil {
				t.Fatal(err)
			}
			if err := s.ChangePassword(t.Context(), "admin", pw); err != nil {
				t.Fatal(err)
			}
			if got := r.Committed().AdminPassword; got != pw {
				t.Error("the new password is not in the saved configuration")
			}
			// The session stays usable.
			if _, err := s.ReadManagement(t.Context()); err != nil {
				t.Fatal(err)
			}
			if err := s.Logout(t.Context()); err != nil {
				t.Fatal(err)
			}
			if _, err := c.Login(t.Context(), adminCreds, nil); !errors.Is(err, ErrBadCredentials) {
				t.Errorf("the old password still works: %v", err)
			}
			login(t, lanClient(t, r), Credentials{Username: "admin", Password: pw}, nil)
		})
	}
}

const oldSecret = "Qx7-old-secret"

// Refusals are ErrPasswordRefused, name neither password, and leave the
// router's password as it was.
func TestChangePasswordRefused(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name          string
		old, new      string
		paths         []string
		routerReached bool
	}{
		{"wrong old password", "Wr0ng-old", "Good-new-pw-1", []string{"console", "form"}, true},
		{"space refused by the router", oldSecret, "two words here", []string{"form"}, true},
		{"space never sent on the console", oldSecret, "two words here", []string{"console"}, false},
		{"longer than 83", oldSecret, strings.Repeat("x", 84), []string{"console", "form"}, false},
	}
	for _, tc := range cases {
		for _, path := range passwordPaths {
			if !contains(tc.paths, path.name) {
				continue
			}
			t.Run(tc.name+"/"+path.name, func(t *testing.T) {
				t.Parallel()
				r := startSim(t, routersim.Options{AdminPassword: oldSecret})
				s := login(t, lanClient(t, r, WithProfile(path.profile())), Credentials{Username: "admin", Password: oldSecret}, nil)
				before := r.Requests()
				err := s.ChangePassword(t.Context(), tc.old, tc.new)
				if !errors.Is(err, ErrPasswordRefused) {
					t.Fatalf("got %v, want ErrPasswordRefused", err)
				}
				if strings.Contains(err.Error(), tc.old) || strings.Contains(err.Error(), tc.new) {
					t.Errorf("the error shows a password: %v", err)
				}
				if r.Snapshot().AdminPassword != oldSecret {
					t.Error("the router's password changed")
				}
				if reached := r.Requests() > before; reached != tc.routerReached {
					t.Errorf("the router was asked: %v, want %v", reached, tc.routerReached)
				}
			})
		}
	}
}

func TestGeneratePassword(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		pw, err := GeneratePassword()
		if err != nil {
			t.Fatal(err)
		}
		if len(pw) != 24 || len(pw) > maxPasswordLength || !consoleSafe(pw) || seen[pw] {
			t.Fatalf("password %d characters, console-safe %v, repeated %v", len(pw), consoleSafe(pw), seen[pw])
		}
		for _, class := range []string{passwordLetters[:26], passwordLetters[26:], passwordDigits, passwordSymbols} {
			if !strings.ContainsAny(pw, class) {
				t.Fatalf("a password lacks one of %q", class)
			}
		}
		if strings.Trim(pw, passwordLetters+passwordDigits+passwordSymbols) != "" {
			t.Fatal("a password has a character outside the alphabet")
		}
		seen[pw] = true
	}
}
