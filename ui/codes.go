package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/gatekey/gatekey/icons"
)

// codesView is the accounts screen: the list of codes, or, while the vault
// is empty, a single clear first step.
type codesView struct {
	win     fyne.Window
	content fyne.CanvasObject
	addBtn  *widget.Button
}

func newCodesView(win fyne.Window) *codesView {
	v := &codesView{win: win}
	v.addBtn = &widget.Button{
		Text:       "Add your first account",
		Icon:       theme.ContentAddIcon(),
		Importance: widget.HighImportance,
		OnTapped:   v.onAdd,
	}
	v.content = v.emptyState()
	return v
}

// emptyState explains what Gatekey is for and offers the one thing to do.
func (v *codesView) emptyState() fyne.CanvasObject {
	logo := canvas.NewImageFromResource(icons.AppIcon)
	logo.FillMode = canvas.ImageFillContain
	logo.SetMinSize(fyne.NewSize(96, 96))
	title := widget.NewLabelWithStyle("No accounts yet", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	hint := widget.NewLabelWithStyle(
		"Scan a QR code from the screen, open an image,\npaste a link or import from another app.",
		fyne.TextAlignCenter, fyne.TextStyle{})
	return container.NewCenter(container.NewVBox(
		container.NewCenter(logo), title, hint, container.NewCenter(v.addBtn)))
}

func (v *codesView) onAdd() {
	// The add menu arrives with the accounts screen; until then the button
	// tells the person where accounts come from on the command line.
	widget.ShowPopUpAtRelativePosition(widget.NewLabel("Use 'gatekey add' or 'gatekey import' for now."),
		v.win.Canvas(), fyne.NewPos(0, v.addBtn.Size().Height), v.addBtn)
}
