package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/gatekey/gatekey/app"
	"github.com/gatekey/gatekey/icons"
)

// passwordWhy is the one sentence that says why a vault password is worth
// having even with a keychain.
const passwordWhy = "A password is recommended: it opens backups of the vault and lets you use it on other devices (Aegis reads it too)."

// firstRunView creates a vault or brings in an existing Aegis vault.
type firstRunView struct {
	g        *MainWindow
	content  fyne.CanvasObject
	keychain bool

	password, confirm *shortcutEntry
	askEveryTime      *widget.Check
	createBtn         *widget.Button
	createMsg         *widget.Label

	adoptPath     string
	adoptFile     *widget.Label
	adoptPassword *shortcutEntry
	adoptBtn      *widget.Button
	adoptKeychain *widget.Check
	adoptMsg      *widget.Label
}

func newFirstRunView(g *MainWindow) *firstRunView {
	v := &firstRunView{g: g, keychain: g.svc.KeychainAvailable()}
	v.password = newPasswordEntry(g, "Password (recommended)")
	v.confirm = newPasswordEntry(g, "Repeat the password")
	v.confirm.OnSubmitted = func(string) { v.onCreate() }
	// Password mode is the default once a vault has a password: locking
	// then really locks.
	v.askEveryTime = widget.NewCheck("Ask for this password at every start and after every lock", nil)
	v.askEveryTime.SetChecked(true)
	v.createBtn = &widget.Button{Text: "Create vault", Icon: theme.ContentAddIcon(), Importance: widget.HighImportance, OnTapped: v.onCreate}
	v.createMsg = wrappedLabel("")
	v.adoptFile = wrappedLabel("No file chosen")
	v.adoptPassword = newPasswordEntry(g, "Password of that vault")
	v.adoptPassword.OnSubmitted = func(string) { v.onAdopt() }
	v.adoptMsg = wrappedLabel("")
	v.adoptBtn = &widget.Button{Text: "Open vault", Icon: theme.FolderOpenIcon(), OnTapped: v.onAdopt}
	// Unticked by default: a vault that has a password keeps asking for it
	// unless the person chooses the keychain.
	v.adoptKeychain = widget.NewCheck("Open it without the password on this computer (key in the system keychain)", nil)
	v.content = v.layout()
	return v
}

func (v *firstRunView) layout() fyne.CanvasObject {
	logo := canvas.NewImageFromResource(icons.AppIcon)
	logo.FillMode = canvas.ImageFillContain
	logo.SetMinSize(fyne.NewSize(72, 72))
	title := widget.NewLabelWithStyle("Welcome to Gatekey", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText

	keyNote := "Your accounts are kept encrypted; the key is kept in your system keychain."
	if !v.keychain {
		keyNote = "No system keychain is available on this computer, so the vault needs a password."
		v.password.PlaceHolder = "Password (required)"
	}
	create := widget.NewCard("Create a new vault", "", container.NewVBox(
		wrappedLabel(keyNote), wrappedLabel(passwordWhy), v.password, v.confirm, v.askEveryTimeRow(), v.createMsg, v.createBtn))

	choose := &widget.Button{Text: "Choose file…", Icon: theme.FileIcon(), OnTapped: v.onChoose}
	// Most people start a new vault; bringing one in stays one click away so
	// that the first screen fits the window without scrolling.
	adopt := widget.NewAccordion(widget.NewAccordionItem("Open an existing vault instead", container.NewVBox(
		wrappedLabel("An Aegis vault or backup (.json), opened with its password."),
		container.NewBorder(nil, nil, choose, nil, v.adoptFile), v.adoptPassword, v.adoptKeychainRow(), v.adoptMsg, v.adoptBtn)))

	return container.NewVScroll(container.NewPadded(container.NewVBox(
		container.NewCenter(logo), title, create, adopt)))
}

func (v *firstRunView) onCreate() {
	pw, confirm := v.password.Text, v.confirm.Text
	switch {
	case pw != confirm:
		v.createMsg.SetText("The two passwords differ.")
		return
	case pw == "" && !v.keychain:
		v.createMsg.SetText("Choose a password: without a keychain it is the only way to open the vault.")
		return
	}
	v.createBtn.Disable()
	v.createMsg.SetText("Creating the vault…")
	password := []byte(pw)
	mode := app.UnlockKeychain
	if pw != "" && (v.askEveryTime.Checked || !v.keychain) {
		mode = app.UnlockPassword
	}
	v.g.inBackground(func() func() {
		err := v.g.svc.Create(password, mode)
		clear(password)
		return func() { v.created(err) }
	})
}

func (v *firstRunView) created(err error) {
	v.createBtn.Enable()
	if app.Classify(err) == app.ProblemNoKeychain {
		v.keychain = false
		v.createMsg.SetText("No system keychain is available, so the vault needs a password. Choose one above.")
		return
	}
	if err != nil {
		v.createMsg.SetText("The vault could not be created: " + err.Error())
		return
	}
	v.password.SetText("")
	v.confirm.SetText("")
	v.g.unlocked()
}

func (v *firstRunView) onChoose() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		r.Close()
		v.adoptPath = r.URI().Path()
		v.adoptFile.SetText(r.URI().Name())
		v.g.win.Canvas().Focus(v.adoptPassword)
	}, v.g.win)
	d.Show()
}

func (v *firstRunView) onAdopt() {
	if v.adoptPath == "" {
		v.adoptMsg.SetText("Choose the vault file first.")
		return
	}
	v.adoptBtn.Disable()
	v.adoptMsg.SetText("Opening…")
	password := []byte(v.adoptPassword.Text)
	path := v.adoptPath
	keychain := v.keychain && v.adoptKeychain.Checked
	v.g.inBackground(func() func() {
		err := v.g.svc.Adopt(path, password, keychain)
		clear(password)
		return func() {
			v.adoptBtn.Enable()
			if err != nil {
				v.adoptMsg.SetText(adoptProblem(err))
				return
			}
			v.adoptPassword.SetText("")
			v.g.unlocked()
		}
	})
}

// adoptProblem says in plain words why an existing vault did not open.
func adoptProblem(err error) string {
	switch app.Classify(err) {
	case app.ProblemWrongPassword:
		return "Wrong password for that vault."
	case app.ProblemPasswordRequired:
		return "That vault needs its password."
	case app.ProblemPlainExport:
		return "That file is a plain export, not a vault: create a new vault, then import it from the Add menu."
	}
	return "That file could not be opened: " + err.Error()
}

func wrappedLabel(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// adoptKeychainRow offers the keychain only where one answers.
func (v *firstRunView) adoptKeychainRow() fyne.CanvasObject {
	if !v.keychain {
		return layoutSpacer()
	}
	return v.adoptKeychain
}

// askEveryTimeRow offers password mode only where a keychain could hold
// the key instead.
func (v *firstRunView) askEveryTimeRow() fyne.CanvasObject {
	if !v.keychain {
		return layoutSpacer()
	}
	return v.askEveryTime
}
