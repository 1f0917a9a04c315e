package cli

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/gatekey/gatekey/routersim"
)

func init() {
	register(&command{name: "router-sim", run: runRouterSim,
		summary: "run the DrayOS router simulator (for trying Gatekey without a router)",
		usage:   "gatekey router-sim [flags]"})
}

// runRouterSim hands over to the simulator's own flag parsing; it runs until
// interrupted.
func runRouterSim(c *ctx, args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	for _, a := range args {
		if a == "-h" || a == "--help" || a == "-help" {
			c.io.Stdout.Write([]byte("Usage: " + c.cmd.usage + "\n\n" + capitalize(c.cmd.summary) + ".\n\nFlags:\n"))
			return routersim.RunCommandLineContext(ctx, []string{"-h"}, c.io.Stdout, c.io.Stdout)
		}
	}
	return routersim.RunCommandLineContext(ctx, args, c.io.Stdout, c.io.Stderr)
}
