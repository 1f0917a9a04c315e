package cli

import (
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// invocation is one run of the command line: its streams, the command being
// run and the global flags, which may stand before or after the command's
// name.
type invocation struct {
	io   IO
	cmd  *command
	home string
	// passwordFile is the global --password-file. What the password is
	// for depends on the command; commands pass password sources
	// explicitly (password.go).
	passwordFile string
}

// parseGlobal reads the global flags that come before the command name and
// returns the rest.
func (inv *invocation) parseGlobal(args []string) ([]string, error) {
	fs := flag.NewFlagSet("gatekey", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	inv.addGlobal(fs)
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

func (inv *invocation) addGlobal(fs *flag.FlagSet) {
	fs.StringVar(&inv.home, "home", inv.home, "folder of the vault and settings")
	fs.StringVar(&inv.passwordFile, "password-file", inv.passwordFile, "read the password from the first line of this file")
}

// flags starts the flag set of the running command, with the global flags
// already registered.
func (inv *invocation) flags() *flag.FlagSet {
	fs := flag.NewFlagSet(inv.cmd.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	inv.addGlobal(fs)
	return fs
}

// parse parses args with flags allowed anywhere among the positional
// arguments (Go's flag package stops at the first positional one). It
// prints the command's help and returns errHelp for -h/--help, and a
// usage error for a bad flag.
func (inv *invocation) parse(fs *flag.FlagSet, args []string) ([]string, error) {
	flags, positional, help := splitFlags(fs, args)
	if help {
		inv.printCommandHelp(fs)
		return nil, errHelp
	}
	if err := fs.Parse(flags); err != nil {
		return nil, withHint(usageError(err.Error()), "run 'gatekey "+inv.cmd.name+" --help' for its flags")
	}
	return positional, nil
}

// parseN is parse for a command that takes between min and max positional
// arguments (max < 0: any number).
func (inv *invocation) parseN(fs *flag.FlagSet, args []string, min, max int) ([]string, error) {
	rest, err := inv.parse(fs, args)
	if err != nil {
		return nil, err
	}
	if len(rest) < min || (max >= 0 && len(rest) > max) {
		return nil, withHint(usageError("usage: "+inv.cmd.usage), "run 'gatekey "+inv.cmd.name+" --help' for its flags")
	}
	return rest, nil
}

// splitFlags separates flags (with their values) from positional arguments.
func splitFlags(fs *flag.FlagSet, args []string) (flags, positional []string, help bool) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return flags, append(positional, args[i+1:]...), false
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			positional = append(positional, a)
			continue
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if name == "h" || name == "help" {
			return nil, nil, true
		}
		flags = append(flags, a)
		if !hasValue && takesValue(fs, name) && i+1 < len(args) {
			flags = append(flags, args[i+1])
			i++
		}
	}
	return flags, positional, false
}

// takesValue reports whether the named flag reads the next argument.
func takesValue(fs *flag.FlagSet, name string) bool {
	f := fs.Lookup(name)
	if f == nil {
		return false
	}
	bf, ok := f.Value.(interface{ IsBoolFlag() bool })
	return !ok || !bf.IsBoolFlag()
}

func (inv *invocation) printCommandHelp(fs *flag.FlagSet) {
	w := inv.io.Stdout
	fmt.Fprintf(w, "Usage: %s\n\n%s.\n", inv.cmd.usage, capitalize(inv.cmd.summary))
	fmt.Fprintln(w, "\nFlags:")
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}

// optionalInt64 is an integer flag that tells "not given" from 0, such as
// `code --at 0` (the code at the Unix epoch).
type optionalInt64 struct {
	value int64
	set   bool
}

func (o *optionalInt64) String() string {
	if o == nil || !o.set {
		return ""
	}
	return fmt.Sprint(o.value)
}

func (o *optionalInt64) Set(s string) error {
	v, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return fmt.Errorf("%q is not a whole number", s)
	}
	o.value, o.set = v, true
	return nil
}

// stringList is a repeatable flag that also splits on commas.
type stringList []string

func (l *stringList) String() string { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error {
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*l = append(*l, p)
		}
	}
	return nil
}
