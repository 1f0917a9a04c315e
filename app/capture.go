package app

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/gatekey/gatekey/routerclient"
)

// ErrCaptureIncomplete means a capture file was written but a request of
// the session failed; the file shows where.
var ErrCaptureIncomplete = errors.New("the capture is incomplete")

// Capture records one session with the router (login, status, settings,
// logout) into a new file at path (0600, never overwriting), with every
// credential, cookie, token and code redacted, so that a person with a
// real router can compare it with the profile. A failed request still
// leaves the file, and the error wraps ErrCaptureIncomplete.
func (s *RouterService) Capture(ctx context.Context, name, path string) error {
	r, err := s.Get(name)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	capture := routerclient.NewCapture(f)
	sess, err := s.connect(ctx, r, routerclient.WithCapture(capture))
	if err != nil {
		return err
	}
	_, _, statusErr := sess.Status(ctx)
	_, mgmtErr := sess.ReadManagement(ctx)
	closeErr := sess.Close(ctx)
	if err := errors.Join(statusErr, mgmtErr, closeErr, capture.Err()); err != nil {
		return fmt.Errorf("%w: %w", ErrCaptureIncomplete, err)
	}
	return nil
}
