package otp

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// hello is the secret JBSWY3DPEHPK3PXP.
var hello = []byte("Hello!\xde\xad\xbe\xef")

// uriTests is shared by TestParseURI and FuzzParseURI's seed corpus.
var uriTests = []struct {
	name string
	uri  string
	want Account
	err  error // nil: want the account
}{
	// Google's examples and the defaults.
	{"google example", "otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example",
		Account{Type: TOTP, Issuer: "Example", Name: "alice@google.com", Secret: hello, Algorithm: SHA1, Digits: 6, Period: 30}, nil},
	{"no issuer anywhere", "otpauth://totp/alice@google.com?secret=JBSWY3DPEHPK3PXP",
		Account{Type: TOTP, Name: "alice@google.com", Secret: hello, Algorithm: SHA1, Digits: 6, Period: 30}, nil},
	{"all parameters", "otpauth://totp/ACME%20Co:john.doe@email.com?secret=JBSWY3DPEHPK3PXP&issuer=ACME%20Co&algorithm=SHA512&digits=8&period=60",
		Account{Type: TOTP, Issuer: "ACME Co", Name: "john.doe@email.com", Secret: hello, Algorithm: SHA512, Digits: 8, Period: 60}, nil},
	{"hotp", "otpauth://hotp/Example:bob?secret=JBSWY3DPEHPK3PXP&issuer=Example&counter=42&digits=7",
		Account{Type: HOTP, Issuer: "Example", Name: "bob", Secret: hello, Algorithm: SHA1, Digits: 7, Counter: 42}, nil},

	// Label and issuer spelling.
	{"encoded colon and space after it", "otpauth://totp/Example%3A%20alice?secret=JBSWY3DPEHPK3PXP",
		Account{Type: TOTP, Issuer: "Example", Name: "alice", Secret: hello, Algorithm: SHA1, Digits: 6, Period: 30}, nil},
	{"issuer only in label", "otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP",
		Account{Type: TOTP, Issuer: "Example", Name: "alice", Secret: hello, Algorithm: SHA1, Digits: 6, Period: 30}, nil},
	{"issuer parameter wins over label", "otpauth://totp/Old:alice?secret=JBSWY3DPEHPK3PXP&issuer=New",
		Account{Type: TOTP, Issuer: "New", Name: "alice", Secret: hello, Algorithm: SHA1, Digits: 6, Period: 30}, nil},
	{"plus is a space in the query", "otpauth://totp/Air%20Canada:me?secret=JBSWY3DPEHPK3PXP&issuer=Air+Canada",
		Account{Type: TOTP, Issuer: "Air Canada", Name: "me", Secret: hello, Algorithm: SHA1, Digits: 6, Period: 30}, nil},
	{"plus is literal in the label", "otpauth://totp/a+b@example.com?secret=JBSWY3DPEHPK3PXP",
		Account{Type: TOTP, Name: "a+b@example.com", Secret: hello, Algorithm: SHA1, Digits: 6, Period: 30}, nil},
	{"issuer containing a colon", "otpauth://totp/A%3AB:me?secret=JBSWY3DPEHPK3PXP&issuer=A%3AB",
		Account{Type: TOTP, Issuer: "A:B", Name: "me", Secret: hello, Algorithm: SHA1, Digits: 6, Period: 30}, nil},
	{"name containing a colon, no issuer", "otpauth://totp/:a:b?secret=JBSWY3DPEHPK3PXP",
		Account{Type: TOTP, Name: "a:b", Secret: hello, Algorithm: SHA1, Digits: 6, Period: 30}, nil},
	{"utf-8 label", "otpauth://totp/B%C3%BCro:j%C3%BCrgen?secret=JBSWY3DPEHPK3PXP&issuer=B%C3%BCro",
		Account{Type: TOTP, Issuer: "Büro", Name: "jürgen", Secret: hello, Algorithm: SHA1, Digits: 6, Period: 30}, nil},
	{"empty label", "otpauth://totp/?secret=JBSWY3DPEHPK3PXP&issuer=X",
		Account{Type: TOTP, Issuer: "X", Secret: hello, Algorithm: SHA1, Digits: 6, Period: 30}, nil},

	// Leniency: case, secret spelling, extra parameters.
	{"upper-case scheme and type", "OTPAUTH://TOTP/x?SECRET=jbsw+y3dp-ehpk3pxp&Algorithm=sha256",
		Account{Type: TOTP, Name: "x", Secret: hello, Algorithm: SHA256, Digits: 6, Period: 30}, nil},
	{"unknown parameters ignored (Ente)", "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&codeDisplay=%7B%22pinned%22%3Atrue%7D&image=https%3A%2F%2Fe.com%2Fi.png",
		Account{Type: TOTP, Name: "x", Secret: hello, Algorithm: SHA1, Digits: 6, Period: 30}, nil},
	{"first of repeated parameters", "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=8&digits=6",
		Account{Type: TOTP, Name: "x", Secret: hello, Algorithm: SHA1, Digits: 8, Period: 30}, nil},
	{"period ignored for hotp", "otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=0&period=abc",
		Account{Type: HOTP, Name: "x", Secret: hello, Algorithm: SHA1, Digits: 6}, nil},

	// Steam, as Aegis writes it and as KeePassXC writes it.
	{"steam type", "otpauth://steam/Steam:gamer?period=30&digits=5&algorithm=SHA1&secret=JBSWY3DPEHPK3PXP&issuer=Steam",
		Account{Type: Steam, Issuer: "Steam", Name: "gamer", Secret: hello, Algorithm: SHA1, Digits: 5, Period: 30}, nil},
	{"steam defaults to 5 characters", "otpauth://steam/gamer?secret=JBSWY3DPEHPK3PXP",
		Account{Type: Steam, Name: "gamer", Secret: hello, Algorithm: SHA1, Digits: 5, Period: 30}, nil},
	{"totp with steam encoder", "otpauth://totp/Steam:gamer?secret=JBSWY3DPEHPK3PXP&issuer=Steam&encoder=steam",
		Account{Type: Steam, Issuer: "Steam", Name: "gamer", Secret: hello, Algorithm: SHA1, Digits: 5, Period: 30}, nil},

	// Rejected.
	{"wrong scheme", "https://example.com/?secret=JBSWY3DPEHPK3PXP", Account{}, ErrInvalidURI},
	{"migration is not a key URI", "otpauth-migration://offline?data=CgA", Account{}, ErrInvalidURI},
	{"unknown type", "otpauth://motp/x?secret=JBSWY3DPEHPK3PXP", Account{}, ErrUnsupported},
	{"no type", "otpauth:///x?secret=JBSWY3DPEHPK3PXP", Account{}, ErrUnsupported},
	{"no secret", "otpauth://totp/x?issuer=X", Account{}, ErrInvalidURI},
	{"empty secret", "otpauth://totp/x?secret=", Account{}, ErrInvalidSecret},
	{"bad secret", "otpauth://totp/x?secret=JBSWY3DPEHPK3PX1", Account{}, ErrInvalidSecret},
	{"md5", "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&algorithm=MD5", Account{}, ErrUnsupported},
	{"digits 0", "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=0", Account{}, ErrInvalidURI},
	{"digits 11", "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=11", Account{}, ErrInvalidURI},
	{"digits not a number", "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=six", Account{}, ErrInvalidURI},
	{"period 0", "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&period=0", Account{}, ErrInvalidURI},
	{"period negative", "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&period=-30", Account{}, ErrInvalidURI},
	{"period huge", "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&period=99999999999", Account{}, ErrInvalidURI},
	{"hotp without counter", "otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP", Account{}, ErrInvalidURI},
	{"hotp negative counter", "otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=-1", Account{}, ErrInvalidURI},
	{"bad escape in label", "otpauth://totp/a%zz?secret=JBSWY3DPEHPK3PXP", Account{}, ErrInvalidURI},
	{"bad escape in query", "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&issuer=%4", Account{}, ErrInvalidURI},
	{"too long", "otpauth://totp/" + strings.Repeat("a", maxURILen) + "?secret=JBSWY3DPEHPK3PXP", Account{}, ErrInvalidURI},
}

