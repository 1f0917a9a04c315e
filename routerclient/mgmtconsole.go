package routerclient

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// The web-console path (drayos-web.md §5): mngt commands, sys commit, then
// the same commands' status output read back. The console shows neither
// the ports nor the TLS versions; those stay unknown (0, nil) here.

// readManagementConsole reads the settings with four status commands.
func (s *Session) readManagementConsole(ctx context.Context) (Management, error) {
	p := s.c.profile
	var m Management
	run := func(name string) (string, error) {
		cmd, err := p.command(name)
		if err != nil {
			return "", err
		}
		// The output is judged by parsing it: error words would match
		// labels such as "Login Failures".
		return s.console(ctx, cmd)
	}
	out, err := run("rmtcfg_status")
	if err != nil {
		return m, err
	}
	if err := parseRmtcfg(out, p, &m); err != nil {
		return m, err
	}
	if out, err = run("echoicmp_show"); err != nil {
		return m, err
	}
	if m.Ping, err = parseEchoICMP(out, p); err != nil {
		return m, err
	}
	if out, err = run("accesslist_list"); err != nil {
		return m, err
	}
	if m.AccessList, err = parseAccessList(out); err != nil {
		return m, err
	}
	if out, err = run("bfp_show"); err != nil {
		return m, err
	}
	if err := parseBFP(out, p, &m); err != nil {
		return m, err
	}
	return m, nil
}

// consoleCapable reports whether the console can make a change and read it
// back: it cannot show ports or TLS versions, and it refuses per-service
// switches while management from the Internet is off ("Remote configure
// function has been disabled", drayos-web.md §5); those go through the form.
func consoleCapable(key string, target Management) bool {
	if contains(consoleServices, key) && !target.Internet {
		return false
	}
	return !isTLSKey(key) && !strings.HasSuffix(key, "_port")
}

// consoleCommands turns changes into console commands in a safe order:
// enabling management from the Internet first (per-service switches fail
// while it is off), disabling it last.
func consoleCommands(p *Profile, current, target Management, changes []Change) ([]string, error) {
	var cmds []string
	add := func(name string, args ...string) error {
		c, err := p.command(name, args...)
		if err != nil {
			return err
		}
		cmds = append(cmds, c)
		return nil
	}
	var first, last []string
	bfpDone := false
	for _, ch := range changes {
		var err error
		switch k := ch.Key; {
		case k == "internet" && target.Internet:
			c, e := p.command("rmtcfg_enable")
			err = e
			first = append(first, c)
		case k == "internet":
			c, e := p.command("rmtcfg_disable")
			err = e
			last = append(last, c)
		case contains(consoleServices, k):
			err = add("rmtcfg_service", "{service}", p.Console.ServiceNames[k], "{state}", onOff(*target.boolField(k)))
		case k == "ping":
			err = add("echoicmp_set", "{state}", map[bool]string{true: "enable", false: "disable"}[target.Ping])
		case k == "access_list":
			for i := len(current.AccessList); i >= 1; i-- {
				if err = add("accesslist_remove", "{index}", strconv.Itoa(i)); err != nil {
					break
				}
			}
			for i, e := range target.AccessList {
				if err = add("accesslist_add", "{index}", strconv.Itoa(i+1), "{entry}", e); err != nil {
					break
				}
			}
		case strings.HasPrefix(k, "brute_force"):
			if bfpDone {
				continue
			}
			bfpDone = true
			services := strings.Join(target.BruteForceServices, ",")
			if services == "" {
				services = "none"
			}
			err = add("bfp_set", "{state}", onOff(target.BruteForce), "{services}", services,
				"{failures}", strconv.Itoa(target.BruteForceFailures),
				"{penalty}", strconv.Itoa(target.BruteForcePenalty))
		default:
			err = fmt.Errorf("%w: the console cannot change %s", ErrConsole, k)
		}
		if err != nil {
			return nil, err
		}
	}
	return append(append(first, cmds...), last...), nil
}

// applyConsole sends the commands, commits, and reads back. A reply that
// reports an error does not stop the others: the read-back decides.
func (s *Session) applyConsole(ctx context.Context, current, target Management, changes []Change) (after Management, reboot, wrote bool, err error) {
	p := s.c.profile
	cmds, err := consoleCommands(p, current, target, changes)
	if err != nil {
		return Management{}, false, false, err
	}
	commit, err := p.command("commit")
	if err != nil {
		return Management{}, false, false, err
	}
	for _, cmd := range append(cmds, commit) {
		out, err := s.console(ctx, cmd)
		if err != nil {
			return Management{}, false, wrote, fmt.Errorf("console %q: %w", commandVerb(cmd), err)
		}
		wrote = true
		reboot = reboot || strings.Contains(strings.ToLower(out), "reboot")
	}
	err = s.read(ctx, func() error {
		var err error
		after, err = s.readManagementConsole(ctx)
		return err
	})
	return after, reboot, true, err
}
