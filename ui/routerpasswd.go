package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/gatekey/gatekey/app"
)

// passwordIntro says what a password change does, in the order it does it.
const passwordIntro = "Gatekey saves the router's configuration, keeps the current password in the keychain, " +
	"sets the new one, logs out and logs in again with it. Only when that login works does the keychain forget the old password; " +
	"if it fails, both stay there and nothing is tried again."

// passwordChoice is the new password: generated (the default) or typed
// twice.
type passwordChoice struct {
	mode    *widget.RadioGroup
	typed   *shortcutEntry
	confirm *shortcutEntry
}

const (
	choiceGenerate = "Generate a strong password (recommended)"
	choiceType     = "Type a new password"
)

// newPasswordChoice makes the choice; its fields pass the window's
// shortcuts on, as every password field does.
func newPasswordChoice(g *MainWindow) *passwordChoice {
	c := &passwordChoice{typed: newPasswordEntry(g, "New password"), confirm: newPasswordEntry(g, "The same again")}
	c.mode = widget.NewRadioGroup([]string{choiceGenerate, choiceType}, func(s string) {
		if s == choiceType {
			c.typed.Enable()
			c.confirm.Enable()
		} else {
			c.typed.Disable()
			c.confirm.Disable()
		}
	})
	c.mode.Required = true
	c.mode.SetSelected(choiceGenerate)
	return c
}

// password is the chosen new password.
func (c *passwordChoice) password() (string, error) {
	if c.mode.Selected != choiceType {
		return app.GeneratePassword()
	}
	switch {
	case c.typed.Text == "":
		return "", errPasswordEmpty
	case c.typed.Text != c.confirm.Text:
		return "", errPasswordsDiffer
	}
	return c.typed.Text, nil
}

func (c *passwordChoice) content() fyne.CanvasObject {
	return container.NewVBox(wrappedLabel(passwordIntro), c.mode, c.typed, c.confirm)
}

// onChangePassword asks for the new password and changes it.
func (d *routerDetailView) onChangePassword() {
	choice := newPasswordChoice(d.v.g)
	dlg := dialog.NewCustomConfirm("Change the password of "+d.name, "Change password", "Cancel", choice.content(), func(ok bool) {
		if !ok {
			return
		}
		pw, err := choice.password()
		if err != nil {
			d.notice.SetText(capitalize(err.Error()) + ".")
			return
		}
		d.changePassword(pw)
	}, d.v.g.win)
	dlg.Resize(fyne.NewSize(480, dlg.MinSize().Height))
	dlg.Show()
	d.passwordDialog = dlg
}

func (d *routerDetailView) changePassword(pw string) {
	d.run("Changing the password…", func(ctx context.Context) func() {
		res, err := d.svc.ChangePassword(ctx, d.name, pw, app.ChangeOptions{})
		return func() { d.showPasswordChange(res, err) }
	})
}

// showPasswordChange reports the outcome; the new password is shown once,
// hidden until asked, and copied through the clipboard guard.
func (d *routerDetailView) showPasswordChange(res *app.PasswordChange, err error) {
	d.passwordResult.Objects = nil
	if err != nil {
		d.notice.SetText("The password was not changed: " + err.Error())
		if res != nil && res.Changed {
			d.notice.SetText(err.Error())
		}
		d.passwordResult.Refresh()
		return
	}
	d.passwordResult.Add(&widget.Label{Text: "The new password works and is in the keychain; the old one is forgotten.",
		Importance: widget.SuccessImportance, Wrapping: fyne.TextWrapWord})
	d.passwordResult.Add(newSecretRow(d.v.g, d.name+"'s new password", res.Password))
	if res.Backup != "" {
		d.passwordResult.Add(wrappedLabel("Configuration saved first: " + res.Backup))
	}
	d.passwordResult.Refresh()
	d.refresh() // the audit no longer finds the factory password
}

// newSecretRow shows a secret hidden, with Show and Copy buttons; Copy
// clears the clipboard later as codes do.
func newSecretRow(g *MainWindow, what, secret string) fyne.CanvasObject {
	text := &widget.Entry{Password: true}
	text.SetText(secret)
	text.Disable()
	show := &widget.Button{Text: "Show", Icon: theme.VisibilityIcon()}
	show.OnTapped = func() {
		text.Password = !text.Password
		if text.Password {
			show.SetText("Show")
		} else {
			show.SetText("Hide")
		}
		text.Refresh()
	}
	cp := &widget.Button{Text: "Copy", Icon: theme.ContentCopyIcon(), OnTapped: func() {
		g.clip.copy(secret, what, g.settings.ClipboardClear())
	}}
	return container.NewBorder(nil, nil, widget.NewLabel("New password"), container.NewHBox(show, cp), text)
}
