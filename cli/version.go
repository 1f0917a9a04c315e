package cli

import (
	"fmt"
	"runtime"

	"github.com/gatekey/gatekey/app"
)

func init() {
	register(&command{
		name:    "version",
		summary: "print Gatekey's version",
		usage:   "gatekey version",
		run: func(c *ctx, args []string) int {
			fs := c.flags()
			rest, code, ok := c.parseOrExit(fs, args)
			if !ok {
				return code
			}
			if len(rest) > 0 {
				return c.usageError("version takes no arguments", "")
			}
			c.println(fmt.Sprintf("gatekey %s (%s, %s/%s)", app.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH))
			return ExitOK
		},
	})
}
