// Package transfer imports accounts from the files other authenticator apps
// export (Aegis, 2FAS, Google Authenticator, Bitwarden, andOTP, FreeOTP+,
// Proton, plain otpauth:// lists) and exports Gatekey's accounts to the
// formats other apps read (formats.md). Every file is untrusted input: sizes
// and key-derivation parameters are bounded, nothing panics, and errors name
// the file and what is wrong without quoting a secret.
package transfer

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/gatekey/gatekey/internal/readlimit"
	"github.com/gatekey/gatekey/otp"
)

// MaxFileSize is the largest file Read accepts. Real exports are a few
// kilobytes per account; 16 MiB holds tens of thousands of accounts with
// icons, and refusing more keeps a hostile or mistaken file (a disk image,
// a video) from being read into memory.
const MaxFileSize = 16 << 20

// Format names an import or export format, spelled as on the command line
// (CLI.md).
type Format string

// The formats Gatekey reads; Aegis, URI and Google are also written.
const (
	FormatAuto      Format = "auto"
	FormatAegis     Format = "aegis"
	Format2FAS      Format = "2fas"
	FormatURI       Format = "uri"
	FormatGoogle    Format = "google"
	FormatBitwarden Format = "bitwarden"
	FormatAndOTP    Format = "andotp"
	FormatFreeOTP   Format = "freeotp+"
	FormatProton    Format = "proton"
)

// Formats lists every format Read accepts, auto excepted, in the order the
// CLI documents them.
var Formats = []Format{FormatAegis, Format2FAS, FormatURI, FormatGoogle, FormatBitwarden, FormatAndOTP, FormatFreeOTP, FormatProton}

// ParseFormat reads a format name as the CLI spells it (case-insensitive).
// An empty name means auto.
func ParseFormat(s string) (Format, error) {
	f := Format(strings.ToLower(strings.TrimSpace(s)))
	if f == "" || f == FormatAuto {
		return FormatAuto, nil
	}
	for _, known := range Formats {
		if f == known {
			return f, nil
		}
	}
	return "", fmt.Errorf("%w: %q (known: auto, aegis, 2fas, uri, google, bitwarden, andotp, freeotp+, proton)", ErrUnknownFormat, s)
}

// Sentinel errors callers branch on. They are always wrapped, usually in a
// *FileError that names the file; test for them with errors.Is.
var (
	// ErrPasswordRequired means the file is encrypted and no password was
	// given (ReadOptions.Password is nil or returned nothing).
	ErrPasswordRequired = errors.New("the file is encrypted and needs its password")

	// ErrWrongPassword means the password does not open the file.
	ErrWrongPassword = errors.New("wrong password")

	// ErrUnknownFormat means the content is none of the formats Gatekey
	// reads, or a format name is unknown.
	ErrUnknownFormat = errors.New("unknown file format")

	// ErrTooLarge means the file is larger than MaxFileSize.
	ErrTooLarge = errors.New("the file is too large to be an authenticator export")

	// ErrMalformed means the file is of a known format but damaged,
	// truncated or not what it claims to be.
	ErrMalformed = errors.New("the file is damaged or malformed")

	// ErrUnsupported means the file is well formed but uses a variant
	// Gatekey does not read, such as an encrypted Bitwarden export.
	ErrUnsupported = errors.New("unsupported variant of the format")

	// ErrPlainNotConfirmed means an export would write secrets unencrypted
	// and ExportOptions.Plain was not set (the CLI's --plain).
	ErrPlainNotConfirmed = errors.New("this export writes secrets unencrypted; confirm it explicitly (--plain)")
)

// FileError is an error about one imported or exported file. Path names the
// file as the caller gave it; Err wraps one of the sentinels above. It never
// holds a password or a secret.
type FileError struct {
	Path string
	Err  error
}

// Error names the file and says what is wrong with it.
func (e *FileError) Error() string { return e.Path + ": " + e.Err.Error() }

// Unwrap returns the wrapped error, so that errors.Is finds the sentinel.
func (e *FileError) Unwrap() error { return e.Err }

// dualError carries one of this package's sentinels and the vault error it
// stands for, so that errors.Is matches both (transfer.ErrWrongPassword and
// vault.ErrWrongPassword) while the message is the vault's alone.
type dualError struct {
	ours, theirs error
}

func (e *dualError) Error() string   { return e.theirs.Error() }
func (e *dualError) Unwrap() []error { return []error{e.ours, e.theirs} }

// Skipped names an entry of a file that was not imported or exported, and
// why. Item is the entry's issuer and name (or its position when it has
// none); it never holds a secret.
type Skipped struct {
	Item   string `json:"item"`
	Reason string `json:"reason"`
}

// MaxSkipped is how many skipped entries a Batch or a Report lists; the
// rest are only counted (SkippedMore). A hostile or broken file can hold
// hundreds of thousands of entries nobody would read one by one.
const MaxSkipped = 100

