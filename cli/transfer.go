package cli

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gatekey/gatekey/app"
	"github.com/gatekey/gatekey/internal/atomicfile"
	"github.com/gatekey/gatekey/otp"
	"github.com/gatekey/gatekey/qrscan"
	"github.com/gatekey/gatekey/transfer"
)

func init() {
	register(&command{name: "import", run: runImport,
		summary: "import accounts from another app's export (format detected from the content)",
		usage:   "gatekey import [--format F] [--password-file P] [--dry-run] [--json] FILE..."})
	register(&command{name: "export", run: runExport,
		summary: "export the accounts for another app or a backup",
		usage:   "gatekey export --format aegis|uri|google|google-qr [--password-file P] [--plain] OUT"})
}

func runImport(c *ctx, args []string) int {
	fs := c.flags()
	formatName := fs.String("format", "auto", "auto, "+formatList())
	dryRun := fs.Bool("dry-run", false, "show what would be imported without changing the vault")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	files, code, ok := c.parseOrExit(fs, args)
	if !ok {
		return code
	}
	if len(files) == 0 {
		return c.usageError("import takes at least one file", "")
	}
	format, err := transfer.ParseFormat(*formatName)
	if err != nil {
		return c.usageError(err.Error(), "")
	}
	// Read every file before touching the vault, so that a bad file among
	// several changes nothing.
	var batches []*transfer.Batch
	for _, f := range files {
		b, err := transfer.ReadFile(f, transfer.ReadOptions{Format: format, Password: c.password("Password of " + f + ": ")})
		if err != nil {
			return c.importError(err)
		}
		batches = append(batches, b)
	}
	// A dry run against a vault that does not exist yet compares with
	// nothing rather than creating it.
	importBatch := func(b *transfer.Batch) (transfer.Report, error) {
		add, dups := transfer.Merge(nil, b.Accounts)
		return transfer.NewReport(b, add, dups), nil
	}
	if home, err := app.ResolveHome(c.home); !*dryRun || err != nil || fileExists(app.VaultPath(home)) {
		auth, code, ok := c.openAuthenticator(!*dryRun)
		if !ok {
			return code
		}
		importBatch = func(b *transfer.Batch) (transfer.Report, error) { return auth.ImportBatch(b, *dryRun) }
	}
	total := transfer.Report{Skipped: []transfer.Skipped{}}
	for i, b := range batches {
		r, err := importBatch(b)
		if err != nil {
			return c.vaultError(err)
		}
		total.Imported += r.Imported
		total.Duplicates += r.Duplicates
		for _, s := range r.Skipped {
			total.Skipped = append(total.Skipped, transfer.Skipped{Item: files[i] + ": " + s.Item, Reason: s.Reason})
		}
	}
	if *asJSON {
		return c.printJSON(total)
	}
	verb := "imported"
	if *dryRun {
		verb = "would import"
	}
	c.println(fmt.Sprintf("%s %d, already present %d, skipped %d", verb, total.Imported, total.Duplicates, len(total.Skipped)))
	for _, s := range total.Skipped {
		c.say("skipped "+s.Item+": "+s.Reason, "")
	}
	return ExitOK
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func (c *ctx) importError(err error) int {
	switch {
	case errors.Is(err, errNoPassword):
		return c.usageError(err.Error(), "")
	case errors.Is(err, transfer.ErrWrongPassword):
		return c.fail(err.Error(), "")
	case errors.Is(err, transfer.ErrPasswordRequired):
		return c.fail(err.Error(), "pass --password-file FILE, or run on a terminal to be asked")
	}
	return c.usageError(err.Error(), "")
}

func formatList() string {
	names := make([]string, len(transfer.Formats))
	for i, f := range transfer.Formats {
		names[i] = string(f)
	}
	return strings.Join(names, ", ")
}

func runExport(c *ctx, args []string) int {
	fs := c.flags()
	formatName := fs.String("format", "", "aegis (encrypted unless --plain), uri, google, or google-qr (PNG files into a folder)")
	plain := fs.Bool("plain", false, "confirm that the output holds the secrets unencrypted")
	rest, code, ok := c.parseOrExit(fs, args)
	if !ok {
		return code
	}
	if len(rest) != 1 || *formatName == "" {
		return c.usageError("export takes --format and one output path", "run 'gatekey export --help'")
	}
	out := rest[0]
	if *formatName == "google-qr" {
		if !*plain {
			return c.usageError("QR images hold the secrets unencrypted; add --plain to confirm", "")
		}
		return c.exportGoogleQR(out)
	}
	format, err := transfer.ParseFormat(*formatName)
	if err != nil || format == transfer.FormatAuto || !slices.Contains([]transfer.Format{transfer.FormatAegis, transfer.FormatURI, transfer.FormatGoogle}, format) {
		return c.usageError(quote(*formatName)+" is not an export format; use aegis, uri, google or google-qr", "")
	}
	if format != transfer.FormatAegis && !*plain {
		return c.usageError("a "+string(format)+" export holds the secrets unencrypted; add --plain to confirm", "")
	}
	// The vault opens through the keychain or by asking; --password-file is
	// the export's password.
	exportPW := c.newPassword("Password for the export: ")
	pwFile := c.passwordFile
	c.passwordFile = ""
	auth, code, ok := c.openAuthenticator(false)
	c.passwordFile = pwFile
	if !ok {
		return code
	}
	opts := transfer.ExportOptions{Plain: *plain}
	if format == transfer.FormatAegis && !*plain {
		pw, err := exportPW()
		if err != nil {
			return c.vaultError(err)
		}
		defer clear(pw)
		opts.Password = pw
	}
	skipped, err := transfer.ExportFile(out, format, auth.Accounts(), opts)
	if err != nil {
		return c.fail(err.Error(), "")
	}
	c.reportSkipped(skipped, format)
	c.println(fmt.Sprintf("exported %d accounts to %s", len(auth.Accounts())-len(skipped), out))
	return ExitOK
}

func (c *ctx) reportSkipped(skipped []transfer.Skipped, format transfer.Format) {
	for _, s := range skipped {
		c.say(fmt.Sprintf("not exported (the %s format cannot carry it): %s: %s", format, s.Item, s.Reason), "")
	}
}

// exportGoogleQR writes the Google Authenticator migration batches as PNG
// files, one per QR code, to scan with the phone one after another.
func (c *ctx) exportGoogleQR(dir string) int {
	auth, code, ok := c.openAuthenticator(false)
	if !ok {
		return code
	}
	accounts := auth.Accounts()
	uris, skipped := otp.FormatMigration(accounts, rand.Int32N(1<<30)+1)
	for _, s := range skipped {
		c.say(fmt.Sprintf("not exported (Google Authenticator cannot carry it): %s: %v", s.Issuer+":"+s.Name, s.Reason), "")
	}
	if len(uris) == 0 {
		return c.fail("no account can be exported to Google Authenticator", "")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return c.fail(err.Error(), "")
	}
	for i, uri := range uris {
		png, err := qrscan.RenderPNG(uri, 800)
		if err != nil {
			return c.fail(err.Error(), "")
		}
		path := filepath.Join(dir, fmt.Sprintf("google-authenticator-%d-of-%d.png", i+1, len(uris)))
		if err := atomicfile.Write(path, png); err != nil {
			return c.fail(err.Error(), "")
		}
		c.println(path)
	}
	c.say("the images hold the secrets unencrypted: delete them once the phone has scanned them", "")
	return ExitOK
}
