package app

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/gatekey/gatekey/internal/atomicfile"
	"github.com/gatekey/gatekey/otp"
	"github.com/gatekey/gatekey/qrscan"
	"github.com/gatekey/gatekey/transfer"
)

// ImportFiles imports other apps' export files: it reads every file before
// touching the vault, so that a bad file among several changes nothing,
// then adds the accounts that are new and reports what was imported, what
// was already there and what the readers skipped (each item named with
// its file when there are several). password(path) is called only for an
// encrypted file. With dryRun nothing is saved; a nil a (a dry run before
// any vault exists) compares with an empty vault.
func ImportFiles(a *Authenticator, paths []string, format transfer.Format, password func(path string) PasswordFunc, dryRun bool) (transfer.Report, error) {
	batches := make([]*transfer.Batch, 0, len(paths))
	for _, p := range paths {
		b, err := transfer.ReadFile(p, transfer.ReadOptions{Format: format, Password: password(p)})
		if err != nil {
			return transfer.Report{}, err
		}
		batches = append(batches, b)
	}
	total := transfer.Report{Skipped: []transfer.Skipped{}}
	for i, b := range batches {
		r, err := importBatch(a, b, dryRun)
		if err != nil {
			return transfer.Report{}, fmt.Errorf("importing %s: %w", paths[i], err)
		}
		total.Imported += r.Imported
		total.Duplicates += r.Duplicates
		total.SkippedMore += r.SkippedMore
		for _, s := range r.Skipped {
			if len(total.Skipped) == transfer.MaxSkipped {
				total.SkippedMore++ // the report of several files stays bounded too
				continue
			}
			if len(paths) > 1 {
				s.Item = paths[i] + ": " + s.Item
			}
			total.Skipped = append(total.Skipped, s)
		}
	}
	return total, nil
}

func importBatch(a *Authenticator, b *transfer.Batch, dryRun bool) (transfer.Report, error) {
	if a == nil {
		add, dups := transfer.Merge(nil, b.Accounts)
		return transfer.NewReport(b, add, dups), nil
	}
	return a.ImportBatch(b, dryRun)
}

// Export writes every account to path in format. Aegis is encrypted with
// opts.Password unless opts.Plain; every other format needs opts.Plain. It
// returns how many accounts were written and those the format cannot
// carry.
func (a *Authenticator) Export(path string, format transfer.Format, opts transfer.ExportOptions) (int, []transfer.Skipped, error) {
	accs := a.Accounts()
	skipped, err := transfer.ExportFile(path, format, accs, opts)
	if err != nil {
		return 0, nil, err
	}
	return len(accs) - len(skipped), skipped, nil
}

// googleQRSize is the side of an exported migration QR code, large enough
// for a phone to read a full batch off a screen.
const googleQRSize = 800

// ExportGoogleQR writes the accounts as Google Authenticator migration
// batches, one PNG per QR code, into dir, to scan with a phone one after
// another. It returns the files written and the accounts Google
// Authenticator cannot carry.
func (a *Authenticator) ExportGoogleQR(dir string) ([]string, []otp.Skipped, error) {
	uris, skipped := otp.FormatMigration(a.Accounts(), rand.Int32N(1<<30)+1)
	if len(uris) == 0 {
		return nil, skipped, ErrNothingToExport
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, skipped, err
	}
	paths := make([]string, 0, len(uris))
	for i, uri := range uris {
		png, err := qrscan.RenderPNG(uri, googleQRSize)
		if err != nil {
			return paths, skipped, err
		}
		path := filepath.Join(dir, fmt.Sprintf("google-authenticator-%d-of-%d.png", i+1, len(uris)))
		if err := atomicfile.Write(path, png); err != nil {
			return paths, skipped, err
		}
		paths = append(paths, path)
	}
	return paths, skipped, nil
}

// WriteQRCode draws acc as an otpauth:// QR code of size pixels into a PNG
// file, to move the account to a phone.
func WriteQRCode(acc otp.Account, path string, size int) error {
	if size < 64 || size > qrscan.MaxRenderSize {
		return badInput(fmt.Sprintf("a QR code image is between 64 and %d pixels wide", qrscan.MaxRenderSize))
	}
	png, err := qrscan.RenderPNG(otp.FormatURI(acc), size)
	if err != nil {
		return err
	}
	return atomicfile.Write(path, png)
}

// Import reads another app's export file into the open vault (ImportFiles
// for one file, as the window's Add menu and drops do).
func (d *Desktop) Import(path string, password func() ([]byte, error)) (transfer.Report, error) {
	a := d.current()
	if a == nil {
		return transfer.Report{}, ErrNotOpen
	}
	return ImportFiles(a, []string{path}, transfer.FormatAuto, func(string) PasswordFunc { return password }, false)
}

// ErrNothingToExport means no account fits the chosen export format.
var ErrNothingToExport = errors.New("no account can be exported to Google Authenticator")
