// Package cli is Gatekey's command line: parsing, printing and exit codes
// over the use cases of app/, which the window shares. The rules for what
// goes where (results on stdout, one-sentence messages on stderr, exit
// codes) live in output.go and errors.go.
package cli

import (
	"fmt"
	"io"
	"os"
	"sort"
)

// Exit statuses, as docs/CLI.md documents them.
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
// name. run returns nil on success; errors.go turns anything else into a
// message and an exit status.
type command struct {
	name    string
	summary string
	usage   string
	run     func(inv *invocation, args []string) error
}

var commands = map[string]*command{}

func register(cmd *command) { commands[cmd.name] = cmd }

// Run executes the command line args (without the program name) and returns
// the process exit status.
func Run(args []string, io IO) int {
	inv := &invocation{io: io}
	return inv.exit(inv.dispatch(args))
}

func (inv *invocation) dispatch(args []string) error {
	rest, err := inv.parseGlobal(args)
	if err != nil {
		return usageError(err.Error())
	}
	if len(rest) == 0 {
		inv.printHelp(inv.io.Stdout)
		return nil
	}
	name := rest[0]
	switch name {
	case "-h", "--help", "-help":
		inv.printHelp(inv.io.Stdout)
		return nil
	case "--version", "-version":
		name = "version"
	}
	cmd, ok := commands[name]
	if !ok {
		return withHint(usageError(fmt.Sprintf("%q is not a gatekey command", name)), "run 'gatekey help' for the list")
	}
	inv.cmd = cmd
	return cmd.run(inv, rest[1:])
}

func (inv *invocation) printHelp(w io.Writer) {
	fmt.Fprintln(w, "Gatekey: two-factor codes for your accounts, and safe remote management for DrayTek routers.")
	fmt.Fprintln(w, "Run without arguments to open the window; run 'gatekey --demo' to try the window")
	fmt.Fprintln(w, "with two simulated routers and a throwaway vault, without touching your own.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: gatekey [--home DIR] [--password-file FILE] COMMAND [ARGS...]")
	fmt.Fprintln(w, "       gatekey --demo")
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
		run: func(inv *invocation, args []string) error {
			args, err := inv.parse(inv.flags(), args)
			if err != nil {
				return err
			}
			if len(args) == 0 {
				inv.printHelp(inv.io.Stdout)
				return nil
			}
			cmd, ok := commands[args[0]]
			if !ok {
				return withHint(usageError(fmt.Sprintf("%q is not a gatekey command", args[0])), "run 'gatekey help' for the list")
			}
			return cmd.run(&invocation{io: inv.io, cmd: cmd}, []string{"--help"})
		},
	})
}
