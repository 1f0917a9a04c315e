// Package cli is Gatekey's command line: subcommands over the same core the
// window uses, for scripts and for people who live in terminals. The rules
// for what goes where (results on stdout, one-sentence messages on stderr,
// exit codes) live in output.go.
package cli

import (
	"fmt"
	"io"
	"os"
	"sort"
)

// Exit statuses, as documented in docs/CLI.md.
const (
	ExitOK     = 0 // success
	ExitFailed = 1 // the operation failed or found nothing
	ExitUsage  = 2 // bad usage or bad input
)

// IO is what a command reads from and writes to. Tests hand in buffers.
type IO struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Terminal reports whether Stdin is an interactive terminal, where a
	// command may ask a question.
	Terminal bool
}

// StdIO is the process's own standard streams.
func StdIO() IO {
	return IO{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Terminal: isTerminal(os.Stdin)}
}

// command is one subcommand: its name, a one-line summary for `gatekey help`,
// its usage line and the function that runs it with the arguments after its
// name.
type command struct {
	name    string
	summary string
	usage   string
	run     func(c *ctx, args []string) int
}

var commands = map[string]*command{}

func register(cmd *command) { commands[cmd.name] = cmd }

// Run executes the command line args (without the program name) and returns
// the process exit status.
func Run(args []string, io IO) int {
	c := &ctx{io: io}
	rest, err := c.parseGlobal(args)
	if err != nil {
		return c.usageError(err.Error(), "")
	}
	if len(rest) == 0 {
		c.printHelp(c.io.Stdout)
		return ExitOK
	}
	name := rest[0]
	switch name {
	case "-h", "--help", "-help":
		c.printHelp(c.io.Stdout)
		return ExitOK
	case "--version", "-version":
		name = "version"
	}
	cmd, ok := commands[name]
	if !ok {
		return c.usageError(fmt.Sprintf("%q is not a gatekey command", name), "run 'gatekey help' for the list")
	}
	c.cmd = cmd
	return cmd.run(c, rest[1:])
}

func (c *ctx) printHelp(w io.Writer) {
	fmt.Fprintln(w, "Gatekey: two-factor codes for your accounts, and safe remote management for DrayTek routers.")
	fmt.Fprintln(w, "Run without arguments to open the window.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: gatekey [--home DIR] [--password-file FILE] COMMAND [ARGS...]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	names := make([]string, 0, len(commands))
	width := 0
	for name := range commands {
		names = append(names, name)
		width = max(width, len(name))
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "  %-*s  %s\n", width, name, commands[name].summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Global flags (before or after the command):")
	fmt.Fprintln(w, "  --home DIR            where the vault and settings live (default: $GATEKEY_HOME, else the OS config folder)")
	fmt.Fprintln(w, "  --password-file FILE  read a password from the first line of FILE instead of asking")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'gatekey COMMAND --help' for a command's flags.")
}

func init() {
	register(&command{
		name:    "help",
		summary: "show this help, or a command's help",
		usage:   "gatekey help [COMMAND]",
		run: func(c *ctx, args []string) int {
			args, code, ok := c.parseOrExit(c.flags(), args)
			if !ok {
				return code
			}
			if len(args) == 0 {
				c.printHelp(c.io.Stdout)
				return ExitOK
			}
			cmd, ok := commands[args[0]]
			if !ok {
				return c.usageError(fmt.Sprintf("%q is not a gatekey command", args[0]), "run 'gatekey help' for the list")
			}
			return cmd.run(&ctx{io: c.io, cmd: cmd}, []string{"--help"})
		},
	})
}
