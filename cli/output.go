package cli

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"golang.org/x/term"
)

// The rules for output, in one place: results go to stdout; everything else
// goes to stderr as "gatekey: <one plain sentence>", with an optional hint on
// a second line.

// say writes a message to stderr.
func (inv *invocation) say(msg, hint string) {
	msg = strings.TrimSuffix(strings.TrimSpace(msg), ".")
	fmt.Fprintf(inv.io.Stderr, "gatekey: %s\n", msg)
	if hint != "" {
		fmt.Fprintf(inv.io.Stderr, "gatekey: %s\n", hint)
	}
}

// printJSON writes one JSON document to stdout.
func (inv *invocation) printJSON(v any) error {
	enc := json.NewEncoder(inv.io.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return failed("writing JSON output: " + err.Error())
	}
	return nil
}

// println writes one result line to stdout.
func (inv *invocation) println(a ...any) { fmt.Fprintln(inv.io.Stdout, a...) }

// printf writes a formatted result line to stdout.
func (inv *invocation) printf(format string, a ...any) { fmt.Fprintf(inv.io.Stdout, format+"\n", a...) }

// confirm asks a yes/no question on the terminal; anything but y or yes is
// no.
func (inv *invocation) confirm(question string) bool {
	fmt.Fprintf(inv.io.Stderr, "%s [y/N] ", question)
	answer, _ := bufio.NewReader(inv.io.Stdin).ReadString('\n')
	answer = strings.ToLower(strings.TrimSpace(answer))
	return answer == "y" || answer == "yes"
}

// needConfirmation asks question on a terminal unless yes was given; off a
// terminal without yes it is a usage error, since a script must say what it
// wants. refused is the failure when the person answers no.
func (inv *invocation) needConfirmation(yes bool, question, refused string) error {
	if yes {
		return nil
	}
	if !inv.io.Terminal {
		return usageError(inv.cmd.name + " needs --yes when not run on a terminal")
	}
	if !inv.confirm(question) {
		return failed(refused)
	}
	return nil
}

// isTerminal reports whether f is an interactive terminal; /dev/null, which
// scripts often give as stdin, is a character device but not a terminal.
func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

func quote(s string) string { return "\"" + s + "\"" }

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
