// Gatekey is a desktop authenticator and a manager for DrayTek routers. Run
// without arguments it opens the window; with a subcommand it is a command
// line over the same core.
package main

import (
	"context"
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
	demo := len(os.Args) == 2 && os.Args[1] == "--demo"
	if len(os.Args) > 1 && !demo {
		os.Exit(cli.Run(os.Args[1:], cli.StdIO()))
	}
	home, desktop, stop, err := app.WindowService(context.Background(), demo)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gatekey:", err)
		os.Exit(1)
	}
	defer stop()
	settings, err := app.LoadSettings(home)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gatekey:", err)
	}
	ui.Run(fyneapp.NewWithID("io.github.gatekey"), ui.Options{
		Service:      desktop,
		Routers:      desktop.Routers(),
		Settings:     settings,
		SaveSettings: func(s app.Settings) error { return app.SaveSettings(home, s) },
		Tray:         app.TrayAvailable(),
		SessionLocks: app.WatchSession(context.Background()),
	})
}
