package cli

import (
	"context"
	"time"

	"github.com/gatekey/gatekey/app"
	"github.com/gatekey/gatekey/otp"
)

func init() {
	register(&command{name: "scan", run: runScan,
		summary: "decode the QR codes in image files, on the screen or on the clipboard",
		usage:   "gatekey scan [--json] [--add] FILE... | --screen | --clipboard"})
	register(&command{name: "qr", run: runQR,
		summary: "draw an account's QR code into a PNG file, to move it to a phone",
		usage:   "gatekey qr QUERY OUT.png"})
}

// scanTimeout bounds a screen or clipboard read.
const scanTimeout = 30 * time.Second

type scanJSON struct {
	Source string `json:"source"`
	Text   string `json:"text"`
}

func runScan(inv *invocation, args []string) error {
	fs := inv.flags()
	asJSON := fs.Bool("json", false, "print a JSON array of {source, text}")
	add := fs.Bool("add", false, "add the otpauth and migration codes found to the vault")
	screen := fs.Bool("screen", false, "scan the whole screen (every monitor)")
	clipboard := fs.Bool("clipboard", false, "scan the image on the clipboard")
	files, err := inv.parse(fs, args)
	if err != nil {
		return err
	}
	sources, err := scanSources(files, *screen, *clipboard)
	if err != nil {
		return err
	}
	found, status := inv.scanAll(sources)
	switch {
	case status == ExitUsage:
		return quietExit(ExitUsage)
	case len(found) == 0:
		return quietExit(ExitFailed)
	case *add:
		return inv.addScanned(found)
	case *asJSON:
		return inv.printJSON(found)
	}
	for _, f := range found {
		inv.println(f.Text)
	}
	if status != ExitOK {
		return quietExit(status)
	}
	return nil
}

// scanSources are the files, or the screen, or the clipboard: exactly one
// kind.
func scanSources(files []string, screen, clipboard bool) ([]app.QRSource, error) {
	switch {
	case screen && !clipboard && len(files) == 0:
		return []app.QRSource{{Screen: true}}, nil
	case clipboard && !screen && len(files) == 0:
		return []app.QRSource{{Clipboard: true}}, nil
	case !screen && !clipboard && len(files) > 0:
		out := make([]app.QRSource, len(files))
		for i, f := range files {
			out[i] = app.QRSource{File: f}
		}
		return out, nil
	}
	return nil, usageError("scan takes image files, or --screen, or --clipboard")
}

// scanAll reads every source, reporting each one's problem on stderr; the
// status is the worst: 2 for an unreadable file, 1 for a source this
// platform cannot read.
func (inv *invocation) scanAll(sources []app.QRSource) ([]scanJSON, int) {
	ctx, cancel := context.WithTimeout(context.Background(), scanTimeout)
	defer cancel()
	var found []scanJSON
	status := ExitOK
	for _, src := range sources {
		name := src.String()
		texts, err := app.ReadQRCodes(ctx, src)
		switch app.Classify(err) {
		case app.ProblemOther:
			if err != nil {
				inv.say(name+": "+err.Error(), "")
				status = ExitUsage
			}
		case app.ProblemNoCode:
			inv.say("no QR code found in "+name, "")
		default:
			inv.say(err.Error(), "")
			status = max(status, ExitFailed)
		}
		for _, t := range texts {
			found = append(found, scanJSON{Source: name, Text: t})
		}
	}
	return found, status
}

// addScanned adds the account codes among the scanned texts.
func (inv *invocation) addScanned(found []scanJSON) error {
	var accs []otp.Account
	for _, f := range found {
		if !app.IsAccountLink(f.Text) {
			inv.say("a code in "+f.Source+" is not an account (not an otpauth URI); skipped", "")
			continue
		}
		got, err := app.ParseAccounts(f.Text)
		if err != nil {
			inv.say("a code in "+f.Source+" is not a valid account: "+err.Error(), "")
			continue
		}
		accs = append(accs, got...)
	}
	if len(accs) == 0 {
		return failed("no account to add among the codes found")
	}
	return inv.addAccounts(accs)
}

func runQR(inv *invocation, args []string) error {
	fs := inv.flags()
	size := fs.Int("size", 512, "image width and height in pixels")
	rest, err := inv.parseN(fs, args, 2, 2)
	if err != nil {
		return err
	}
	_, acc, err := inv.openOne(rest[0])
	if err != nil {
		return err
	}
	if err := app.WriteQRCode(acc, rest[1], *size); err != nil {
		return err
	}
	inv.say("the QR code holds the account's secret: delete "+rest[1]+" once the phone has scanned it", "")
	return nil
}
