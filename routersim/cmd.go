package routersim

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

// RunCommandLine is `gatekey router-sim`: it parses args (without the
// command name), starts a router, prints the URLs it serves one per line on
// stdout and runs until SIGINT or SIGTERM. It returns the exit status: 0 after
// a clean stop, 1 when the router could not start, 2 on bad usage.
func RunCommandLine(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return RunCommandLineContext(ctx, args, stdout, stderr)
}

// RunCommandLineContext is RunCommandLine running until ctx ends.
func RunCommandLineContext(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("router-sim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		o            Options
		family       string
		passwordFile string
		checkbox     string
	)
	fs.StringVar(&o.Model, "model", "", "model name, such as Vigor2927 or 3910 (default per family)")
	fs.StringVar(&o.Firmware, "firmware", "", "firmware version, such as 4.4.5.8 (default per family)")
	fs.StringVar(&family, "family", string(FamilyDrayOS4), "drayos4, drayos5 or linux (the last two serve only a login page)")
	fs.StringVar(&o.LANHTTP, "lan-http", "127.0.0.1:8080", "LAN HTTP listen address (empty: off)")
	fs.StringVar(&o.LANHTTPS, "lan-https", "127.0.0.1:8443", "LAN HTTPS listen address (empty: off)")
	fs.StringVar(&o.WANHTTP, "wan-http", "127.0.0.1:9080", "WAN HTTP listen address (empty: off)")
	fs.StringVar(&o.WANHTTPS, "wan-https", "127.0.0.1:9443", "WAN HTTPS listen address (empty: off)")
	fs.StringVar(&o.AdminUser, "user", "admin", "factory admin username")
	fs.StringVar(&passwordFile, "password-file", "", "file whose first line is the factory admin password (default admin)")
	fs.StringVar(&o.StateDir, "state", "", "state folder kept across restarts (default: a temporary folder)")
	fs.DurationVar(&o.ClockOffset, "clock-offset", 0, "router clock minus real clock, such as 90s or -2m")
	fs.DurationVar(&o.Latency, "latency", 0, "delay added to every request")
	fs.DurationVar(&o.RebootDelay, "reboot-delay", 3*time.Second, "how long a reboot keeps the router unreachable")
	fs.DurationVar(&o.IdleTimeout, "idle-timeout", 300*time.Second, "idle time that ends a web session")
	fs.StringVar(&o.Names.TOTPField, "totp-field", "sOtpCode", "name of the login form's TOTP code input")
	fs.StringVar(&checkbox, "checkbox-value", "1", `value attribute of check boxes: "1", "on", or "none" for no attribute`)
	fs.BoolVar(&o.TrustSourceHeader, "trust-source-header", false, "take the source address from the X-Sim-Source header (tests only)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "gatekey: router-sim takes no arguments, got %q\n", fs.Arg(0))
		return 2
	}
	o.Family = Family(family)
	o.Names.CheckboxValue = checkbox
	if checkbox == "none" {
		o.Names.CheckboxValue = CheckboxNoValue
	}
	if passwordFile != "" {
		pw, err := readPasswordFile(passwordFile)
		if err != nil {
			fmt.Fprintf(stderr, "gatekey: %v\n", err)
			return 2
		}
		o.AdminPassword = pw
	}
	r, err := Start(ctx, o)
	if err != nil {
		fmt.Fprintf(stderr, "gatekey: %v\n", err)
		return 1
	}
	defer r.Close()
	u := r.URLs()
	for _, s := range []struct{ label, url string }{
		{"LAN HTTP", u.LANHTTP}, {"LAN HTTPS", u.LANHTTPS}, {"WAN HTTP", u.WANHTTP}, {"WAN HTTPS", u.WANHTTPS},
	} {
		if s.url != "" {
			fmt.Fprintln(stdout, s.url)
			fmt.Fprintf(stderr, "gatekey: %s %s (%s)\n", r.opts.Model, s.label, s.url)
		}
	}
	fmt.Fprintf(stderr, "gatekey: certificate fingerprint %s; state in %s\n", r.Fingerprint(), r.StateDir())
	<-ctx.Done()
	if err := r.Close(); err != nil {
		fmt.Fprintf(stderr, "gatekey: %v\n", err)
		return 1
	}
	return 0
}

// readPasswordFile returns the first line of a password file, without its
// newline (CLI.md).
func readPasswordFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("reading the password file: %w", err)
	}
	defer f.Close()
	line, err := bufio.NewReader(io.LimitReader(f, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("reading the password file: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("reading the password file: its first line is empty")
	}
	return line, nil
}
