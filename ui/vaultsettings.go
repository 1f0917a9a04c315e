package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/gatekey/gatekey/app"
)

// The unlock modes as Settings names them.
const (
	modeKeychainLabel = "With the system keychain (no password on this computer)"
	modePasswordLabel = "With the password, at every start and after every lock"
)

// vaultSettings is the Settings part about the vault: how it unlocks and
// its password.
type vaultSettings struct {
	g    *MainWindow
	mode *widget.RadioGroup
}

func newVaultSettings(g *MainWindow) *vaultSettings {
	vs := &vaultSettings{g: g}
	vs.mode = widget.NewRadioGroup([]string{modeKeychainLabel, modePasswordLabel}, nil)
	vs.mode.Required = true
	vs.mode.SetSelected(modeLabel(g.svc.UnlockMode()))
	return vs
}

func modeLabel(m app.UnlockMode) string {
	if m == app.UnlockPassword {
		return modePasswordLabel
	}
	return modeKeychainLabel
}

func (vs *vaultSettings) items() []*widget.FormItem {
	passwd := &widget.Button{Text: "Change password…", Icon: theme.AccountIcon(), OnTapped: vs.onChangePassword}
	if !vs.g.svc.HasPassword() {
		passwd.SetText("Add a password…")
	}
	return []*widget.FormItem{
		{Text: "Unlock", Widget: vs.mode, HintText: "With the password, locking (also on screen lock and sleep) really locks"},
		widget.NewFormItem("Password", container.NewHBox(passwd)),
	}
}

// apply switches the mode when Save is pressed with another choice.
// Password mode asks for the password first: it must open the vault once
// the key has left the keychain.
func (vs *vaultSettings) apply() {
	want := app.UnlockKeychain
	if vs.mode.Selected == modePasswordLabel {
		want = app.UnlockPassword
	}
	if want == vs.g.svc.UnlockMode() {
		return
	}
	if want == app.UnlockKeychain {
		vs.setMode(want, nil)
		return
	}
	if !vs.g.svc.HasPassword() {
		showError(vs.g.win, "The vault has no password yet", fmt.Errorf("add one in Settings first: without it the vault could not be opened once its key leaves the keychain"))
		return
	}
	vs.askPassword("Unlock with the password", "Type the vault's password: Gatekey checks it before the key leaves the keychain.", func(pw []byte) {
		vs.setMode(want, pw)
	})
}

func (vs *vaultSettings) setMode(mode app.UnlockMode, pw []byte) {
	vs.g.inBackground(func() func() {
		err := vs.g.svc.SetUnlockMode(mode, pw)
		clear(pw)
		return func() {
			if err != nil {
				showError(vs.g.win, "The unlock mode did not change", err)
				return
			}
			vs.g.notice("The vault now unlocks " + map[app.UnlockMode]string{app.UnlockPassword: "with its password only.", app.UnlockKeychain: "with the system keychain."}[mode])
		}
	})
}

// askPassword asks for one password in a dialog and hands it to done.
func (vs *vaultSettings) askPassword(title, text string, done func([]byte)) {
	entry := newPasswordEntry(vs.g, "Password")
	d := dialog.NewForm(title, "OK", "Cancel", []*widget.FormItem{
		{Widget: wrappedLabel(text)}, widget.NewFormItem("Password", entry)}, func(ok bool) {
		if ok && entry.Text != "" {
			done([]byte(entry.Text))
		}
		entry.SetText("")
	}, vs.g.win)
	entry.OnSubmitted = func(string) { d.Submit() }
	d.Resize(fyne.NewSize(420, d.MinSize().Height))
	d.Show()
	vs.g.win.Canvas().Focus(entry)
}

// onChangePassword adds or changes the vault's password, offering to change
// the master key too (copies made before then no longer open with the old
// password), and says which other apps' slots that drops.
func (vs *vaultSettings) onChangePassword() {
	has := vs.g.svc.HasPassword()
	current := newPasswordEntry(vs.g, "Current password")
	next := newPasswordEntry(vs.g, "New password")
	again := newPasswordEntry(vs.g, "The same again")
	other := vs.g.svc.VaultInfo().OtherSlots
	newKey := widget.NewCheck(newKeyLabel(other), nil)
	newKey.SetChecked(other == 0)
	var items []*widget.FormItem
	if has {
		items = append(items, widget.NewFormItem("Current", current))
	}
	items = append(items, widget.NewFormItem("New", next), widget.NewFormItem("Repeat", again))
	if has {
		items = append(items, &widget.FormItem{Widget: newKey})
	}
	d := dialog.NewForm(map[bool]string{true: "Change the vault's password", false: "Add a password to the vault"}[has], "Save", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		if next.Text == "" || next.Text != again.Text {
			showError(vs.g.win, "The password did not change", fmt.Errorf("the two new passwords are empty or differ"))
			return
		}
		vs.changePassword([]byte(current.Text), []byte(next.Text), has && newKey.Checked, has)
	}, vs.g.win)
	d.Resize(fyne.NewSize(480, d.MinSize().Height))
	d.Show()
}

func newKeyLabel(otherSlots int) string {
	text := "Change the master key too, so that copies of the vault made before no longer open with the old password"
	if otherSlots > 0 {
		text += fmt.Sprintf(" (other apps' ways of opening this vault, %d here, such as Aegis's fingerprint unlock, then stop working)", otherSlots)
	}
	return text
}

func (vs *vaultSettings) changePassword(current, next []byte, newKey, had bool) {
	vs.g.inBackground(func() func() {
		res, err := vs.g.svc.ChangePassword(current, next, newKey)
		clear(current)
		return func() {
			if err != nil {
				clear(next)
				showError(vs.g.win, "The password did not change", err)
				return
			}
			vs.passwordChanged(res, next, had)
		}
	})
}

// passwordChanged reports the change, and after a first password offers
// password mode, the default once a vault has one.
func (vs *vaultSettings) passwordChanged(res app.PasswordChangeResult, next []byte, had bool) {
	msg := "The vault's password changed."
	if res.DroppedSlots > 0 {
		msg += fmt.Sprintf(" Other apps' ways of opening it (%d, such as Aegis's fingerprint unlock) no longer work: open it there with the new password.", res.DroppedSlots)
	}
	vs.g.notice(msg)
	if had || vs.g.svc.UnlockMode() == app.UnlockPassword {
		clear(next)
		return
	}
	dialog.ShowConfirm("Ask for the password from now on?",
		"The key is still in the system keychain, so the vault opens without the password on this computer and locking only hides the codes. "+
			"Ask for the password at every start and after every lock instead?", func(ok bool) {
			if ok {
				vs.setMode(app.UnlockPassword, next)
				vs.mode.SetSelected(modePasswordLabel)
				return
			}
			clear(next)
		}, vs.g.win)
}
