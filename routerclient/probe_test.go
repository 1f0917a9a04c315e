package routerclient

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gatekey/gatekey/routersim"
)

func TestProbeFamilies(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		opts      routersim.Options
		family    Family
		supported bool
	}{
		{"drayos4", routersim.Options{}, FamilyDrayOS4, true},
		{"drayos5", routersim.Options{Family: routersim.FamilyDrayOS5}, FamilyDrayOS5, false},
		{"linux", routersim.Options{Family: routersim.FamilyLinux}, FamilyLinux, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := startSim(t, tc.opts)
			res, err := Probe(t.Context(), r.URLs().LANHTTPS)
			if err != nil {
				t.Fatal(err)
			}
			if res.Family != tc.family || res.Supported != tc.supported {
				t.Errorf("family %q supported %v, want %q %v", res.Family, res.Supported, tc.family, tc.supported)
			}
			if res.Fingerprint == nil || *res.Fingerprint != r.Fingerprint() {
				t.Errorf("fingerprint %v, want %s", res.Fingerprint, r.Fingerprint())
			}
			if !tc.supported && res.Reason == "" {
				t.Error("an unsupported router must come with a reason")
			}
			if tc.supported && (res.Model != "Vigor2927" || res.Firmware != "4.5.2.2") {
				t.Errorf("model %q firmware %q", res.Model, res.Firmware)
			}
			// Logging in to an unsupported router is refused with the reason.
			if !tc.supported {
				_, err := lanClient(t, r).Login(t.Context(), adminCreds, nil)
				var unsup *UnsupportedError
				if !errors.As(err, &unsup) || !errors.Is(err, ErrNotSupported) {
					t.Errorf("login: %v, want ErrNotSupported", err)
				}
			}
		})
	}
}

func TestProbeHTTPHasNoFingerprint(t *testing.T) {
	t.Parallel()
	r := startSim(t, routersim.Options{Model: "3910", Firmware: "4.3.2.1"})
	res, err := Probe(t.Context(), r.URLs().LANHTTP)
	if err != nil {
		t.Fatal(err)
	}
	if res.Fingerprint != nil {
		t.Errorf("fingerprint over HTTP: %v", *res.Fingerprint)
	}
	if res.Model != "Vigor3910" || res.Firmware != "4.3.2.1" {
		t.Errorf("model %q firmware %q", res.Model, res.Firmware)
	}
}

func TestProbeTOTPOnWANLoginPage(t *testing.T) {
	t.Parallel()
	for _, v := range nameVariants {
		t.Run(v.name, func(t *testing.T) {
			r := startSim(t, routersim.Options{Names: v.names})
			enableInternet(t, r)
			if _, err := r.EnrollTOTP(); err != nil {
				t.Fatal(err)
			}
			wan, err := Probe(t.Context(), r.URLs().WANHTTPS)
			if err != nil {
				t.Fatal(err)
			}
			lan, err := Probe(t.Context(), r.URLs().LANHTTPS)
			if err != nil {
				t.Fatal(err)
			}
			if !wan.TOTPOnLoginPage || lan.TOTPOnLoginPage {
				t.Errorf("totp on login page: WAN %v LAN %v, want true false", wan.TOTPOnLoginPage, lan.TOTPOnLoginPage)
			}
		})
	}
}

func TestProbeNotADrayTek(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("<html><title>Welcome to nginx</title><body>hello</body></html>"))
	}))
	defer srv.Close()
	res, err := Probe(t.Context(), srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if res.Family != FamilyUnknown || res.Supported || res.Reason == "" {
		t.Errorf("got %+v", res)
	}
}

// A login page without the model: the probe says "model unknown", and the
// session reads the model after login from `sys version`, or from the
// dashboard when the console does not answer.
func TestModelMissingFromLoginPage(t *testing.T) {
	t.Parallel()
	r := startSim(t, routersim.Options{LoginPageWithoutModel: true, Model: "3910", Firmware: "4.4.2_BT"})
	res, err := Probe(t.Context(), r.URLs().LANHTTPS)
	if err != nil {
		t.Fatal(err)
	}
	if res.Model != "" || res.DisplayModel() != ModelUnknown || res.Firmware != "4.4.2_BT" || !res.Supported {
		t.Fatalf("probe: %+v", res)
	}
	noConsole := DefaultProfile()
	delete(noConsole.Console.Commands, "version")
	for name, p := range map[string]*Profile{"sys version": DefaultProfile(), "dashboard": noConsole} {
		t.Run(name, func(t *testing.T) {
			c := lanClient(t, r, WithProfile(p))
			s := login(t, c, adminCreds, nil)
			if s.Model() != "" {
				t.Errorf("model %q before asking", s.Model())
			}
			st, _, err := s.Status(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if st.Model != "Vigor3910" || st.Firmware != "4.4.2_BT" || s.Model() != "Vigor3910" {
				t.Errorf("status model %q firmware %q, session model %q", st.Model, st.Firmware, s.Model())
			}
			// 4.4.2_BT compares as 4.4.2: below the 4.4.3.2 minimum.
			if !st.BelowSafeMinimum {
				t.Error("4.4.2_BT is not reported below the safe minimum")
			}
		})
	}
}
