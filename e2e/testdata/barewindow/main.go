// Barewindow is the reference for Gatekey's speed and memory figures: the
// smallest Fyne window, a label in a window of the same size, built with
// the same toolchain and tags in the same run.
package main

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("io.github.gatekey.barewindow")
	w := a.NewWindow("Bare window")
	w.SetContent(widget.NewLabel("A bare Fyne window: the framework's own floor."))
	w.Resize(fyne.NewSize(480, 640))
	w.ShowAndRun()
}
