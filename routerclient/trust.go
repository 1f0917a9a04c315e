package routerclient

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// Fingerprint returns the SHA-256 of a certificate's SubjectPublicKeyInfo as
// 64 lower-case hex digits. Pinning the key rather than the certificate lets
// a router renew its self-signed certificate with the same key.
func Fingerprint(cert *x509.Certificate) string {
	sum := sha256.Sum256(cert.RawSubjectPublicKeyInfo)
	return hex.EncodeToString(sum[:])
}

// ParseFingerprint accepts a fingerprint written with or without colons or
// spaces, in any case, and returns it as 64 lower-case hex digits.
func ParseFingerprint(s string) (string, error) {
	clean := strings.ToLower(strings.NewReplacer(":", "", " ", "", "-", "").Replace(strings.TrimSpace(s)))
	if len(clean) != 64 {
		return "", fmt.Errorf("fingerprint: want 64 hex digits (SHA-256), got %d", len(clean))
	}
	if _, err := hex.DecodeString(clean); err != nil {
		return "", errors.New("fingerprint: not hexadecimal")
	}
	return clean, nil
}

// tlsConfig returns the TLS settings for one client: the standard chain
// check is replaced by the pin check.
func (c *Client) tlsConfig() *tls.Config {
	cfg := &tls.Config{}
	// Routers ship self-signed certificates that no CA signed, often for the
	// wrong host name and sometimes expired (drayos-web.md §2), so the
	// standard verification cannot pass. It is switched off only because
	// VerifyConnection below replaces it: every handshake, resumed or not,
	// must present the pinned key, and a client without a pin refuses to go
	// on (except Probe, which sends nothing secret and only reports the key).
	cfg.InsecureSkipVerify = true
	cfg.VerifyConnection = c.verifyPin
	return cfg
}

func (c *Client) verifyPin(cs tls.ConnectionState) error {
	if len(cs.PeerCertificates) == 0 {
		return errors.New("the router presented no certificate")
	}
	presented := Fingerprint(cs.PeerCertificates[0])
	c.mu.Lock()
	c.presented = presented
	c.mu.Unlock()
	switch {
	case c.pin == "" && c.probeOnly:
		return nil
	case c.pin == "":
		return &NotPinnedError{Presented: presented}
	case presented != c.pin:
		return &CertificateChangedError{Pinned: c.pin, Presented: presented}
	}
	return nil
}

// PresentedFingerprint returns the fingerprint of the last certificate the
// router presented, or "" before any TLS connection.
func (c *Client) PresentedFingerprint() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.presented
}
