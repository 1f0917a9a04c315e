package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// shortcutEntry is an entry that lets the window's own shortcuts (Ctrl+L,
// Ctrl+Q...) through, and reports keys the entry itself has no use for:
// a focused widget.Entry otherwise swallows them all.
type shortcutEntry struct {
	widget.Entry
	onShortcut func(fyne.Shortcut) bool
	onKey      func(*fyne.KeyEvent) bool
}

func newShortcutEntry(g *MainWindow) *shortcutEntry {
	e := &shortcutEntry{onShortcut: g.shortcut}
	e.ExtendBaseWidget(e)
	return e
}

func newPasswordEntry(g *MainWindow, placeholder string) *shortcutEntry {
	e := newShortcutEntry(g)
	e.Password = true
	e.PlaceHolder = placeholder
	return e
}

// TypedShortcut runs the window's shortcut when it has one.
func (e *shortcutEntry) TypedShortcut(s fyne.Shortcut) {
	if _, custom := s.(*desktop.CustomShortcut); custom && e.onShortcut != nil && e.onShortcut(s) {
		return
	}
	e.Entry.TypedShortcut(s)
}

// TypedKey offers the key to onKey first.
func (e *shortcutEntry) TypedKey(k *fyne.KeyEvent) {
	if e.onKey != nil && e.onKey(k) {
		return
	}
	e.Entry.TypedKey(k)
}

// errorScreen fills the window when the vault cannot be opened at all.
func errorScreen(err error) fyne.CanvasObject {
	title := widget.NewLabelWithStyle("Gatekey cannot open your vault", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	msg := widget.NewLabel(err.Error())
	msg.Wrapping = fyne.TextWrapWord
	msg.Alignment = fyne.TextAlignCenter
	return container.NewPadded(container.NewVBox(title, msg))
}

// showError shows what went wrong in one sentence, then the error.
func showError(win fyne.Window, what string, err error) {
	text := what
	if err != nil {
		text += ":\n" + err.Error()
	}
	msg := widget.NewLabel(text)
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom("Gatekey", "Close", container.NewGridWrap(fyne.NewSize(360, 120), msg), win)
	d.Show()
}

// column stacks a few widgets vertically, for form rows with more than
// one control.
func column(objs ...fyne.CanvasObject) fyne.CanvasObject {
	return container.NewVBox(objs...)
}

// Errors of the password fields.
var (
	errPasswordEmpty   = errors.New("type the new password")
	errPasswordsDiffer = errors.New("the two passwords differ")
)
