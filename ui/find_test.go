package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

var desktopShortcutL = desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierShortcutDefault}

// texts collects the text of every label, check and entry under o.
func texts(o fyne.CanvasObject, out *[]string) {
	switch w := o.(type) {
	case *widget.Label:
		*out = append(*out, w.Text)
	case *widget.Check:
		*out = append(*out, w.Text)
	case *widget.RichText:
		*out = append(*out, w.String())
	}
	if c, ok := o.(*fyne.Container); ok {
		for _, child := range c.Objects {
			texts(child, out)
		}
		return
	}
	if w, ok := o.(fyne.Widget); ok {
		r := cacheRenderer(w)
		for _, child := range r {
			texts(child, out)
		}
	}
}

func cacheRenderer(w fyne.Widget) []fyne.CanvasObject {
	return w.CreateRenderer().Objects()
}

// canvasShows reports whether some text on c (content and overlays)
// contains want.
func canvasShows(c fyne.Canvas, want string) bool {
	var all []string
	texts(c.Content(), &all)
	for _, o := range c.Overlays().List() {
		texts(o, &all)
	}
	for _, s := range all {
		if strings.Contains(s, want) {
			return true
		}
	}
	return false
}

func dialogShows(w fyne.Window, want string) bool { return canvasShows(w.Canvas(), want) }

func findLockView(t *testing.T, g *MainWindow) *lockView {
	t.Helper()
	if !canvasShows(g.win.Canvas(), "Gatekey is locked") || g.lockScreen == nil {
		t.Fatal("the lock screen is not shown")
	}
	if g.win.Canvas().Focused() != g.lockScreen.password {
		t.Error("the password field has no focus on the lock screen")
	}
	return g.lockScreen
}
