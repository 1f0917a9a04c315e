package routerclient

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// The web-console path (drayos-web.md §5): mngt commands, sys commit, then
// the same commands' status output read back. The console shows neither
// the ports, the TLS versions nor the IPv6 settings (no command for them
// is known); when the profile also has the form path, those are read from
// the Management page, else they stay unknown (0, nil).

// readManagementConsole reads the settings with four status commands and
// the IP objects the access list names.
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
	return m, s.resolveAccessList(ctx, &m, pathConsole)
}

// withFormOnlySettings adds what only the Management page shows (ports,
// TLS versions, IPv6) to settings read through the console, when the
// profile has the form path. A page that cannot be read leaves them
// unknown.
func (s *Session) withFormOnlySettings(ctx context.Context, m Management) (Management, error) {
	if !contains(s.c.profile.SettingsPaths, pathForm) {
		return m, nil
	}
	refs := s.refs // the console's reading of the objects stands
	_, full, err := s.readManagementForm(ctx)
	s.refs = refs
	switch {
	case err == nil:
		return mergeKnown(full, m), nil
	case pathUnavailable(err):
		return m, nil
	}
	return m, err
}

// consoleCapable reports whether the console can make a change and read it
// back: it cannot show ports, TLS versions or IPv6 settings, and it
// refuses per-service switches while management from the Internet is off
// ("Remote configure function has been disabled", drayos-web.md §5); those
// go through the form.
func consoleCapable(key string, target Management) bool {
	if contains(consoleServices, key) && !target.Internet {
		return false
	}
	return !isTLSKey(key) && !strings.HasSuffix(key, "_port") && !strings.HasPrefix(key, "ipv6_")
}

// consoleBuilder turns changes into console commands in a safe order:
// enabling management from the Internet first (per-service switches fail
// while it is off), disabling it last.
type consoleBuilder struct {
	p                   *Profile
	current, target     Management
	refs                map[string]int
	first, middle, last []string
	bruteForceDone      bool
}

func (b *consoleBuilder) add(dst *[]string, name string, args ...string) error {
	c, err := b.p.command(name, args...)
	if err != nil {
		return err
	}
	*dst = append(*dst, c)
	return nil
}

func (b *consoleBuilder) change(ch Change) error {
	t := b.target
	switch k := ch.Key; {
	case k == "internet" && t.Internet:
		return b.add(&b.first, "rmtcfg_enable")
	case k == "internet":
		return b.add(&b.last, "rmtcfg_disable")
	case contains(consoleServices, k):
		return b.add(&b.middle, "rmtcfg_service", "{service}", b.p.Console.ServiceNames[k], "{state}", onOff(*t.boolField(k)))
	case k == "ping":
		return b.add(&b.middle, "echoicmp_set", "{state}", map[bool]string{true: "enable", false: "disable"}[t.Ping])
	case k == "access_list":
		return b.accessList()
	case strings.HasPrefix(k, "brute_force"):
		return b.bruteForce()
	}
	return fmt.Errorf("%w: the console cannot change %s", ErrConsole, ch.Key)
}

// accessList removes the current entries and adds the target's: object
// indexes for networks, the router's text for kept entries.
func (b *consoleBuilder) accessList() error {
	for i := len(b.current.AccessList); i >= 1; i-- {
		if err := b.add(&b.middle, "accesslist_remove", "{index}", strconv.Itoa(i)); err != nil {
			return err
		}
	}
	for i, e := range b.target.AccessList {
		v := keptToRouter(e)
		if !isKeptEntry(e) {
			if b.refs[e] == 0 {
				return fmt.Errorf("%w: no IP object holds %s", ErrBadSetting, e)
			}
			v = strconv.Itoa(b.refs[e])
		}
		if err := b.add(&b.middle, "accesslist_add", "{index}", strconv.Itoa(i+1), "{entry}", v); err != nil {
			return err
		}
	}
	return nil
}

// bruteForce sets every brute-force setting with one command.
func (b *consoleBuilder) bruteForce() error {
	if b.bruteForceDone {
		return nil
	}
	b.bruteForceDone = true
	t := b.target
	services := strings.Join(t.BruteForceServices, ",")
	if services == "" {
		services = "none"
	}
	return b.add(&b.middle, "bfp_set", "{state}", onOff(t.BruteForce), "{services}", services,
		"{failures}", strconv.Itoa(t.BruteForceFailures), "{penalty}", strconv.Itoa(t.BruteForcePenalty))
}

// consoleCommands returns the commands for changes, in a safe order.
func consoleCommands(p *Profile, current, target Management, changes []Change, refs map[string]int) ([]string, error) {
	b := &consoleBuilder{p: p, current: current, target: target, refs: refs}
	for _, ch := range changes {
		if err := b.change(ch); err != nil {
			return nil, err
		}
	}
	return append(append(b.first, b.middle...), b.last...), nil
}

// applyConsole writes the IP objects the access list needs, sends the
// commands, commits, and reads back. A reply that reports an error does
// not stop the others: the read-back decides.
func (s *Session) applyConsole(ctx context.Context, current, target Management, changes []Change) (after Management, reboot, wrote bool, err error) {
	p := s.c.profile
	var refs map[string]int
	if containsChange(changes, "access_list") {
		if refs, wrote, err = s.objectRefs(ctx, pathConsole, target); err != nil {
			return Management{}, false, wrote, err
		}
	}
	cmds, err := consoleCommands(p, current, target, changes, refs)
	if err != nil {
		return Management{}, false, wrote, err
	}
	commit, err := p.command("commit")
	if err != nil {
		return Management{}, false, wrote, err
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
