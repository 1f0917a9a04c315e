package cli

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"

	"golang.org/x/term"

	"github.com/gatekey/gatekey/app"
)

// errNoPassword is returned when a password is needed but neither a terminal
// nor --password-file can supply one.
var errNoPassword = errors.New("a password is needed: pass --password-file FILE, or run on a terminal to be asked")

// maxPasswordFile bounds what is read from --password-file.
const maxPasswordFile = 64 << 10

// readPasswordFile returns the first line of the file, without its newline.
func readPasswordFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading the password file: %w", err)
	}
	defer f.Close()
	r := bufio.NewReader(&limitedReader{f, maxPasswordFile})
	line, err := r.ReadBytes('\n')
	if err != nil && len(line) == 0 {
		return nil, fmt.Errorf("the password file %s is empty", path)
	}
	line = bytes.TrimRight(line, "\r\n")
	if len(line) == 0 {
		return nil, fmt.Errorf("the first line of the password file %s is empty", path)
	}
	return line, nil
}

type limitedReader struct {
	f *os.File
	n int64
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		return 0, fmt.Errorf("the password file is longer than %d bytes", maxPasswordFile)
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.f.Read(p)
	l.n -= int64(n)
	return n, err
}

// password returns a PasswordFunc that reads --password-file when given,
// else asks on the terminal with prompt.
func (c *ctx) password(prompt string) app.PasswordFunc {
	return func() ([]byte, error) {
		if c.passwordFile != "" {
			return readPasswordFile(c.passwordFile)
		}
		if !c.io.Terminal {
			return nil, errNoPassword
		}
		return c.ask(prompt)
	}
}

// newPassword is like password but asks twice on a terminal.
func (c *ctx) newPassword(prompt string) app.PasswordFunc {
	return func() ([]byte, error) {
		if c.passwordFile != "" {
			return readPasswordFile(c.passwordFile)
		}
		if !c.io.Terminal {
			return nil, errNoPassword
		}
		pw, err := c.ask(prompt)
		if err != nil {
			return nil, err
		}
		again, err := c.ask("Repeat it: ")
		if err != nil {
			return nil, err
		}
		defer clear(again)
		if !bytes.Equal(pw, again) {
			clear(pw)
			return nil, errors.New("the two passwords differ")
		}
		return pw, nil
	}
}

func (c *ctx) ask(prompt string) ([]byte, error) {
	fmt.Fprint(c.io.Stderr, prompt)
	defer fmt.Fprintln(c.io.Stderr)
	pw, err := term.ReadPassword(int(os.Stdin.Fd()))
	if err != nil {
		return nil, fmt.Errorf("reading the password: %w", err)
	}
	if len(pw) == 0 {
		return nil, errors.New("the password is empty")
	}
	return pw, nil
}
