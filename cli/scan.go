package cli

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/gatekey/gatekey/internal/atomicfile"
	"github.com/gatekey/gatekey/otp"
	"github.com/gatekey/gatekey/qrscan"
)

func init() {
	register(&command{name: "scan", run: runScan,
		summary: "decode the QR codes in image files, on the screen or on the clipboard",
		usage:   "gatekey scan [--json] [--add] FILE... | --screen | --clipboard"})
	register(&command{name: "qr", run: runQR,
		summary: "draw an account's QR code into a PNG file, to move it to a phone",
		usage:   "gatekey qr QUERY OUT.png"})
}

type scanJSON struct {
	Source string `json:"source"`
	Text   string `json:"text"`
}

func runScan(c *ctx, args []string) int {
	fs := c.flags()
	asJSON := fs.Bool("json", false, "print a JSON array of {source, text}")
	add := fs.Bool("add", false, "add the otpauth and migration codes found to the vault")
	screen := fs.Bool("screen", false, "scan the whole screen (every monitor)")
	clipboard := fs.Bool("clipboard", false, "scan the image on the clipboard")
	files, code, ok := c.parseOrExit(fs, args)
	if !ok {
		return code
	}
	sources := len(files)
	if *screen {
		sources++
	}
	if *clipboard {
		sources++
	}
	if sources == 0 || (*screen || *clipboard) && sources > 1 {
		return c.usageError("scan takes image files, or --screen, or --clipboard", "")
	}

	var found []scanJSON
	status := ExitOK
	scan := func(source string, codes []qrscan.Code, err error) {
		switch {
		case errors.Is(err, qrscan.ErrNoCode):
			c.say("no QR code found in "+source, "")
		case errors.Is(err, qrscan.ErrUnsupportedSource), errors.Is(err, qrscan.ErrNoImage):
			c.say(err.Error(), "")
			status = max(status, ExitFailed)
		case err != nil:
			c.say(source+": "+err.Error(), "")
			status = ExitUsage
		}
		for _, code := range codes {
			found = append(found, scanJSON{Source: source, Text: code.Text})
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	switch {
	case *screen:
		codes, err := qrscan.ScanScreen(ctx)
		scan("screen", codes, err)
	case *clipboard:
		codes, err := qrscan.ScanClipboard(ctx)
		scan("clipboard", codes, err)
	default:
		for _, f := range files {
			codes, err := qrscan.DecodeFile(f)
			scan(f, codes, err)
		}
	}
	if status == ExitUsage {
		return ExitUsage
	}
	if len(found) == 0 {
		return ExitFailed
	}
	if *add {
		return c.addScanned(found)
	}
	if *asJSON {
		return c.printJSON(found)
	}
	for _, f := range found {
		c.println(f.Text)
	}
	return status
}

// addScanned adds the account codes among the scanned texts.
func (c *ctx) addScanned(found []scanJSON) int {
	var accs []otp.Account
	for _, f := range found {
		lower := strings.ToLower(f.Text)
		if !strings.HasPrefix(lower, "otpauth://") && !strings.HasPrefix(lower, "otpauth-migration://") {
			c.say("a code in "+f.Source+" is not an account (not an otpauth URI); skipped", "")
			continue
		}
		got, err := parseAccountsText(f.Text)
		if err != nil {
			c.say("a code in "+f.Source+" is not a valid account: "+err.Error(), "")
			continue
		}
		accs = append(accs, got...)
	}
	if len(accs) == 0 {
		return c.fail("no account to add among the codes found", "")
	}
	return c.addAccounts(accs)
}

func runQR(c *ctx, args []string) int {
	fs := c.flags()
	size := fs.Int("size", 512, "image width and height in pixels")
	rest, code, ok := c.parseOrExit(fs, args)
	if !ok {
		return code
	}
	if len(rest) != 2 {
		return c.usageError("qr takes a query and an output file", "")
	}
	if *size < 64 || *size > qrscan.MaxRenderSize {
		return c.usageError("--size must be between 64 and 8192", "")
	}
	_, acc, code, ok := c.openOne(rest[0])
	if !ok {
		return code
	}
	png, err := qrscan.RenderPNG(otp.FormatURI(acc), *size)
	if err != nil {
		return c.fail(err.Error(), "")
	}
	if err := atomicfile.Write(rest[1], png); err != nil {
		return c.fail(err.Error(), "")
	}
	c.say("the QR code holds the account's secret: delete "+rest[1]+" once the phone has scanned it", "")
	return ExitOK
}
