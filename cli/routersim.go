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
func runRouterSim(inv *invocation, args []string) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	for _, a := range args {
		if a == "-h" || a == "--help" || a == "-help" {
			inv.printf("Usage: %s\n\n%s.\n\nFlags:", inv.cmd.usage, capitalize(inv.cmd.summary))
			return quietExit(routersim.RunCommandLineContext(ctx, []string{"-h"}, inv.io.Stdout, inv.io.Stdout))
		}
	}
	return quietExit(routersim.RunCommandLineContext(ctx, args, inv.io.Stdout, inv.io.Stderr))
}
