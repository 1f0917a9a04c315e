package routerclient

import (
	"errors"
	"strings"
	"testing"

	"github.com/gatekey/gatekey/routersim"
)

// The automatic enrolment reads the secret, verifies a code and enables TOTP
// with the profile's field names; a WAN login then needs a code of that
// secret. It runs against each checkbox dialect of the simulator.
func TestEnableTOTP(t *testing.T) {
	for _, v := range nameVariants {
		t.Run(v.name, func(t *testing.T) {
			r := startSim(t, routersim.Options{Names: v.names})
			s := login(t, lanClient(t, r), adminCreds, nil)
			e, err := s.ReadTOTPEnrolment(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if !e.Offered || e.Enabled || len(e.Secret) < 16 || strings.Contains(e.String(), e.Secret) {
				t.Fatalf("before: %v (secret length %d)", e, len(e.Secret))
			}
			after, err := s.EnableTOTP(t.Context(), e.Secret, codesFor(t, e.Secret))
			if err != nil {
				t.Fatalf("EnableTOTP: %v", err)
			}
			if !after.Enabled || !r.Snapshot().TOTP.Enabled || r.Snapshot().TOTP.Secret != e.Secret {
				t.Fatalf("after: %v; router TOTP %+v", after, r.Snapshot().TOTP.Enabled)
			}
			// The enrolled secret now guards WAN logins.
			r.Update(func(st *routersim.State) { st.Management.Internet, st.Management.HTTPS = true, true })
			if _, err := wanClient(t, r).Login(t.Context(), adminCreds, codesFor(t, e.Secret)); err != nil {
				t.Fatalf("WAN login with the enrolled secret: %v", err)
			}
		})
	}
}

// A wrong code leaves TOTP off and says so; a page with other field names
// is refused before anything is posted.
func TestEnableTOTPRefusals(t *testing.T) {
	r := startSim(t, routersim.Options{})
	s := login(t, lanClient(t, r), adminCreds, nil)
	e, _ := s.ReadTOTPEnrolment(t.Context())
	_, err := s.EnableTOTP(t.Context(), e.Secret, codesFor(t, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"))
	if !errors.Is(err, ErrNotTaken) || r.Snapshot().TOTP.Enabled {
		t.Fatalf("wrong code: err %v, enabled %v", err, r.Snapshot().TOTP.Enabled)
	}
	if _, err := s.EnableTOTP(t.Context(), "AAAAAAAAAAAAAAAA", codesFor(t, e.Secret)); !errors.Is(err, ErrUnexpectedResponse) {
		t.Fatalf("another secret: %v", err)
	}

	other := startSim(t, routersim.Options{Names: routersim.Names{Admin: routersim.AdminPageNames{TOTPEnable: "advAuthOn"}}})
	before := other.Requests()
	s2 := login(t, lanClient(t, other), adminCreds, nil)
	e2, err := s2.ReadTOTPEnrolment(t.Context())
	if err != nil || e2.Offered || len(e2.Missing) != 1 || e2.Missing[0] != "sAdvAuth" {
		t.Fatalf("renamed field: %v, %v", e2, err)
	}
	_, err = s2.EnableTOTP(t.Context(), e2.Secret, codesFor(t, e2.Secret))
	if !errors.Is(err, ErrNotSupported) || other.Snapshot().TOTP.Enabled {
		t.Fatalf("renamed field: %v", err)
	}
	if paths := other.RequestsByPath(); paths["/cgi-bin/chglog.cgi"] != 0 {
		t.Fatalf("posted the form with guessed names (%d requests since %d)", other.Requests(), before)
	}
	// A router without TOTP shows no secret field at all.
	no := false
	old := startSim(t, routersim.Options{TOTPSupported: &no})
	e3, err := login(t, lanClient(t, old), adminCreds, nil).ReadTOTPEnrolment(t.Context())
	if err != nil || e3.Offered {
		t.Fatalf("router without TOTP: %v %v", e3, err)
	}
}
