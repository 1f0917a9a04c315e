package ui

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/gatekey/gatekey/app"
	"github.com/gatekey/gatekey/otp"
	"github.com/gatekey/gatekey/transfer"
)

// scanTimeout bounds a screen or clipboard capture.
const scanTimeout = 20 * time.Second

// imageExtensions are the dropped or opened files read as QR code images;
// other files are read as exports.
var imageExtensions = []string{".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp"}

// onAdd shows the Add menu: every way an account comes in.
func (v *codesView) onAdd() {
	v.g.touch()
	items := []*fyne.MenuItem{
		{Label: "Scan the screen", Icon: theme.ViewFullScreenIcon(), Action: v.onScanScreen},
		{Label: "Open an image…", Icon: theme.FileImageIcon(), Action: v.onOpenImage},
		{Label: "Paste link or image", Icon: theme.ContentPasteIcon(), Action: v.onPaste},
		{Label: "Enter manually…", Icon: theme.DocumentCreateIcon(), Action: v.onManual},
		{Label: "Import a file…", Icon: theme.DownloadIcon(), Action: v.onImport},
	}
	anchor := fyne.CanvasObject(v.addBtn)
	if len(v.all) == 0 {
		anchor = v.firstBtn
	}
	menu := widget.NewPopUpMenu(fyne.NewMenu("Add", items...), v.g.win.Canvas())
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(anchor)
	x := max(pos.X+anchor.Size().Width-menu.MinSize().Width, 0)
	menu.ShowAtPosition(fyne.NewPos(x, pos.Y+anchor.Size().Height))
}

// onScanScreen hides the window (it may cover the code), captures the
// screen and offers what it found.
func (v *codesView) onScanScreen() {
	v.setNotice("Looking for QR codes on the screen…")
	v.g.win.Hide()
	v.g.withTimeout(scanTimeout, func(ctx context.Context) func() {
		time.Sleep(300 * time.Millisecond) // let the compositor remove the window before the capture
		scan, err := v.g.svc.ScanScreen(ctx)
		return func() {
			v.g.win.Show()
			v.offer(scan, err, "the screen")
		}
	})
}

func (v *codesView) onOpenImage() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		r.Close()
		v.scanFile(r.URI().Path())
	}, v.g.win)
	d.SetFilter(storage.NewExtensionFileFilter(imageExtensions))
	d.Show()
}

func (v *codesView) scanFile(path string) {
	v.g.inBackground(func() func() {
		scan, err := v.g.svc.ScanImageFile(path)
		return func() { v.offer(scan, err, filepath.Base(path)) }
	})
}

// addFromFile reads a dropped file: an image as QR codes, anything else as
// another app's export.
func (v *codesView) addFromFile(path string) {
	ext := strings.ToLower(filepath.Ext(path))
	for _, e := range imageExtensions {
		if ext == e {
			v.scanFile(path)
			return
		}
	}
	v.importFile(path)
}

// onPaste reads otpauth links from the clipboard's text, or QR codes from
// an image on it.
func (v *codesView) onPaste() {
	text := v.g.app.Clipboard().Content()
	if strings.Contains(strings.ToLower(text), "otpauth") {
		v.offer(app.ScanTexts(text), nil, "the clipboard")
		return
	}
	v.g.withTimeout(scanTimeout, func(ctx context.Context) func() {
		scan, err := v.g.svc.ScanClipboard(ctx)
		return func() {
			if err != nil && text != "" {
				err = fmt.Errorf("the clipboard holds text that is not an otpauth link, and no image: %w", err)
			}
			v.offer(scan, err, "the clipboard")
		}
	})
}

// offer adds what a source held: one account at once, several after the
// person has seen (and may untick some of) the list.
func (v *codesView) offer(scan app.Scan, err error, source string) {
	v.g.touch()
	if err == nil {
		err = scan.Err()
	}
	if err != nil {
		v.setNotice("")
		showError(v.g.win, "Nothing was added from "+source, err)
		return
	}
	if len(scan.Accounts) == 1 {
		v.add(scan.Accounts, scan.Problems)
		return
	}
	v.pick(scan, source)
}

// pick lists several accounts (a migration QR code) with a tick each.
func (v *codesView) pick(scan app.Scan, source string) {
	checks := make([]*widget.Check, len(scan.Accounts))
	box := container.NewVBox()
	for i, acc := range scan.Accounts {
		checks[i] = widget.NewCheck(app.Label(acc), nil)
		checks[i].SetChecked(true)
		box.Add(checks[i])
	}
	for _, p := range scan.Problems {
		box.Add(wrappedLabel(p))
	}
	scroll := container.NewVScroll(box)
	scroll.SetMinSize(fyne.NewSize(360, min(float32(len(scan.Accounts)+len(scan.Problems))*40, 360)))
	title := fmt.Sprintf("%d accounts in %s", len(scan.Accounts), source)
	d := dialog.NewCustomConfirm(title, "Add", "Cancel", scroll, func(ok bool) {
		if !ok {
			return
		}
		var chosen []otp.Account
		for i, c := range checks {
			if c.Checked {
				chosen = append(chosen, scan.Accounts[i])
			}
		}
		v.add(chosen, nil)
	}, v.g.win)
	d.Show()
}

