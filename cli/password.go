package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"

	"golang.org/x/term"

	"github.com/gatekey/gatekey/app"
	"github.com/gatekey/gatekey/internal/readlimit"
)

// maxPasswordFile bounds what is read from a password file.
const maxPasswordFile = 64 << 10

// passwordSource says where one password comes from: the first line of a
// file, else the terminal. Every command names its sources explicitly,
// because --password-file means the vault's password for most commands
// but the router's for `router add` and the export's for `export`.
type passwordSource struct {
	inv    *invocation
	file   string // "" asks on the terminal
	prompt string
	// twice asks a new password twice on a terminal.
	twice bool
}

// passwordFromFile is the global --password-file, else the terminal.
func (inv *invocation) passwordFromFile(prompt string) passwordSource {
	return passwordSource{inv: inv, file: inv.passwordFile, prompt: prompt}
}

// passwordAsked is always the terminal: for the vault when the password
// file belongs to something else.
func (inv *invocation) passwordAsked(prompt string) passwordSource {
	return passwordSource{inv: inv, prompt: prompt}
}

// newPassword is a new password from file, else asked twice.
func (inv *invocation) newPassword(file, prompt string) passwordSource {
	return passwordSource{inv: inv, file: file, prompt: prompt, twice: true}
}

// errNoPassword is returned when a password is needed but neither a terminal
// nor a password file can supply one.
var errNoPassword = usageError("a password is needed: pass --password-file FILE, or run on a terminal to be asked")

// get reads the password.
func (p passwordSource) get() ([]byte, error) {
	if p.file != "" {
		return readPasswordFile(p.file)
	}
	if !p.inv.io.Terminal {
		return nil, errNoPassword
	}
	pw, err := p.inv.ask(p.prompt)
	if err != nil || !p.twice {
		return pw, err
	}
	again, err := p.inv.ask("Repeat it: ")
	if err != nil {
		clear(pw)
		return nil, err
	}
	defer clear(again)
	if !bytes.Equal(pw, again) {
		clear(pw)
		return nil, failed("the two passwords differ")
	}
	return pw, nil
}

// fn is the source as the app's password callback.
func (p passwordSource) fn() app.PasswordFunc { return p.get }

// readPasswordFile returns the first line of the file, without its newline.
func readPasswordFile(path string) ([]byte, error) {
	data, err := readlimit.File(path, maxPasswordFile)
	if errors.Is(err, readlimit.ErrTooLarge) {
		return nil, asUsage(fmt.Errorf("the password file: %w", err))
	}
	if err != nil {
		return nil, fmt.Errorf("reading the password file: %w", err)
	}
	line, _, _ := bytes.Cut(data, []byte("\n"))
	line = bytes.Clone(bytes.TrimRight(line, "\r"))
	clear(data)
	if len(line) == 0 {
		return nil, usageError(fmt.Sprintf("the first line of the password file %s is empty", path))
	}
	return line, nil
}

func (inv *invocation) ask(prompt string) ([]byte, error) {
	fmt.Fprint(inv.io.Stderr, prompt)
	defer fmt.Fprintln(inv.io.Stderr)
	pw, err := term.ReadPassword(int(os.Stdin.Fd()))
	if err != nil {
		return nil, fmt.Errorf("reading the password: %w", err)
	}
	if len(pw) == 0 {
		return nil, usageError("the password is empty")
	}
	return pw, nil
}
