// Gatekey is a desktop authenticator and a manager for DrayTek routers. Run
// without arguments it opens the window; with a subcommand it is a command
// line over the same core.
package main

import (
	"fmt"
	"os"

	fyneapp "fyne.io/fyne/v2/app"

	"github.com/gatekey/gatekey/app"
	"github.com/gatekey/gatekey/cli"
	"github.com/gatekey/gatekey/internal/clocale"
	"github.com/gatekey/gatekey/ui"
)

func main() {
	clocale.Restore() // first: see internal/clocale
	if len(os.Args) > 1 {
		os.Exit(cli.Run(os.Args[1:], cli.StdIO()))
	}
	home, err := app.ResolveHome("")
	if err != nil {
		fmt.Fprintln(os.Stderr, "gatekey:", err)
		os.Exit(1)
	}
	settings, err := app.LoadSettings(home)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gatekey:", err)
	}
	ui.Run(fyneapp.NewWithID("io.github.gatekey"), ui.Options{
		Service:      app.NewDesktop(home, nil),
		Settings:     settings,
		SaveSettings: func(s app.Settings) error { return app.SaveSettings(home, s) },
		Tray:         app.TrayAvailable(),
	})
}