// add stores accounts and says what happened, naming duplicates.
func (v *codesView) add(accs []otp.Account, problems []string) {
	if len(accs) == 0 {
		return
	}
	added, dups, err := v.g.svc.Add(accs...)
	if err != nil {
		showError(v.g.win, "Nothing was added", err)
		return
	}
	v.reload()
	if len(added) == 1 && len(dups) == 0 && len(problems) == 0 {
		v.setNotice("Added " + app.Label(added[0]) + ".")
		v.highlight(added[0].UUID)
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Added %d account(s).", len(added))
	if len(dups) > 0 {
		b.WriteString("\n\nAlready in the vault, not added again:")
		for _, d := range dups {
			b.WriteString("\n  " + app.Label(d))
		}
	}
	for _, p := range problems {
		b.WriteString("\n\n" + p)
	}
	v.setNotice(fmt.Sprintf("Added %d, %d already present.", len(added), len(dups)))
	dialog.NewInformation("Accounts added", b.String(), v.g.win).Show()
}

func (v *codesView) highlight(uuid string) {
	for i, acc := range v.shown {
		if acc.UUID == uuid {
			v.setCurrent(i)
			return
		}
	}
}

// onImport reads another app's export file.
func (v *codesView) onImport() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		r.Close()
		v.importFile(r.URI().Path())
	}, v.g.win)
	d.Show()
}

// importFile imports in the background; an encrypted file asks for its
// password through a dialog while the import waits.
func (v *codesView) importFile(path string) {
	v.setNotice("Importing " + filepath.Base(path) + "…")
	v.g.inBackground(func() func() {
		report, err := v.g.svc.Import(path, func() ([]byte, error) { return v.askPassword(filepath.Base(path)) })
		return func() { v.imported(path, report, err) }
	})
}

// askPassword asks, on the Fyne thread, for an export's password and waits
// for the answer; it is called from the import's goroutine.
func (v *codesView) askPassword(name string) ([]byte, error) {
	answer := make(chan []byte, 1)
	fyne.Do(func() {
		entry := newPasswordEntry(v.g, "Password")
		d := dialog.NewForm(name+" is encrypted", "Open", "Cancel",
			[]*widget.FormItem{widget.NewFormItem("Password", entry)}, func(ok bool) {
				if !ok {
					answer <- nil
					return
				}
				answer <- []byte(entry.Text)
			}, v.g.win)
		entry.OnSubmitted = func(string) { d.Submit() }
		d.Resize(fyne.NewSize(360, d.MinSize().Height))
		d.Show()
		v.g.win.Canvas().Focus(entry)
	})
	pw := <-answer
	if pw == nil {
		return nil, transfer.ErrPasswordRequired
	}
	return pw, nil
}

func (v *codesView) imported(path string, r transfer.Report, err error) {
	v.g.touch()
	v.setNotice("")
	if err != nil {
		showError(v.g.win, "Nothing was imported from "+filepath.Base(path), err)
		return
	}
	v.reload()
	v.setNotice(fmt.Sprintf("Imported %d, %d already present, %d skipped.", r.Imported, r.Duplicates, len(r.Skipped)+r.SkippedMore))
	showImportReport(v.g.win, filepath.Base(path), r)
}

// showImportReport lists what an import did, naming every skipped entry
// and why.
func showImportReport(win fyne.Window, name string, r transfer.Report) {
	box := container.NewVBox(
		widget.NewLabel(fmt.Sprintf("Imported: %d", r.Imported)),
		widget.NewLabel(fmt.Sprintf("Already in the vault: %d", r.Duplicates)),
		widget.NewLabel(fmt.Sprintf("Skipped: %d", len(r.Skipped)+r.SkippedMore)))
	for _, s := range r.Skipped {
		box.Add(wrappedLabel(fmt.Sprintf("• %s: %s", s.Item, s.Reason)))
	}
	if r.SkippedMore > 0 {
		box.Add(wrappedLabel(fmt.Sprintf("• and %d more", r.SkippedMore)))
	}
	scroll := container.NewVScroll(box)
	scroll.SetMinSize(fyne.NewSize(380, min(float32(3+len(r.Skipped))*40, 360)))
	dialog.NewCustom("Import of "+name, "Close", scroll, win).Show()
}
