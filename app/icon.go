package app

import (
	"bytes"
	"image"
	_ "image/jpeg" // Aegis stores issuer icons as PNG, JPEG or SVG
	_ "image/png"

	"github.com/gatekey/gatekey/otp"
)

// Limits on the issuer icons that vaults and imports carry, which come from
// files Gatekey did not write: a small file can still claim a huge image.
const (
	maxIconBytes  = 256 << 10
	maxIconPixels = 512
)

// IconKind is how an account's icon can be drawn.
type IconKind int

// The icon kinds AccountIcon tells apart.
const (
	IconNone   IconKind = iota // no icon, or one not safe to draw
	IconRaster                 // PNG or JPEG
	IconSVG
)

// AccountIcon says whether the account's own icon (Aegis keeps one per
// entry) is safe to draw: small, of a known kind, and for raster images no
// larger than maxIconPixels on a side, checked from the header before any
// pixel is decoded.
func AccountIcon(acc otp.Account) IconKind {
	data := acc.Icon
	if len(data) == 0 || len(data) > maxIconBytes {
		return IconNone
	}
	if cfg, _, err := image.DecodeConfig(bytes.NewReader(data)); err == nil {
		if cfg.Width > 0 && cfg.Height > 0 && cfg.Width <= maxIconPixels && cfg.Height <= maxIconPixels {
			return IconRaster
		}
		return IconNone
	}
	head := bytes.TrimSpace(data[:min(len(data), 512)])
	if (acc.IconMime == "image/svg+xml" || bytes.HasPrefix(head, []byte("<svg")) || bytes.HasPrefix(head, []byte("<?xml"))) &&
		bytes.Contains(data, []byte("<svg")) {
		return IconSVG
	}
	return IconNone
}
