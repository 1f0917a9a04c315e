package cli

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/gatekey/gatekey/app"
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

func runImport(inv *invocation, args []string) error {
	fs := inv.flags()
	formatName := fs.String("format", "auto", "auto, "+formatList())
	dryRun := fs.Bool("dry-run", false, "show what would be imported without changing the vault")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	files, err := inv.parseN(fs, args, 1, -1)
	if err != nil {
		return err
	}
	format, err := transfer.ParseFormat(*formatName)
	if err != nil {
		return asUsage(err)
	}
	// The password file is the imported file's; the vault opens through
	// the keychain or by asking.
	var auth *app.Authenticator
	if !*dryRun || inv.vaultExists() {
		if auth, err = inv.openVault(!*dryRun, inv.passwordAsked("Vault password: ")); err != nil {
			return err
		}
	}
	filePassword := func(path string) app.PasswordFunc { return inv.passwordFromFile("Password of " + path + ": ").fn() }
	report, err := app.ImportFiles(auth, files, format, filePassword, *dryRun)
	if err != nil {
		return importError(err)
	}
	if *asJSON {
		return inv.printJSON(report)
	}
	verb := "imported"
	if *dryRun {
		verb = "would import"
	}
	inv.printf("%s %d, already present %d, skipped %d", verb, report.Imported, report.Duplicates, len(report.Skipped)+report.SkippedMore)
	for _, s := range report.Skipped {
		inv.say("skipped "+s.Item+": "+s.Reason, "")
	}
	if report.SkippedMore > 0 {
		inv.say(fmt.Sprintf("and %d more skipped entries", report.SkippedMore), "")
	}
	return nil
}

// vaultExists reports whether the home folder holds a vault, so that a dry
// run before the first one compares with nothing instead of creating it.
func (inv *invocation) vaultExists() bool {
	home, err := inv.homeDir()
	if err != nil {
		return false
	}
	_, err = os.Stat(app.VaultPath(home))
	return err == nil
}

// importError: a file that cannot be read is bad input, except for a
// missing or wrong password.
func importError(err error) error {
	switch app.Classify(err) {
	case app.ProblemPasswordRequired, app.ProblemWrongPassword:
		return err
	}
	return asUsage(err)
}

func formatList() string {
	names := make([]string, len(transfer.Formats))
	for i, f := range transfer.Formats {
		names[i] = string(f)
	}
	return strings.Join(names, ", ")
}

var exportFormats = []transfer.Format{transfer.FormatAegis, transfer.FormatURI, transfer.FormatGoogle}

func runExport(inv *invocation, args []string) error {
	fs := inv.flags()
	formatName := fs.String("format", "", "aegis (encrypted unless --plain), uri, google, or google-qr (PNG files into a folder)")
	plain := fs.Bool("plain", false, "confirm that the output holds the secrets unencrypted")
	rest, err := inv.parseN(fs, args, 1, 1)
	if err != nil {
		return err
	}
	if *formatName == "" {
		return withHint(usageError("export takes --format and one output path"), "run 'gatekey export --help'")
	}
	if *formatName == "google-qr" {
		return inv.exportGoogleQR(rest[0], *plain)
	}
	format, err := transfer.ParseFormat(*formatName)
	if err != nil || !slices.Contains(exportFormats, format) {
		return usageError(quote(*formatName) + " is not an export format; use aegis, uri, google or google-qr")
	}
	if format != transfer.FormatAegis && !*plain {
		return usageError("a " + string(format) + " export holds the secrets unencrypted; add --plain to confirm")
	}
	// The password file is the export's; the vault opens through the
	// keychain or by asking.
	auth, err := inv.openVault(false, inv.passwordAsked("Vault password: "))
	if err != nil {
		return err
	}
	opts := transfer.ExportOptions{Plain: *plain}
	if format == transfer.FormatAegis && !*plain {
		pw, err := inv.newPassword(inv.passwordFile, "Password for the export: ").get()
		if err != nil {
			return err
		}
		defer clear(pw)
		opts.Password = pw
	}
	n, skipped, err := auth.Export(rest[0], format, opts)
	if err != nil {
		return err
	}
	for _, s := range skipped {
		inv.say(fmt.Sprintf("not exported (the %s format cannot carry it): %s: %s", format, s.Item, s.Reason), "")
	}
	inv.printf("exported %d accounts to %s", n, rest[0])
	return nil
}

// exportGoogleQR writes the Google Authenticator migration batches as PNG
// files, one per QR code, to scan with the phone one after another.
func (inv *invocation) exportGoogleQR(dir string, plain bool) error {
	if !plain {
		return usageError("QR images hold the secrets unencrypted; add --plain to confirm")
	}
	auth, err := inv.openVaultForCommand(false)
	if err != nil {
		return err
	}
	paths, skipped, err := auth.ExportGoogleQR(dir)
	for _, s := range skipped {
		inv.say(fmt.Sprintf("not exported (Google Authenticator cannot carry it): %s: %v", s.Issuer+":"+s.Name, s.Reason), "")
	}
	for _, p := range paths {
		inv.println(p)
	}
	if err != nil {
		return err
	}
	inv.say("the images hold the secrets unencrypted: delete them once the phone has scanned them", "")
	return nil
}
