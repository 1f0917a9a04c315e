package routersim

import (
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

	"github.com/gatekey/gatekey/internal/readlimit"
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
	o, code := parseFlags(args, stderr)
	if code >= 0 {
		return code
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
		{"WAN IPv6 HTTP", u.WANHTTP6}, {"WAN IPv6 HTTPS", u.WANHTTPS6},
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

// cmdFlags are the flags that need converting into Options.
type cmdFlags struct {
	family, passwordFile, checkbox, backupFault, refused string
}

// parseFlags reads the command line into Options; code is the exit status
// to stop with, or -1 to go on.
func parseFlags(args []string, stderr io.Writer) (o Options, code int) {
	fs := flag.NewFlagSet("router-sim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cf cmdFlags
	defineFlags(fs, &o, &cf)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return o, 0
		}
		return o, 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "gatekey: router-sim takes no arguments, got %q\n", fs.Arg(0))
		return o, 2
	}
	if err := cf.apply(&o); err != nil {
		fmt.Fprintf(stderr, "gatekey: %v\n", err)
		return o, 2
	}
	return o, -1
}

// defineFlags declares every flag of router-sim.
func defineFlags(fs *flag.FlagSet, o *Options, cf *cmdFlags) {
	fs.StringVar(&o.Model, "model", "", "model name, such as Vigor2927, 3910 or 1000B (default per family)")
	fs.StringVar(&o.Firmware, "firmware", "", "firmware version, such as 4.4.5.8 or 4.4.2_BT (default per family)")
	fs.StringVar(&cf.family, "family", string(FamilyDrayOS4), "drayos4, drayos5 or linux (the last two serve only a login page)")
	fs.BoolVar(&o.LoginPageWithoutModel, "login-without-model", false, "leave the model off the login page (it stays on the dashboard and in sys version)")
	fs.StringVar(&o.LANHTTP, "lan-http", "127.0.0.1:8080", "LAN HTTP listen address (empty: off)")
	fs.StringVar(&o.LANHTTPS, "lan-https", "127.0.0.1:8443", "LAN HTTPS listen address (empty: off)")
	fs.StringVar(&o.WANHTTP, "wan-http", "127.0.0.1:9080", "WAN HTTP listen address (empty: off)")
	fs.StringVar(&o.WANHTTPS, "wan-https", "127.0.0.1:9443", "WAN HTTPS listen address (empty: off)")
	fs.StringVar(&o.WANHTTP6, "wan-http6", "", "IPv6 WAN HTTP listen address, such as [::1]:9081 (empty: off)")
	fs.StringVar(&o.WANHTTPS6, "wan-https6", "", "IPv6 WAN HTTPS listen address, such as [::1]:9444 (empty: off)")
	fs.StringVar(&o.AdminUser, "user", "admin", "factory admin username")
	fs.StringVar(&cf.passwordFile, "password-file", "", "file whose first line is the factory admin password (default admin)")
	fs.StringVar(&o.StateDir, "state", "", "state folder kept across restarts (default: a temporary folder)")
	fs.DurationVar(&o.ClockOffset, "clock-offset", 0, "router clock minus real clock, such as 90s or -2m")
	fs.DurationVar(&o.Latency, "latency", 0, "delay added to every request")
	fs.DurationVar(&o.RebootDelay, "reboot-delay", 3*time.Second, "how long a reboot keeps the router unreachable")
	fs.DurationVar(&o.IdleTimeout, "idle-timeout", 300*time.Second, "idle time that ends a web session")
	fs.StringVar(&o.Names.TOTPField, "totp-field", "sOtpCode", "name of the login form's TOTP code input")
	fs.StringVar(&o.Names.ValidCodeField, "valid-code-field", "sValidCode", "name of the login form's Validation Code input")
	fs.StringVar(&cf.checkbox, "checkbox-value", "1", `value attribute of check boxes: "1", "on", or "none" for no attribute`)
	fs.BoolVar(&o.TrustSourceHeader, "trust-source-header", false, "take the source address from the X-Sim-Source header (tests only)")
	fs.BoolVar(&o.ValidationCode, "validation-code", false, "turn Validation Code (CAPTCHA) on at start")
	fs.BoolVar(&o.IPv6Open, "ipv6-open", false, "turn IPv6 management from the Internet on with HTTP and HTTPS at start")
	fs.BoolVar(&o.TR069Open, "tr069-open", false, "turn management from the Internet on with TR-069 at start")
	fs.IntVar(&o.BackupFID, "backup-fid", 2016, "fid of the configuration backup page: 2016, or 3004 as on newer firmware")
	fs.StringVar(&cf.backupFault, "backup-fault", "none", "make the backup fail: none, page-error, no-form or post-error")
	fs.StringVar(&cf.refused, "password-refused-chars", "", `characters a new admin password may not hold besides control characters (default: space ' " \; "none": no others)`)
	fs.BoolVar(&o.RefuseNewPasswordOnce, "refuse-new-password-once", false, "accept the next password change but refuse the first login with the new password")
}

// backupFaults are the names of --backup-fault.
var backupFaults = map[string]BackupFault{
	"none": BackupOK, "page-error": BackupFaultPageError, "no-form": BackupFaultNoForm, "post-error": BackupFaultPostError,
}

// apply turns the converted flags into Options.
func (cf cmdFlags) apply(o *Options) error {
	o.Family = Family(cf.family)
	o.Names.CheckboxValue = cf.checkbox
	if cf.checkbox == "none" {
		o.Names.CheckboxValue = CheckboxNoValue
	}
	fault, ok := backupFaults[cf.backupFault]
	if !ok {
		return fmt.Errorf("unknown --backup-fault %q (want none, page-error, no-form or post-error)", cf.backupFault)
	}
	o.BackupFault = fault
	o.PasswordRefusedChars = cf.refused
	if cf.refused == "none" {
		o.PasswordRefusedChars = RefuseNothing
	}
	if cf.passwordFile != "" {
		pw, err := readPasswordFile(cf.passwordFile)
		if err != nil {
			return err
		}
		o.AdminPassword = pw
	}
	return nil
}

// readPasswordFile returns the first line of a password file, without its
// newline (CLI.md).
func readPasswordFile(path string) (string, error) {
	data, err := readlimit.File(path, 4096)
	if err != nil {
		return "", fmt.Errorf("reading the password file: %w", err)
	}
	line, _, _ := strings.Cut(string(data), "\n")
	line = strings.TrimRight(line, "\r")
	if line == "" {
		return "", errors.New("reading the password file: its first line is empty")
	}
	return line, nil
}