func TestParseURI(t *testing.T) {
	for _, tt := range uriTests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseURI(tt.uri)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("ParseURI error = %v, want %v", err, tt.err)
				}
				if err != nil && strings.Contains(err.Error(), "JBSWY3DPEHPK3P") {
					t.Fatalf("error %q quotes the secret", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseURI: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Fatalf("ParseURI (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFormatURI(t *testing.T) {
	tests := []struct {
		name string
		a    Account
		want string
	}{
		{"formats.md shape", Account{Type: TOTP, Issuer: "Example", Name: "alice@google.com", Secret: hello, Algorithm: SHA1, Digits: 6, Period: 30},
			"otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example&algorithm=SHA1&digits=6&period=30"},
		{"spaces and plus encoded", Account{Type: TOTP, Issuer: "Air Canada", Name: "a+b c", Secret: hello, Algorithm: SHA256, Digits: 8, Period: 60},
			"otpauth://totp/Air%20Canada:a%2Bb%20c?secret=JBSWY3DPEHPK3PXP&issuer=Air+Canada&algorithm=SHA256&digits=8&period=60"},
		{"no issuer", Account{Type: TOTP, Name: "me", Secret: hello, Algorithm: SHA1, Digits: 6, Period: 30},
			"otpauth://totp/me?secret=JBSWY3DPEHPK3PXP&algorithm=SHA1&digits=6&period=30"},
		{"colon in name without issuer", Account{Type: TOTP, Name: "a:b", Secret: hello, Algorithm: SHA1, Digits: 6, Period: 30},
			"otpauth://totp/:a:b?secret=JBSWY3DPEHPK3PXP&algorithm=SHA1&digits=6&period=30"},
		{"slash and question mark in name", Account{Type: TOTP, Issuer: "X", Name: "a/b?c&d", Secret: hello, Algorithm: SHA1, Digits: 6, Period: 30},
			"otpauth://totp/X:a%2Fb%3Fc&d?secret=JBSWY3DPEHPK3PXP&issuer=X&algorithm=SHA1&digits=6&period=30"},
		{"hotp writes counter", Account{Type: HOTP, Issuer: "X", Name: "me", Secret: hello, Algorithm: SHA1, Digits: 6, Counter: 7},
			"otpauth://hotp/X:me?secret=JBSWY3DPEHPK3PXP&issuer=X&algorithm=SHA1&digits=6&counter=7"},
		{"steam as aegis", Account{Type: Steam, Issuer: "Steam", Name: "gamer", Secret: hello, Algorithm: SHA1, Digits: 5, Period: 30},
			"otpauth://steam/Steam:gamer?secret=JBSWY3DPEHPK3PXP&issuer=Steam&algorithm=SHA1&digits=5&period=30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FormatURI(tt.a)
			if got != tt.want {
				t.Fatalf("FormatURI:\n got %s\nwant %s", got, tt.want)
			}
			back, err := ParseURI(got)
			if err != nil {
				t.Fatalf("ParseURI(FormatURI): %v", err)
			}
			if diff := cmp.Diff(tt.a, back); diff != "" {
				t.Fatalf("round trip (-want +got):\n%s", diff)
			}
		})
	}
}

// TestURIRoundTrip: every account a table URI yields is written and read
// back unchanged.
func TestURIRoundTrip(t *testing.T) {
	for _, tt := range uriTests {
		if tt.err != nil {
			continue
		}
		back, err := ParseURI(FormatURI(tt.want))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if diff := cmp.Diff(tt.want, back); diff != "" {
			t.Errorf("%s: round trip (-want +got):\n%s", tt.name, diff)
		}
	}
}

// FuzzParseURI: untrusted text never panics, and whatever parses survives
// FormatURI and ParseURI unchanged.
func FuzzParseURI(f *testing.F) {
	for _, tt := range uriTests {
		f.Add(tt.uri)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseURI(s)
		if err != nil {
			if !errors.Is(err, ErrInvalidURI) {
				t.Fatalf("error %v does not wrap ErrInvalidURI", err)
			}
			return
		}
		if err := a.Validate(); err != nil {
			t.Fatalf("ParseURI accepted an account Validate rejects: %v", err)
		}
		uri := FormatURI(a)
		if len(uri) > maxURILen {
			// Percent-encoding can triple a label; such a URI is refused
			// on the way back in by the length bound, as it should be.
			return
		}
		back, err := ParseURI(uri)
		if err != nil {
			// Only the error: the URI holds the secret.
			t.Fatalf("ParseURI(FormatURI(ParseURI(s))): %v", err)
		}
		if !cmp.Equal(a, back) {
			t.Fatalf("round trip changed the account: issuer %q -> %q, name %q -> %q, type %s -> %s",
				a.Issuer, back.Issuer, a.Name, back.Name, a.Type, back.Type)
		}
	})
}
