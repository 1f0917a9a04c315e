package routerclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Reboot restarts the router with sReboot=Current (drayos-web.md §6); the
// value that means a factory reset is never sent. Call it only after the
// person agreed. The session ends with it.
func (s *Session) Reboot(ctx context.Context) error {
	p := s.c.profile.Reboot
	form := encodePairs([][2]string{{p.Field, p.Value}})
	a, err := s.exchange(ctx, request{method: http.MethodPost, path: p.Path, form: form})
	if err != nil {
		return fmt.Errorf("rebooting: %w", err)
	}
	if !strings.Contains(strings.ToLower(a.body), strings.ToLower(p.Marker)) && !a.redirect() {
		return fmt.Errorf("%w: the reboot answer does not say the router is restarting (HTTP %d)", ErrUnexpectedResponse, a.status)
	}
	s.mu.Lock()
	s.token, s.cookie = "", ""
	s.mu.Unlock()
	return nil
}

// WaitBack polls the login page with backoff, within the profile's bound,
// until the router answers again, then logs in again and reads the
// management settings back.
func (s *Session) WaitBack(ctx context.Context) (Management, error) {
	p := s.c.profile.Reboot
	deadline := s.c.now().Add(time.Duration(p.TimeoutSeconds) * time.Second)
	interval := time.Duration(p.FirstPollMillis) * time.Millisecond
	maxInterval := time.Duration(p.MaxPollIntervalMilli) * time.Millisecond
	for {
		if err := s.c.sleep(ctx, interval); err != nil {
			return Management{}, err
		}
		lp, _, err := s.c.fetchLoginPage(ctx)
		if err == nil && lp.Family == FamilyDrayOS4 {
			break
		}
		if ctx.Err() != nil {
			return Management{}, ctx.Err()
		}
		if errors.Is(err, ErrCertificateChanged) || errors.Is(err, ErrNotPinned) {
			return Management{}, err
		}
		if !s.c.now().Add(interval).Before(deadline) {
			return Management{}, fmt.Errorf("%w: the router did not come back within %d s", ErrUnreachable, p.TimeoutSeconds)
		}
		interval = min(interval*2, maxInterval)
	}
	if err := s.login(ctx); err != nil {
		return Management{}, fmt.Errorf("logging in after the reboot: %w", err)
	}
	return s.ReadManagement(ctx)
}
