// Package ui is Gatekey's window: one struct per screen, built on small
// interfaces that app/ satisfies so that each screen can be tested headless
// with fyne.io/fyne/v2/test. It never imports fyne.io/fyne/v2/app; main.go
// creates the application and hands it in.
package ui

import (
	"fyne.io/fyne/v2"

	"github.com/gatekey/gatekey/icons"
)

// Title is the main window's title, which scripts and tests look for.
const Title = "Gatekey"

// Run builds the main window on a, shows it and runs the application until
// the window is closed or the user quits.
func Run(a fyne.App) {
	a.SetIcon(icons.AppIcon)
	w := NewMainWindow(a)
	w.ShowAndRun()
}

// NewMainWindow builds Gatekey's main window with its accounts screen.
func NewMainWindow(a fyne.App) fyne.Window {
	w := a.NewWindow(Title)
	w.SetIcon(icons.AppIcon)
	codes := newCodesView(w)
	w.SetContent(codes.content)
	w.Resize(fyne.NewSize(480, 640))
	return w
}
