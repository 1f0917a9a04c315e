package transfer

import (
	"crypto/rand"
	"fmt"
	"io"
	"strings"

	"github.com/gatekey/gatekey/internal/atomicfile"
	"github.com/gatekey/gatekey/otp"
)

// ExportOptions configures Export.
type ExportOptions struct {
	// Password encrypts an Aegis export. Other formats have no encryption.
	Password []byte
	// Plain confirms that the user wants secrets written unencrypted (the
	// CLI's --plain). Without it, every unencrypted export is refused with
	// ErrPlainNotConfirmed.
	Plain bool
	// BatchID identifies a Google Authenticator export; zero picks a random
	// one.
	BatchID int32
}

// Export writes accounts to w in format f: FormatAegis (encrypted when
// opts.Password is set), FormatURI (one otpauth:// URI a line) or
// FormatGoogle (otpauth-migration:// URIs of 10 accounts each, one a line).
// Accounts the format cannot carry are returned as skipped, by name, and
// left out; the caller shows them to the user.
func Export(w io.Writer, f Format, accounts []otp.Account, opts ExportOptions) ([]Skipped, error) {
	encrypted := f == FormatAegis && len(opts.Password) > 0
	switch f {
	case FormatAegis, FormatURI, FormatGoogle:
	default:
		return nil, fmt.Errorf("%w: Gatekey exports aegis, uri and google, not %q", ErrUnknownFormat, f)
	}
	if !encrypted && !opts.Plain {
		return nil, ErrPlainNotConfirmed
	}
	var text string
	var skipped []Skipped
	switch f {
	case FormatAegis:
		return WriteAegis(w, accounts, opts.Password)
	case FormatURI:
		text, skipped = FormatURIList(accounts)
	case FormatGoogle:
		id := opts.BatchID
		if id == 0 {
			id = randomBatchID()
		}
		var uris []string
		uris, skipped = FormatGoogleBatch(accounts, id)
		text = joinLines(uris)
	}
	if _, err := io.WriteString(w, text); err != nil {
		return skipped, fmt.Errorf("writing the export: %w", err)
	}
	return skipped, nil
}

// ExportFile is Export to a file at path, written atomically with mode
// 0600. Nothing is written when the export is refused.
func ExportFile(path string, f Format, accounts []otp.Account, opts ExportOptions) ([]Skipped, error) {
	if f == FormatAegis && len(opts.Password) > 0 {
		return WriteAegisFile(path, accounts, opts.Password)
	}
	var buf bytesBuffer
	defer buf.wipe()
	skipped, err := Export(&buf, f, accounts, opts)
	if err == nil {
		err = atomicfile.Write(path, buf.b)
	}
	if err != nil {
		return skipped, &FileError{Path: path, Err: err}
	}
	return skipped, nil
}

// FormatURIList writes accounts as otpauth:// URIs, one a line (the plain
// text export of Aegis, Ente and Proton). Every valid account fits; invalid
// ones are skipped.
func FormatURIList(accounts []otp.Account) (text string, skipped []Skipped) {
	valid, skipped := validOnly(accounts)
	uris := make([]string, len(valid))
	for i, a := range valid {
		uris[i] = otp.FormatURI(a)
	}
	return joinLines(uris), skipped
}

// FormatGoogleBatch writes accounts as Google Authenticator export URIs
// (otpauth-migration://offline?data=...), 10 accounts each, all with
// batchID. Accounts the format cannot carry (Steam, a period other than
// 30 s, digits other than 6 or 8) are returned as skipped.
func FormatGoogleBatch(accounts []otp.Account, batchID int32) (uris []string, skipped []Skipped) {
	uris, s := otp.FormatMigration(accounts, batchID)
	for i, e := range s {
		skipped = append(skipped, Skipped{Item: itemName(e.Issuer, e.Name, i), Reason: e.Reason.Error()})
	}
	return uris, skipped
}

// validOnly splits accounts into those that can produce codes and the rest.
func validOnly(accounts []otp.Account) (valid []otp.Account, skipped []Skipped) {
	for i, a := range accounts {
		if err := a.Validate(); err != nil {
			skipped = append(skipped, Skipped{Item: itemName(a.Issuer, a.Name, i), Reason: err.Error()})
			continue
		}
		valid = append(valid, a)
	}
	return valid, skipped
}

func joinLines(lines []string) string {
	if len(lines) == 0 {
		return ""
	}
	return strings.Join(lines, "\n") + "\n"
}

func randomBatchID() int32 {
	var b [4]byte
	_, _ = rand.Read(b[:]) // never fails (Go 1.24+)
	return int32(uint32(b[0])<<24|uint32(b[1])<<16|uint32(b[2])<<8|uint32(b[3])) & 0x7fffffff
}

// bytesBuffer collects an export in memory so that it can be zeroed after
// being written.
type bytesBuffer struct{ b []byte }

func (w *bytesBuffer) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}

func (w *bytesBuffer) wipe() { clear(w.b) }
