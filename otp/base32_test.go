package otp

import (
	"bytes"
	"errors"
	"testing"
)

func TestDecodeBase32(t *testing.T) {
	hello := []byte("Hello!\xde\xad\xbe\xef")
	tests := []struct {
		name, in string
		want     []byte // nil: expect ErrInvalidSecret
	}{
		// What apps and websites actually hand out.
		{"canonical", "JBSWY3DPEHPK3PXP", hello},
		{"lower case", "jbswy3dpehpk3pxp", hello},
		{"spaces in groups", "jbsw y3dp ehpk 3pxp", hello},
		{"dashes", "JBSW-Y3DP-EHPK-3PXP", hello},
		{"tab and surrounding space", " JBSWY3DP\tEHPK3PXP ", hello},
		{"padded", "MZXW6===", []byte("foo")},
		{"padding missing", "MZXW6", []byte("foo")},
		{"one byte", "ME", []byte("a")},
		// Not secrets.
		{"empty", "", nil},
		{"only separators", " - - ", nil},
		{"only padding", "====", nil},
		{"digit 1 is not Base32", "JBSWY3DPEHPK3PX1", nil},
		{"digit 0 is not Base32", "0BSWY3DP", nil},
		{"punctuation", "JBSW!3DP", nil},
		{"padding inside", "MZ=XW6", nil},
		{"impossible length 1", "A", nil},
		{"impossible length 3", "ABC", nil},
		{"impossible length 6", "ABCDEF", nil},
		{"non-ASCII", "JBSWY3DPÉHPK3PXP", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeBase32(tt.in)
			if tt.want == nil {
				if !errors.Is(err, ErrInvalidSecret) {
					t.Fatalf("DecodeBase32(%q) = %x, %v; want ErrInvalidSecret", tt.in, got, err)
				}
				return
			}
			if err != nil || !bytes.Equal(got, tt.want) {
				t.Fatalf("DecodeBase32(%q) = %x, %v; want %x", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestDecodeBase32TooLong(t *testing.T) {
	long := bytes.Repeat([]byte("A"), maxSecretLen+8)
	if _, err := DecodeBase32(string(long)); !errors.Is(err, ErrInvalidSecret) {
		t.Fatalf("DecodeBase32 of %d characters: err = %v, want ErrInvalidSecret", len(long), err)
	}
}

func TestBase32RoundTrip(t *testing.T) {
	for n := range 70 {
		b := make([]byte, n+1)
		for i := range b {
			b[i] = byte(i*37 + n)
		}
		s := EncodeBase32(b)
		if bytes.ContainsAny([]byte(s), "=abcdefghijklmnopqrstuvwxyz") {
			t.Fatalf("EncodeBase32 wrote %q: want upper case without padding", s)
		}
		got, err := DecodeBase32(s)
		if err != nil || !bytes.Equal(got, b) {
			t.Fatalf("round trip of %d bytes: got %x, %v", len(b), got, err)
		}
	}
}

func TestInvalidSecretErrorHidesSecret(t *testing.T) {
	const secret = "SECRETSECRETSECRET1"
	_, err := DecodeBase32(secret)
	if err == nil || bytes.Contains([]byte(err.Error()), []byte("SECRET")) {
		t.Fatalf("error %v: want an error that does not quote the secret", err)
	}
}
