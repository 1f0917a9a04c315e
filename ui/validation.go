package ui

import (
	"bytes"
	"context"
	"image"
	_ "image/gif" // validation pictures come as PNG, GIF or JPEG
	_ "image/jpeg"
	_ "image/png"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/gatekey/gatekey/app"
)

// errNoValidationCode is a validation picture left unanswered.
var errNoValidationCode = app.ErrValidationCodeNotGiven

// maxValidationSide bounds a validation picture before it is drawn; real
// ones are a couple of hundred pixels wide.
const maxValidationSide = 1024

// askValidationCode shows a router's validation picture and waits for the
// characters the person types. The router service calls it from a
// background goroutine during a login.
func (g *MainWindow) askValidationCode(ctx context.Context, router string, pic *app.ValidationPicture) (string, error) {
	img, err := decodeValidationPicture(pic)
	if err != nil {
		return "", err
	}
	answer := make(chan string, 1)
	var d dialog.Dialog // set and read on the Fyne goroutine only
	fyne.Do(func() { d = g.showValidationDialog(router, img, func(s string) { answer <- s }) })
	select {
	case s := <-answer:
		if s == "" {
			return "", errNoValidationCode
		}
		return s, nil
	case <-ctx.Done():
		// The login gave up waiting: a question left open would answer
		// nobody.
		fyne.Do(func() { d.Hide() })
		return "", ctx.Err()
	}
}

// decodeValidationPicture checks the picture's size before decoding it: it
// comes from the router, which is untrusted.
func decodeValidationPicture(pic *app.ValidationPicture) (image.Image, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(pic.Data))
	if err != nil {
		return nil, err
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > maxValidationSide || cfg.Height > maxValidationSide {
		return nil, errValidationPictureSize
	}
	img, _, err := image.Decode(bytes.NewReader(pic.Data))
	return img, err
}

var errValidationPictureSize = app.ErrBadValidationPicture

// showValidationDialog asks for the characters of the picture; answer gets
// them, or "" when the person cancels.
func (g *MainWindow) showValidationDialog(router string, img image.Image, answer func(string)) dialog.Dialog {
	pic := canvas.NewImageFromImage(img)
	pic.FillMode = canvas.ImageFillContain
	b := img.Bounds()
	pic.SetMinSize(fyne.NewSize(float32(b.Dx())*2, float32(b.Dy())*2))
	entry := widget.NewEntry()
	entry.PlaceHolder = "Characters in the picture"
	explain := wrappedLabel(router + "'s login page asks for the characters in this picture (Validation Code). " +
		"Gatekey sends them with this one login. To stop this question, turn off Validation Code on the router's " +
		"Management page: brute-force protection and TOTP protect the login instead.")
	answered := false
	d := dialog.NewCustomConfirm("Validation code", "Log in", "Cancel",
		container.NewVBox(explain, container.NewCenter(pic), entry), func(ok bool) {
			if answered {
				return
			}
			answered = true
			if !ok {
				answer("")
				return
			}
			answer(strings.TrimSpace(entry.Text))
		}, g.win)
	entry.OnSubmitted = func(string) { d.Confirm() }
	d.Resize(fyne.NewSize(420, d.MinSize().Height))
	d.Show()
	g.win.Canvas().Focus(entry)
	g.validationDialog = d
	return d
}
