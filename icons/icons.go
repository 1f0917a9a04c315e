// Package icons holds the images Gatekey ships: the application icon and,
// later, issuer icons, as Fyne resources embedded in the binary.
package icons

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

//go:embed gatekey.png
var appIconPNG []byte

// AppIcon is Gatekey's application icon (a key on a shield), used for the
// window, the desktop entry and the system tray.
var AppIcon = fyne.NewStaticResource("gatekey.png", appIconPNG)
