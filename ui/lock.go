package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/gatekey/gatekey/app"
	"github.com/gatekey/gatekey/icons"
)

// lockView asks for the vault's password, or unlocks from the keychain when
// the vault has no password slot.
type lockView struct {
	g         *MainWindow
	content   fyne.CanvasObject
	password  *shortcutEntry
	unlockBtn *widget.Button
	message   *widget.Label
	withPass  bool
}

func newLockView(g *MainWindow) *lockView {
	// A vault not opened yet (the keychain lacked its key) needs the
	// password whatever its mode, since nothing is loaded.
	v := &lockView{g: g, withPass: g.svc.UnlockMode() == app.UnlockPassword || g.codes == nil}
	v.password = newPasswordEntry(g, "Password")
	v.password.OnSubmitted = func(string) { v.onUnlock() }
	v.unlockBtn = &widget.Button{Text: "Unlock", Icon: theme.LoginIcon(), Importance: widget.HighImportance, OnTapped: v.onUnlock}
	v.message = wrappedLabel("")
	v.message.Alignment = fyne.TextAlignCenter

	logo := canvas.NewImageFromResource(icons.AppIcon)
	logo.FillMode = canvas.ImageFillContain
	logo.SetMinSize(fyne.NewSize(72, 72))
	title := widget.NewLabelWithStyle("Gatekey is locked", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	box := container.NewVBox(container.NewCenter(logo), title)
	if v.withPass {
		box.Add(widget.NewLabelWithStyle("Enter the vault's password to show your codes.", fyne.TextAlignCenter, fyne.TextStyle{}))
		box.Add(v.password)
	} else {
		// Keychain mode: say plainly what the lock is worth.
		// Broken by hand: a wrapping label in this box reports too
		// little height, and the Unlock button then covers its end.
		note := widget.NewLabel("Unlocking needs no password: the vault's key is\n" +
			"in your system keychain, so your desktop login\n" +
			"protects it, and locking only hides the codes.\n" +
			"To change that, choose \"With the password\"\n" +
			"under Settings > Unlock.")
		note.Alignment = fyne.TextAlignCenter
		box.Add(note)
	}
	box.Add(v.message)
	box.Add(container.NewCenter(v.unlockBtn))
	v.content = container.NewCenter(container.NewGridWrap(fyne.NewSize(360, 360), box))
	return v
}

func (v *lockView) onUnlock() {
	var password []byte
	if v.withPass {
		if v.password.Text == "" {
			v.message.SetText("Type the password first.")
			return
		}
		password = []byte(v.password.Text)
	}
	v.unlockBtn.Disable()
	v.message.SetText("Unlocking…")
	v.g.inBackground(func() func() {
		err := v.g.svc.Unlock(password)
		clear(password)
		return func() { v.done(err) }
	})
}

func (v *lockView) done(err error) {
	v.unlockBtn.Enable()
	v.password.SetText("")
	switch {
	case err == nil:
		v.message.SetText("")
		v.g.unlocked()
	case app.Classify(err) == app.ProblemWrongPassword:
		v.message.SetText("Wrong password.")
		v.g.win.Canvas().Focus(v.password)
	case app.Classify(err) == app.ProblemNoKeychain:
		v.message.SetText("The keychain did not give the key: " + err.Error())
	default:
		v.message.SetText("The vault could not be unlocked: " + err.Error())
	}
}
