package routersim

import (
	"bytes"
	"crypto/subtle"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/url"
	"strings"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// The router's TOTP: RFC 6238, SHA-1, 6 digits, 30 s (drayos-web.md §3.1,
// Google Authenticator being DrayTek's documented app), with one step of
// tolerance either way [A].
const (
	totpPeriod = 30
	totpSkew   = 1
)

// newTOTPSecret returns a random 20-byte secret in Base32 without padding
// (RFC 4226 recommends 160 bits).
func newTOTPSecret() (string, error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: "DrayTek", AccountName: "admin", SecretSize: 20})
	if err != nil {
		return "", fmt.Errorf("generating a TOTP secret: %w", err)
	}
	return key.Secret(), nil
}

// matchTOTP checks code against secret at time now with one step of
// tolerance and returns the time step it matched.
func matchTOTP(secret, code string, now time.Time) (step int64, ok bool) {
	code = strings.TrimSpace(code)
	if len(code) != 6 || secret == "" {
		return 0, false
	}
	base := now.Unix() / totpPeriod
	for d := int64(-totpSkew); d <= totpSkew; d++ {
		s := base + d
		want, err := totp.GenerateCodeCustom(secret, time.Unix(s*totpPeriod, 0), totp.ValidateOpts{
			Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1,
		})
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return s, true
		}
	}
	return 0, false
}

// totpURI is the otpauth:// URI the Administrator Password page shows as a
// QR code (issuer DrayTek, drayos-web.md §4.2).
func totpURI(secret, user, model string) string {
	label := url.PathEscape("DrayTek:" + user + "@" + model)
	q := url.Values{}
	q.Set("secret", secret)
	q.Set("issuer", "DrayTek")
	q.Set("algorithm", "SHA1")
	q.Set("digits", "6")
	q.Set("period", fmt.Sprint(totpPeriod))
	return "otpauth://totp/" + label + "?" + q.Encode()
}

// qrPNG renders text as a QR code PNG of about size pixels.
func qrPNG(text string, size int) ([]byte, error) {
	hints := map[gozxing.EncodeHintType]any{gozxing.EncodeHintType_MARGIN: 4}
	m, err := qrcode.NewQRCodeWriter().Encode(text, gozxing.BarcodeFormat_QR_CODE, size, size, hints)
	if err != nil {
		return nil, fmt.Errorf("drawing the QR code: %w", err)
	}
	w, h := m.GetWidth(), m.GetHeight()
	img := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.Gray{Y: 255}
			if m.Get(x, y) {
				c = color.Gray{Y: 0}
			}
			img.SetGray(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("encoding the QR code: %w", err)
	}
	return buf.Bytes(), nil
}
