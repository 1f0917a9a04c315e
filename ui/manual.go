package ui

import (
	"errors"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/gatekey/gatekey/app"
	"github.com/gatekey/gatekey/otp"
)

// manualForm is the "enter manually" dialog: issuer, name and secret, with
// the usual defaults (TOTP, SHA1, 6 digits, 30 s) one click away.
type manualForm struct {
	issuer, name, secret, digits, period, counter *widget.Entry
	kind, algorithm                               *widget.Select
}

func newManualForm() *manualForm {
	f := &manualForm{
		issuer: widget.NewEntry(), name: widget.NewEntry(), secret: widget.NewEntry(),
		digits: widget.NewEntry(), period: widget.NewEntry(), counter: widget.NewEntry(),
	}
	f.issuer.PlaceHolder = "Example Inc."
	f.name.PlaceHolder = "you@example.com"
	f.name.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" && strings.TrimSpace(f.issuer.Text) == "" {
			return errors.New("give the account a name or an issuer")
		}
		return nil
	}
	f.secret.PlaceHolder = "Base32, as the site shows it"
	f.secret.Validator = func(s string) error {
		_, err := otp.DecodeBase32(s)
		if err != nil {
			return errors.New("the secret must be Base32 (letters A–Z and digits 2–7)")
		}
		return nil
	}
	f.digits.SetText("6")
	f.digits.Validator = intBetween(otp.MinDigits, otp.MaxDigits)
	f.period.SetText("30")
	f.period.Validator = intBetween(1, 3600)
	f.counter.SetText("0")
	f.counter.Validator = intBetween(0, 1<<62)
	f.kind = widget.NewSelect([]string{"TOTP (time)", "HOTP (counter)", "Steam"}, nil)
	f.kind.SetSelectedIndex(0)
	f.algorithm = widget.NewSelect([]string{string(otp.SHA1), string(otp.SHA256), string(otp.SHA512)}, nil)
	f.algorithm.SetSelectedIndex(0)
	return f
}

func intBetween(lo, hi int) fyne.StringValidator {
	return func(s string) error {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < lo || n > hi {
			return errors.New("a whole number from " + strconv.Itoa(lo) + " to " + strconv.Itoa(hi))
		}
		return nil
	}
}

func (f *manualForm) items() []*widget.FormItem {
	return []*widget.FormItem{
		widget.NewFormItem("Issuer", f.issuer),
		widget.NewFormItem("Name", f.name),
		{Text: "Secret", Widget: f.secret, HintText: "spaces and lower case are fine"},
		widget.NewFormItem("Type", f.kind),
		widget.NewFormItem("Algorithm", f.algorithm),
		widget.NewFormItem("Digits", f.digits),
		{Text: "Period (s)", Widget: f.period, HintText: "TOTP and Steam"},
		{Text: "Counter", Widget: f.counter, HintText: "HOTP only"},
	}
}

// account builds the account the form describes, validated.
func (f *manualForm) account() (otp.Account, error) {
	digits, _ := strconv.Atoi(strings.TrimSpace(f.digits.Text))
	period, _ := strconv.Atoi(strings.TrimSpace(f.period.Text))
	counter, _ := strconv.ParseUint(strings.TrimSpace(f.counter.Text), 10, 64)
	fields := app.AccountFields{Type: string(otp.TOTP), Issuer: strings.TrimSpace(f.issuer.Text), Name: strings.TrimSpace(f.name.Text),
		Secret: f.secret.Text, Algorithm: f.algorithm.Selected, Digits: digits, Period: period}
	switch f.kind.SelectedIndex() {
	case 1:
		fields.Type, fields.Counter = string(otp.HOTP), counter
	case 2:
		fields.Type, fields.Digits = string(otp.Steam), 0
	}
	return fields.Account()
}

// onManual shows the manual entry form and adds the account.
func (v *codesView) onManual() {
	f := newManualForm()
	d := dialog.NewForm("Enter an account", "Add", "Cancel", f.items(), func(ok bool) {
		if !ok {
			return
		}
		acc, err := f.account()
		if err != nil {
			showError(v.g.win, "The account was not added", err)
			return
		}
		v.add([]otp.Account{acc}, nil)
	}, v.g.win)
	d.Resize(fyne.NewSize(440, d.MinSize().Height))
	d.Show()
	v.g.win.Canvas().Focus(f.issuer)
}
