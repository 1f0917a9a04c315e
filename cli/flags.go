package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// ctx carries one invocation: its streams, the command being run and the
// global flags, which may stand before or after the command's name.
type ctx struct {
	io           IO
	cmd          *command
	home         string
	passwordFile string
}

// parseGlobal reads the global flags that come before the command name and
// returns the rest.
func (c *ctx) parseGlobal(args []string) ([]string, error) {
	fs := flag.NewFlagSet("gatekey", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c.addGlobal(fs)
	for len(args) > 0 && strings.HasPrefix(args[0], "-") && args[0] != "-" {
		name, _, _ := strings.Cut(strings.TrimLeft(args[0], "-"), "=")
		if fs.Lookup(name) == nil {
			break // --help, --version and the like are handled by Run
		}
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
	}
	return args, nil
}

func (c *ctx) addGlobal(fs *flag.FlagSet) {
	fs.StringVar(&c.home, "home", c.home, "folder of the vault and settings")
	fs.StringVar(&c.passwordFile, "password-file", c.passwordFile, "read the password from the first line of this file")
}

// flags starts the flag set of the running command, with the global flags
// already registered.
func (c *ctx) flags() *flag.FlagSet {
	fs := flag.NewFlagSet(c.cmd.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c.addGlobal(fs)
	return fs
}

// errHelp is returned by parse when the user asked for help, which has been
// printed already.
var errHelp = errors.New("help requested")

// parse parses args with flags allowed anywhere among the positional
// arguments (Go's flag package stops at the first positional one), and
// prints the command's help for -h/--help.
func (c *ctx) parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var flags, positional []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			positional = append(positional, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			positional = append(positional, a)
			continue
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if name == "h" || name == "help" {
			c.printCommandHelp(fs)
			return nil, errHelp
		}
		flags = append(flags, a)
		f := fs.Lookup(name)
		if f == nil || hasValue {
			continue
		}
		if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && bf.IsBoolFlag() {
			continue
		}
		if i+1 < len(args) {
			flags = append(flags, args[i+1])
			i++
		}
	}
	if err := fs.Parse(flags); err != nil {
		return nil, err
	}
	return positional, nil
}

func (c *ctx) printCommandHelp(fs *flag.FlagSet) {
	w := c.io.Stdout
	fmt.Fprintf(w, "Usage: %s\n\n%s.\n", c.cmd.usage, capitalize(c.cmd.summary))
	fmt.Fprintln(w, "\nFlags:")
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}

// parseOrExit is the usual start of a command: it parses and turns a bad flag
// into a usage error and --help into success. ok is false when the command
// should return code at once.
func (c *ctx) parseOrExit(fs *flag.FlagSet, args []string) (positional []string, code int, ok bool) {
	positional, err := c.parse(fs, args)
	switch {
	case errors.Is(err, errHelp):
		return nil, ExitOK, false
	case err != nil:
		return nil, c.usageError(err.Error(), "run 'gatekey "+c.cmd.name+" --help' for its flags"), false
	}
	return positional, ExitOK, true
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
