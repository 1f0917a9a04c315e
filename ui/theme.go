package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/gatekey/gatekey/app"
)

// variantTheme is Fyne's theme held to one variant, for the light and dark
// settings; "system" uses the default theme, which follows the desktop.
type variantTheme struct {
	fyne.Theme
	variant fyne.ThemeVariant
}

func (t variantTheme) Color(name fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(name, t.variant)
}

// applyTheme sets the app's theme from the setting.
func applyTheme(a fyne.App, setting string) {
	switch setting {
	case app.ThemeLight:
		a.Settings().SetTheme(variantTheme{theme.DefaultTheme(), theme.VariantLight})
	case app.ThemeDark:
		a.Settings().SetTheme(variantTheme{theme.DefaultTheme(), theme.VariantDark})
	default:
		a.Settings().SetTheme(theme.DefaultTheme())
	}
}
