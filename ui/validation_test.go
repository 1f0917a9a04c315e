package ui

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"testing"

	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/gatekey/gatekey/app"
)

func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// The validation question shows the router's picture and an entry; what
// the person types goes with the login, and Cancel sends nothing.
func TestValidationDialog(t *testing.T) {
	g, _ := newTestWindow(t, vaultWith(1), app.DefaultSettings())
	img, err := decodeValidationPicture(&app.ValidationPicture{Data: pngOf(t, 120, 40), ContentType: "image/png"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	g.showValidationDialog("office", img, func(s string) { got = append(got, s) })
	overlay := g.win.Canvas().Overlays().Top()
	if overlay == nil {
		t.Fatal("no dialog")
	}
	var entry *widget.Entry
	var pictures int
	for _, o := range test.LaidOutObjects(overlay) {
		switch w := o.(type) {
		case *widget.Entry:
			entry = w
		case *canvas.Image:
			if w.Image == img {
				pictures++
			}
		}
	}
	if entry == nil || pictures != 1 {
		t.Fatalf("the dialog shows %d pictures and entry %v", pictures, entry)
	}
	test.Type(entry, " K3XP9 ")
	g.validationDialog.Confirm()
	if len(got) != 1 || got[0] != "K3XP9" {
		t.Fatalf("answered %q, want K3XP9", got)
	}

	g.showValidationDialog("office", img, func(s string) { got = append(got, s) })
	g.validationDialog.Dismiss()
	if len(got) != 2 || got[1] != "" {
		t.Fatalf("cancel answered %q", got)
	}
}

// A picture from the router is untrusted: an oversized or broken one is
// refused before it is drawn.
func TestValidationPictureBounds(t *testing.T) {
	for name, data := range map[string][]byte{
		"huge":   pngOf(t, 5000, 10),
		"broken": []byte("\x89PNG\r\n\x1a\nnot really"),
		"text":   []byte("<html>"),
	} {
		if _, err := decodeValidationPicture(&app.ValidationPicture{Data: data}); err == nil {
			t.Errorf("%s picture accepted", name)
		}
	}
}

// A login that stops waiting (its time is up) takes its question away.
func TestValidationDialogClosesWhenTheLoginGivesUp(t *testing.T) {
	g, _ := newTestWindow(t, vaultWith(1), app.DefaultSettings())
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := g.askValidationCode(ctx, "office", &app.ValidationPicture{Data: pngOf(t, 120, 40), ContentType: "image/png"})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want the login's own", err)
	}
	if top := g.win.Canvas().Overlays().Top(); top != nil {
		t.Fatal("the validation question stayed open after the login gave up")
	}
}