// Batch is what one file holds: the accounts Gatekey can use and the
// entries it cannot, each with its reason (the first MaxSkipped of them;
// SkippedMore counts the others).
type Batch struct {
	Accounts    []otp.Account
	Skipped     []Skipped
	SkippedMore int
	Format      Format
}

// ReadOptions configures Read.
type ReadOptions struct {
	// Format forces a format; empty or FormatAuto detects it from the
	// content.
	Format Format
	// Password is called only when the file turns out to be encrypted, so
	// that a user interface asks for it only then. Nil means no password:
	// an encrypted file then fails with ErrPasswordRequired.
	Password func() ([]byte, error)
}

// ReadFile reads the accounts of the export file at path. A file larger
// than MaxFileSize is refused before any of it is read.
func ReadFile(path string, opts ReadOptions) (*Batch, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &FileError{Path: path, Err: err}
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > MaxFileSize {
		return nil, &FileError{Path: path, Err: tooLarge()}
	}
	return Read(path, f, opts)
}

// Read reads the accounts of one export file from r; name is how errors
// refer to it. At most MaxFileSize bytes are read: a longer input is
// refused with ErrTooLarge, never truncated.
func Read(name string, r io.Reader, opts ReadOptions) (*Batch, error) {
	data, err := readlimit.All(r, MaxFileSize)
	if errors.Is(err, readlimit.ErrTooLarge) {
		return nil, &FileError{Path: name, Err: tooLarge()}
	}
	if err != nil {
		return nil, &FileError{Path: name, Err: fmt.Errorf("reading: %w", err)}
	}
	defer clear(data)
	b, err := parse(data, opts)
	if err != nil {
		return nil, &FileError{Path: name, Err: err}
	}
	return b, nil
}

func tooLarge() error {
	return fmt.Errorf("%w (more than %d MiB)", ErrTooLarge, MaxFileSize>>20)
}

// parse reads data in the format opts asks for, or the detected one.
func parse(data []byte, opts ReadOptions) (*Batch, error) {
	f := opts.Format
	if f == "" || f == FormatAuto {
		var err error
		if f, err = Detect(data); err != nil {
			return nil, err
		}
	} else if _, err := ParseFormat(string(f)); err != nil {
		return nil, err
	}
	b := &Batch{Format: f}
	var err error
	switch f {
	case FormatAegis:
		err = readAegis(data, opts.Password, b)
	case Format2FAS:
		err = read2FAS(data, opts.Password, b)
	case FormatURI, FormatGoogle:
		err = readText(data, b)
	case FormatBitwarden:
		err = readBitwarden(data, b)
	case FormatAndOTP:
		err = readAndOTP(data, b)
	case FormatFreeOTP:
		err = readFreeOTP(data, b)
	case FormatProton:
		err = readProton(data, b)
	}
	if err != nil {
		return nil, err
	}
	return b, nil
}

// askPassword calls the caller's password callback, turning "no callback"
// and "no password" into ErrPasswordRequired.
func askPassword(ask func() ([]byte, error)) ([]byte, error) {
	if ask == nil {
		return nil, ErrPasswordRequired
	}
	pw, err := ask()
	if err != nil {
		return nil, fmt.Errorf("asking for the password: %w", err)
	}
	if len(pw) == 0 {
		return nil, ErrPasswordRequired
	}
	return pw, nil
}

// itemName labels an entry for a Skipped list: "issuer:name", either part
// alone, or its position in the file.
func itemName(issuer, name string, index int) string {
	issuer, name = printable(issuer), printable(name)
	switch {
	case issuer != "" && name != "":
		return issuer + ":" + name
	case issuer != "":
		return issuer
	case name != "":
		return name
	}
	return fmt.Sprintf("entry %d", index+1)
}

// printable shortens a label read from a file and drops control
// characters, so that a hostile name cannot flood or corrupt a terminal.
func printable(s string) string {
	const maxLabel = 80
	var b strings.Builder
	n := 0
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			continue
		}
		if n == maxLabel {
			b.WriteString("…")
			break
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// add validates a and appends it to the batch, or lists it as skipped.
func (b *Batch) add(a otp.Account, index int) {
	if err := a.Validate(); err != nil {
		b.skip(a.Issuer, a.Name, index, err)
		return
	}
	b.Accounts = append(b.Accounts, a)
}

// skip lists an entry as not imported.
func (b *Batch) skip(issuer, name string, index int, reason error) {
	if len(b.Skipped) >= MaxSkipped {
		b.SkippedMore++ // not even labelled: a label costs work too
		return
	}
	b.addSkipped(Skipped{Item: itemName(issuer, name, index), Reason: reason.Error()})
}

// addSkipped lists s, or counts it once MaxSkipped are listed.
func (b *Batch) addSkipped(s Skipped) {
	if len(b.Skipped) >= MaxSkipped {
		b.SkippedMore++
		return
	}
	b.Skipped = append(b.Skipped, s)
}
