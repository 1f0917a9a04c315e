package routerclient

import (
	"bytes"
	"errors"
	"image/png"
	"strings"
	"testing"

	"github.com/gatekey/gatekey/routersim"
)

// A router with Validation Code on: the probe reports it, a login without
// the picture's characters is refused before anything is posted, and the
// window's way (picture, then login with what the person typed) works.
func TestValidationCode(t *testing.T) {
	t.Parallel()
	r := startSim(t, routersim.Options{ValidationCode: true})
	res, err := Probe(t.Context(), r.URLs().LANHTTPS)
	if err != nil {
		t.Fatal(err)
	}
	if !res.ValidationCode || res.TOTPOnLoginPage {
		t.Errorf("probe: validation code %v, TOTP %v; want true, false", res.ValidationCode, res.TOTPOnLoginPage)
	}

	c := lanClient(t, r)
	_, err = c.Login(t.Context(), adminCreds, nil)
	if !errors.Is(err, ErrValidationCode) || !strings.Contains(err.Error(), "Management page") {
		t.Fatalf("login without the characters: %v, want ErrValidationCode", err)
	}
	if n := r.LoginAttempts(); n != 0 {
		t.Errorf("%d login attempts reached the router, want none", n)
	}

	pic, err := c.ValidationPicture(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(bytes.NewReader(pic.Data)); err != nil || pic.ContentType != "image/png" {
		t.Fatalf("picture %q: %v", pic.ContentType, err)
	}
	// The person reads the picture; the simulator's hook stands in for
	// their eyes.
	creds := adminCreds
	creds.ValidationCode = strings.ToLower(r.ValidationCodeChars())
	s := login(t, c, creds, nil)
	if _, err := s.ReadManagement(t.Context()); err != nil {
		t.Fatal(err)
	}

	// Mistyped characters are refused like a wrong password, and say so.
	c2 := lanClient(t, r)
	if _, err := c2.ValidationPicture(t.Context()); err != nil {
		t.Fatal(err)
	}
	creds.ValidationCode = "XXXXX"
	_, err = c2.Login(t.Context(), creds, nil)
	var rej *LoginRejectedError
	if !errors.As(err, &rej) || !rej.ValidationSent || !strings.Contains(err.Error(), "validation code") {
		t.Fatalf("mistyped characters: %v", err)
	}
}

// Over the WAN with TOTP on, the login page has both a code field and the
// validation code; each goes in its own field.
func TestValidationCodeWithTOTP(t *testing.T) {
	t.Parallel()
	r := startSim(t, routersim.Options{ValidationCode: true})
	enableInternet(t, r)
	secret, err := r.EnrollTOTP()
	if err != nil {
		t.Fatal(err)
	}
	res, err := Probe(t.Context(), r.URLs().WANHTTPS)
	if err != nil {
		t.Fatal(err)
	}
	if !res.ValidationCode || !res.TOTPOnLoginPage {
		t.Fatalf("probe: validation code %v, TOTP %v; want both", res.ValidationCode, res.TOTPOnLoginPage)
	}
	c := wanClient(t, r)
	if _, err := c.ValidationPicture(t.Context()); err != nil {
		t.Fatal(err)
	}
	creds := adminCreds
	creds.ValidationCode = r.ValidationCodeChars()
	s := login(t, c, creds, codesFor(t, secret))
	if !s.UsedTOTP() {
		t.Error("the login did not carry the code")
	}
}

// A page without a validation picture has none to fetch.
func TestValidationPictureAbsent(t *testing.T) {
	t.Parallel()
	r := startSim(t, routersim.Options{})
	if _, err := lanClient(t, r).ValidationPicture(t.Context()); !errors.Is(err, ErrUnexpectedResponse) {
		t.Errorf("got %v, want ErrUnexpectedResponse", err)
	}
}
