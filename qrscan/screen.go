package qrscan

import (
	"context"
	"fmt"
)

// ScanScreen captures the whole screen, every monitor, and decodes every QR
// code on it; Bounds are in screen coordinates.
//
// Where it works: on Linux and the BSDs under X11 (the root window spans all
// monitors), and under Wayland through the desktop portal
// (org.freedesktop.portal.Screenshot) when X11 capture is refused or shows
// only black, as XWayland does for native windows; the portal may ask the
// user to allow it. On Windows through GDI, all monitors, with Bounds in
// virtual-screen coordinates (negative left of or above the main monitor).
// On macOS (built with cgo) through CoreGraphics, which shows other
// programs' windows only once the user grants Screen Recording. Elsewhere it
// returns ErrUnsupportedSource.
func ScanScreen(ctx context.Context) ([]Code, error) {
	img, err := captureScreen(ctx)
	if err != nil {
		return nil, err
	}
	codes, err := Decode(img)
	if err != nil {
		return nil, fmt.Errorf("scanning the screen: %w", err)
	}
	return codes, nil
}
