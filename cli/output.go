package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// The rules for output, in one place: results go to stdout; everything else
// goes to stderr as "gatekey: <one plain sentence>", with an optional hint on
// a second line.

// fail reports an operation that failed or found nothing (exit 1).
func (c *ctx) fail(msg, hint string) int {
	c.say(msg, hint)
	return ExitFailed
}

// usageError reports bad usage or bad input (exit 2).
func (c *ctx) usageError(msg, hint string) int {
	c.say(msg, hint)
	return ExitUsage
}

// say writes a message to stderr.
func (c *ctx) say(msg, hint string) {
	msg = strings.TrimSuffix(strings.TrimSpace(msg), ".")
	fmt.Fprintf(c.io.Stderr, "gatekey: %s\n", msg)
	if hint != "" {
		fmt.Fprintf(c.io.Stderr, "gatekey: %s\n", hint)
	}
}

// printJSON writes one JSON document to stdout.
func (c *ctx) printJSON(v any) int {
	enc := json.NewEncoder(c.io.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return c.fail("writing JSON output: "+err.Error(), "")
	}
	return ExitOK
}

// println writes one result line to stdout.
func (c *ctx) println(a ...any) { fmt.Fprintln(c.io.Stdout, a...) }

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
