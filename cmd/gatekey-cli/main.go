// Command gatekey-cli is Gatekey's command line on its own, without the
// window: the console program of the Windows package (beside Gatekey.exe,
// which is built for the GUI subsystem and so has no console to print to).
// It links no GUI toolkit, so it builds without cgo for every platform.
package main

import (
	"os"

	"github.com/gatekey/gatekey/cli"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], cli.StdIO()))
}
