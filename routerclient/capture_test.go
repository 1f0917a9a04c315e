package routerclient

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/gatekey/gatekey/routersim"
)

func TestCaptureRedacts(t *testing.T) {
	t.Parallel()
	creds := Credentials{Username: "admin", Password: "Pw-7f3kq9"}
	r := startSim(t, routersim.Options{AdminPassword: creds.Password})
	enableInternet(t, r)
	secret, err := r.EnrollTOTP()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	cap := NewCapture(&buf)
	c := wanClient(t, r, WithCapture(cap))
	var sentCode string
	codes := func(ctx context.Context, at time.Time) (string, error) {
		code, err := codesFor(t, secret)(ctx, at)
		sentCode = code
		return code, err
	}
	s := login(t, c, creds, codes)
	if _, err := s.ReadManagement(t.Context()); err != nil {
		t.Fatal(err)
	}
	const newPassword = "Kq9-new.secret"
	if err := s.ChangePassword(t.Context(), creds.Password, newPassword); err != nil {
		t.Fatal(err)
	}
	s.Close(t.Context())
	if cap.Err() != nil {
		t.Fatal(cap.Err())
	}
	text := buf.String()
	for _, f := range []string{creds.Password, b64(creds.Password), newPassword} {
		if strings.Contains(text, f) {
			t.Errorf("capture contains a secret (%d chars)", len(f))
		}
	}
	sawLogin := false
	entries := captureEntries(t, text)
	for _, e := range entries {
		sawLogin = checkRedacted(t, e, sentCode) || sawLogin
	}
	if !sawLogin || len(entries) < 4 {
		t.Errorf("capture has %d entries, login seen %v", len(entries), sawLogin)
	}
}

func captureEntries(t *testing.T, text string) []CaptureEntry {
	t.Helper()
	var entries []CaptureEntry
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		var e CaptureEntry
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatal(err)
		}
		entries = append(entries, e)
	}
	return entries
}

// checkRedacted checks one capture entry: credentials, token and cookies
// redacted, the code nowhere. It reports whether the entry is the login.
func checkRedacted(t *testing.T, e CaptureEntry, code string) bool {
	t.Helper()
	for _, kv := range append(e.Query, e.Form...) {
		switch strings.ToLower(kv[0]) {
		case "aa", "ab", "sformauthstr":
			if kv[1] != Redacted {
				t.Errorf("%s %s: %s not redacted", e.Method, e.Path, kv[0])
			}
		}
		if code != "" && strings.Contains(kv[1], code) {
			t.Errorf("%s %s: the TOTP code is visible in %s", e.Method, e.Path, kv[0])
		}
	}
	if e.RequestCookie != "" && !strings.Contains(e.RequestCookie, Redacted) {
		t.Errorf("cookie not redacted: %q", e.RequestCookie)
	}
	if !strings.EqualFold(e.Path, "/cgi-bin/wlogin.cgi") {
		return false
	}
	for _, v := range e.Headers["Set-Cookie"] {
		if !strings.Contains(v, "="+Redacted) {
			t.Errorf("Set-Cookie not redacted: %q", v)
		}
	}
	return true
}
