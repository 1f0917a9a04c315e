package cli

import (
	"runtime"

	"github.com/gatekey/gatekey/app"
)

func init() {
	register(&command{
		name:    "version",
		summary: "print Gatekey's version",
		usage:   "gatekey version",
		run: func(inv *invocation, args []string) error {
			if _, err := inv.parseN(inv.flags(), args, 0, 0); err != nil {
				return err
			}
			inv.printf("gatekey %s (%s, %s/%s)", app.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return nil
		},
	})
}
