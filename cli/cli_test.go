package cli

import (
	"bytes"
	"strings"
	"testing"
)

// run executes the command line with buffers and returns its exit status,
// stdout and stderr.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Run(args, IO{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr})
	return code, stdout.String(), stderr.String()
}

func TestVersionPrintsVersionOnly(t *testing.T) {
	code, out, errOut := run(t, "version")
	if code != ExitOK || !strings.HasPrefix(out, "gatekey ") || errOut != "" {
		t.Fatalf("version: code %d, stdout %q, stderr %q", code, out, errOut)
	}
	if code, out2, _ := run(t, "--version"); code != ExitOK || out2 != out {
		t.Errorf("--version: code %d, stdout %q, want %q", code, out2, out)
	}
}

func TestHelpListsEveryCommand(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}} {
		code, out, errOut := run(t, args...)
		if code != ExitOK || errOut != "" {
			t.Fatalf("%v: code %d, stderr %q", args, code, errOut)
		}
		for name := range commands {
			if !strings.Contains(out, "\n  "+name+" ") {
				t.Errorf("%v does not list %q:\n%s", args, name, out)
			}
		}
	}
}

// Every command answers --help with its usage on stdout and status 0, and
// does nothing else.
func TestEveryCommandHasHelp(t *testing.T) {
	for name, cmd := range commands {
		for _, args := range [][]string{{name, "--help"}, {"help", name}} {
			code, out, errOut := run(t, args...)
			if code != ExitOK || errOut != "" || !strings.Contains(out, "Usage: "+cmd.usage) {
				t.Errorf("%v: code %d, stderr %q, stdout %q", args, code, errOut, out)
			}
		}
	}
}

func TestBadUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"unknown command", []string{"frobnicate"}},
		{"unknown flag", []string{"version", "--frobnicate"}},
		{"extra argument", []string{"version", "now"}},
		{"help for an unknown command", []string{"help", "frobnicate"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t, tt.args...)
			if code != ExitUsage {
				t.Errorf("exit %d, want %d", code, ExitUsage)
			}
			if out != "" {
				t.Errorf("stdout should be empty, got %q", out)
			}
			if !strings.HasPrefix(errOut, "gatekey: ") {
				t.Errorf("stderr %q should start with \"gatekey: \"", errOut)
			}
		})
	}
}

// Global flags may stand before or after the command, and flags may follow
// positional arguments.
func TestFlagsAnywhere(t *testing.T) {
	c := &invocation{io: IO{}, cmd: &command{name: "x"}}
	rest, err := c.parseGlobal([]string{"--home", "/a", "code", "q"})
	if err != nil || c.home != "/a" || strings.Join(rest, " ") != "code q" {
		t.Fatalf("global before: home %q rest %v err %v", c.home, rest, err)
	}
	fs := c.flags()
	asJSON := fs.Bool("json", false, "")
	var at optionalInt64
	fs.Var(&at, "at", "")
	pos, err := c.parse(fs, []string{"query", "--json", "--at", "59", "--password-file=/p", "more"})
	if err != nil {
		t.Fatal(err)
	}
	if !*asJSON || at.value != 59 || c.passwordFile != "/p" || strings.Join(pos, " ") != "query more" {
		t.Errorf("json %v at %d password-file %q positional %v", *asJSON, at.value, c.passwordFile, pos)
	}
}

// The first thing a person without a router needs is the demo; the help
// says how to start it.
func TestHelpMentionsDemo(t *testing.T) {
	_, out, _ := run(t, "--help")
	if !strings.Contains(out, "gatekey --demo") {
		t.Fatalf("gatekey --help does not mention --demo:\n%s", out)
	}
}
