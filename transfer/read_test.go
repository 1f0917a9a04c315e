package transfer

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatekey/gatekey/vault"
)

// TestPasswordErrors tells a wrong password from a damaged file, for both
// encrypted formats, and checks that the password is asked for only when
// a file is encrypted.
func TestPasswordErrors(t *testing.T) {
	twoFAS := readSample(t, "2fas_encrypted.2fas")
	aegis := readSample(t, "aegis_encrypted.json")
	tests := []struct {
		name     string
		data     []byte
		password func() ([]byte, error)
		want     []error
	}{
		// No password at hand.
		{"2fas without password", twoFAS, nil, []error{ErrPasswordRequired}},
		{"aegis without password", aegis, nil, []error{ErrPasswordRequired, vault.ErrPasswordRequired}},
		{"2fas empty password", twoFAS, password(""), []error{ErrPasswordRequired}},
		// A wrong password: 2FAS's reference field opens neither.
		{"2fas wrong password", twoFAS, password("tset"), []error{ErrWrongPassword}},
		{"aegis wrong password", aegis, password("tset"), []error{ErrWrongPassword, vault.ErrWrongPassword}},
		// The right password on a damaged file: the reference (or the
		// Aegis slot) opens, the accounts do not.
		{"2fas damaged services", damage2FAS(t, twoFAS), password("test"), []error{ErrMalformed}},
		{"aegis damaged db", damageAegis(t, aegis), password("test"), []error{ErrMalformed, vault.ErrCorrupt}},
		// The caller's prompt fails (the user cancelled).
		{"prompt cancelled", twoFAS, func() ([]byte, error) { return nil, errCancelled }, []error{errCancelled}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read("backup", bytes.NewReader(tc.data), ReadOptions{Password: tc.password})
			for _, w := range tc.want {
				if !errors.Is(err, w) {
					t.Errorf("error %v, want one wrapping %v", err, w)
				}
			}
			var fe *FileError
			if !errors.As(err, &fe) || fe.Path != "backup" || !strings.HasPrefix(err.Error(), "backup: ") {
				t.Errorf("error %v does not name the file", err)
			}
			if strings.Contains(err.Error(), "test") || strings.Contains(err.Error(), "tset") {
				t.Errorf("error %q shows the password", err)
			}
		})
	}
}

var errCancelled = errors.New("cancelled")

// TestPasswordAskedOnlyWhenEncrypted: a plain file never calls the prompt.
func TestPasswordAskedOnlyWhenEncrypted(t *testing.T) {
	for _, name := range []string{"aegis_plain.json", "2fas_plain.2fas", "uris.txt"} {
		asked := false
		_, err := Read(name, bytes.NewReader(readSample(t, name)), ReadOptions{Password: func() ([]byte, error) {
			asked = true
			return []byte("test"), nil
		}})
		if err != nil || asked {
			t.Errorf("%s: err %v, asked for a password: %v", name, err, asked)
		}
	}
}

// damage2FAS changes one byte of the encrypted services, leaving the
// reference intact.
func damage2FAS(t *testing.T, data []byte) []byte {
	t.Helper()
	i := bytes.Index(data, []byte(`"servicesEncrypted":"`))
	if i < 0 {
		t.Fatal("no servicesEncrypted")
	}
	return flipBase64(data, i+len(`"servicesEncrypted":"`)+10)
}

// damageAegis changes one byte of the encrypted db.
func damageAegis(t *testing.T, data []byte) []byte {
	t.Helper()
	i := bytes.Index(data, []byte(`"db": "`))
	if i < 0 {
		t.Fatal(`no "db": "`)
	}
	return flipBase64(data, i+len(`"db": "`)+10)
}

func flipBase64(data []byte, at int) []byte {
	out := bytes.Clone(data)
	if out[at] == 'A' {
		out[at] = 'B'
	} else {
		out[at] = 'A'
	}
	return out
}

// countingReader serves an endless stream of zeros and counts what was read.
type countingReader struct{ n int64 }

func (r *countingReader) Read(p []byte) (int, error) {
	clear(p)
	r.n += int64(len(p))
	return len(p), nil
}

// TestTooLarge refuses a 1 GiB input: a sparse file is refused before any
// of it is read, and a stream is read no further than the limit.
func TestTooLarge(t *testing.T) {
	path := filepath.Join(t.TempDir(), "huge.json")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(1 << 30); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := ReadFile(path, ReadOptions{}); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), path) {
		t.Errorf("ReadFile(1 GiB) = %v, want ErrTooLarge naming the file", err)
	}

	r := &countingReader{}
	if _, err := Read("stdin", io.LimitReader(r, 1<<30), ReadOptions{}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("Read(1 GiB stream) = %v, want ErrTooLarge", err)
	}
	if r.n > MaxFileSize+64<<10 {
		t.Errorf("read %d bytes of the stream, want at most about %d", r.n, MaxFileSize)
	}
}

// TestTruncated cuts every sample file at each sixteenth of its length:
// each cut gives an error naming the file (or, for line-based text, the
// accounts of the whole lines), never a panic.
func TestTruncated(t *testing.T) {
	for _, tc := range sampleFiles {
		data := readSample(t, tc.file)
		for i := 0; i < 16; i++ {
			cut := data[:len(data)*i/16]
			b, err := Read(tc.file, bytes.NewReader(cut), ReadOptions{Format: tc.format, Password: password("test")})
			if tc.format == FormatURI && err == nil {
				// A text file cut after a whole line is still a list of URIs;
				// a cut inside a line makes that line skipped or invalid.
				if len(b.Accounts) > strings.Count(string(cut), "\n")+1 {
					t.Errorf("%s cut at %d/16: %d accounts from %d lines", tc.file, i, len(b.Accounts), strings.Count(string(cut), "\n")+1)
				}
				continue
			}
			if tc.format == FormatGoogle && err == nil {
				// A batch of QR codes cut after its first: the accounts of
				// the whole first code, and the rest reported as missing.
				if len(b.Skipped) == 0 {
					t.Errorf("%s cut at %d/16: %d accounts and nothing reported missing", tc.file, i, len(b.Accounts))
				}
				continue
			}
			if err == nil {
				t.Errorf("%s cut at %d/16: no error", tc.file, i)
				continue
			}
			if !strings.HasPrefix(err.Error(), tc.file+": ") {
				t.Errorf("%s cut at %d/16: error %q does not name the file", tc.file, i, err)
			}
		}
	}
}

