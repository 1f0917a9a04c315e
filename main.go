// Gatekey is a desktop authenticator and a manager for DrayTek routers. Run
// without arguments it opens the window; with a subcommand it is a command
// line over the same core.
package main

import (
	"os"

	fyneapp "fyne.io/fyne/v2/app"

	"github.com/gatekey/gatekey/cli"
	"github.com/gatekey/gatekey/internal/clocale"
	"github.com/gatekey/gatekey/ui"
)

func main() {
	clocale.Restore()
	if len(os.Args) > 1 {
		os.Exit(cli.Run(os.Args[1:], cli.StdIO()))
	}
	ui.Run(fyneapp.NewWithID("io.github.gatekey"))
}