// TestReadErrors covers inputs that are not exports at all or not the
// format forced on them.
func TestReadErrors(t *testing.T) {
	tests := []struct {
		name   string
		data   string
		format Format
		want   error
	}{
		{"empty", "", FormatAuto, ErrUnknownFormat},
		{"blank", " \n\t\n", FormatAuto, ErrUnknownFormat},
		{"prose", "hello world", FormatAuto, ErrUnknownFormat},
		{"other JSON", `{"a":1}`, FormatAuto, ErrUnknownFormat},
		{"bad JSON", `{"header":`, FormatAuto, ErrUnknownFormat},
		{"empty list", `[]`, FormatAuto, ErrUnknownFormat},
		{"encrypted bitwarden", `{"encrypted":true,"items":[]}`, FormatAuto, ErrUnsupported},
		{"bad URI", "otpauth://totp/x?secret=1", FormatAuto, ErrMalformed},
		{"bad migration", "otpauth-migration://offline?data=%%%", FormatAuto, ErrMalformed},
		{"forced aegis on text", "otpauth://totp/x?secret=JBSWY3DP", FormatAegis, ErrMalformed},
		{"forced 2fas on a list", `[1,2]`, Format2FAS, ErrMalformed},
		{"unknown forced format", `{}`, Format("lastpass"), ErrUnknownFormat},
		{"2fas from the future", `{"schemaVersion":9,"services":[]}`, FormatAuto, ErrUnsupported},
		{"2fas bad ciphertext", `{"schemaVersion":4,"services":[],"servicesEncrypted":"a:b"}`, FormatAuto, ErrMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read("in.txt", strings.NewReader(tc.data), ReadOptions{Format: tc.format, Password: password("x")})
			if !errors.Is(err, tc.want) || !strings.HasPrefix(err.Error(), "in.txt: ") {
				t.Errorf("error %v, want %v naming in.txt", err, tc.want)
			}
		})
	}
}

// TestSkippedEntries lists unusable entries by name with a reason, and keeps
// the usable ones.
func TestSkippedEntries(t *testing.T) {
	const secret = "JBSWY3DPEHPK3PXP"
	tests := []struct {
		name     string
		data     string
		accounts int
		skipped  []string // items
	}{
		{"andotp motp", `[{"secret":"` + secret + `","issuer":"A","label":"a","digits":6,"type":"MOTP"},{"secret":"` + secret + `","issuer":"B","label":"b","digits":6,"type":"TOTP","period":30}]`, 1, []string{"A:a"}},
		{"andotp bad secret", `[{"secret":"!!","issuer":"A","label":"a","type":"TOTP"}]`, 0, []string{"A:a"}},
		{"freeotp bad byte", `{"tokens":[{"secret":[300],"issuerExt":"A","label":"a","type":"TOTP"}]}`, 0, []string{"A:a"}},
		{"uri list bad line", "otpauth://totp/A:a?secret=" + secret + "\nnonsense\n", 1, []string{"line 2"}},
		{"uri digits out of range", "otpauth://totp/A:a?secret=" + secret + "&digits=12\notpauth://totp/B:b?secret=" + secret, 1, []string{"line 1"}},
		{"2fas unknown type", `{"schemaVersion":4,"services":[{"name":"A","secret":"` + secret + `","otp":{"account":"a","tokenType":"YANDEX"}}]}`, 0, []string{"A:a"}},
		{"bitwarden bad totp", `{"encrypted":false,"items":[{"name":"Site","login":{"username":"me","totp":"!!"}},{"name":"Plain","login":{"password":"x"}}]}`, 0, []string{"Site:me"}},
		{"control characters in a name", `[{"secret":"!!","issuer":"A\u001b[2J","label":"a","type":"TOTP"}]`, 0, []string{"A[2J:a"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := Read("f", strings.NewReader(tc.data), ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var items []string
			for _, s := range b.Skipped {
				items = append(items, s.Item)
				if s.Reason == "" || strings.Contains(s.Reason, secret) {
					t.Errorf("skipped %q: reason %q", s.Item, s.Reason)
				}
			}
			if len(b.Accounts) != tc.accounts || strings.Join(items, ",") != strings.Join(tc.skipped, ",") {
				t.Errorf("%d accounts, skipped %q; want %d, %q", len(b.Accounts), items, tc.accounts, tc.skipped)
			}
		})
	}
}

// TestParseFormat accepts the CLI's names and nothing else.
func TestParseFormat(t *testing.T) {
	for _, f := range append([]Format{FormatAuto}, Formats...) {
		if got, err := ParseFormat(strings.ToUpper(string(f))); err != nil || got != f {
			t.Errorf("ParseFormat(%q) = %q, %v", f, got, err)
		}
	}
	if got, _ := ParseFormat(""); got != FormatAuto {
		t.Errorf(`ParseFormat("") = %q, want auto`, got)
	}
	if _, err := ParseFormat("keepass"); !errors.Is(err, ErrUnknownFormat) {
		t.Errorf("ParseFormat(keepass) = %v, want ErrUnknownFormat", err)
	}
}
