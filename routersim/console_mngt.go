package routersim

import (
	"fmt"
	"strconv"
	"strings"
)

// accessListCommand is `mngt accesslist list|add [IDX] ENTRY|remove
// IDX|flush`. An entry is an IP object index, g<n> for an IP group or a host
// name (drayos-web.md §4.1); without IDX it goes to the first free place.
func accessListCommand(m *Management, args []string) string {
	if len(args) == 0 {
		return replyInvalid
	}
	switch args[0] {
	case "list":
		var b strings.Builder
		for i, e := range m.AccessList {
			if e != "" {
				fmt.Fprintf(&b, "%d: %s\n", i+1, e)
			}
		}
		return b.String()
	case "flush":
		m.AccessList = [10]string{}
		return replyOK
	case "remove":
		if len(args) != 2 {
			return replyInvalid
		}
		i, ok := indexIn(args[1], len(m.AccessList))
		if !ok {
			return "% Invalid index (1-10)."
		}
		m.AccessList[i-1] = ""
		return replyOK
	case "add":
		return accessListAdd(m, args[1:])
	}
	return replyUnknown
}

// accessListAdd is `mngt accesslist add [IDX] ENTRY`.
func accessListAdd(m *Management, args []string) string {
	var idx int
	switch len(args) {
	case 1:
		for i, e := range m.AccessList {
			if e == "" {
				idx = i + 1
				break
			}
		}
		if idx == 0 {
			return "% Access list is full, add failed."
		}
	case 2:
		i, ok := indexIn(args[0], len(m.AccessList))
		if !ok {
			return "% Invalid index (1-10)."
		}
		idx, args = i, args[1:]
	default:
		return replyInvalid
	}
	v, err := normalizeAccessEntry(args[0])
	if err != nil || v == "" {
		return "% Invalid entry: want an IP object index (1-192), g<n> for an IP group, or a host name."
	}
	m.AccessList[idx-1] = v
	return replyOK
}

// bfpServices are the brute-force services in the order `mngt bfp -v` lists
// them.
func bfpServices(bf *BruteForce) []struct {
	name string
	on   *bool
} {
	return []struct {
		name string
		on   *bool
	}{{"HTTP", &bf.HTTP}, {"HTTPS", &bf.HTTPS}, {"Telnet", &bf.Telnet}, {"SSH", &bf.SSH}, {"FTP", &bf.FTP}, {"TR069", &bf.TR069}}
}

// bfpCommand is `mngt bfp [-e on|off] [-s SERVICES|none] [-l N] [-p SECONDS] [-v]`.
// Nothing changes unless every option is valid.
func bfpCommand(bf *BruteForce, args []string) string {
	next := *bf
	view := len(args) == 0
	for i := 0; i < len(args); i++ {
		if args[i] == "-v" {
			view = true
			continue
		}
		if i+1 >= len(args) {
			return replyInvalid
		}
		if msg := bfpOption(&next, args[i], args[i+1]); msg != "" {
			return msg
		}
		i++
	}
	changed := next != *bf
	*bf = next
	if !view {
		return replyOK
	}
	var names []string
	for _, s := range bfpServices(bf) {
		if *s.on {
			names = append(names, s.name)
		}
	}
	out := fmt.Sprintf("Enable: %s\nServices: %s\nLogin Failures: %d\nPenalty Period: %d",
		map[bool]string{true: "on", false: "off"}[bf.Enabled], strings.Join(names, " "), bf.Failures, bf.PenaltySeconds)
	if changed {
		out = replyOK + "\n" + out
	}
	return out
}

// bfpOption applies one option of `mngt bfp` with its value to bf and
// returns an error reply, or "".
func bfpOption(bf *BruteForce, opt, val string) string {
	switch opt {
	case "-e":
		on, ok := parseSwitch(val)
		if !ok {
			return replyInvalid
		}
		bf.Enabled = on
	case "-s":
		return bfpSetServices(bf, val)
	case "-l":
		n, err := strconv.Atoi(val)
		if err != nil || n < 1 || n > 255 {
			return "% Invalid login failures (1-255)."
		}
		bf.Failures = n
	case "-p":
		n, err := strconv.Atoi(val)
		if err != nil || n < 1 || n > 86400 {
			return "% Invalid penalty period (1-86400)."
		}
		bf.PenaltySeconds = n
	default:
		return replyInvalid
	}
	return ""
}

// bfpSetServices is `-s http,https,...|none`.
func bfpSetServices(bf *BruteForce, val string) string {
	svcs := bfpServices(bf)
	for _, s := range svcs {
		*s.on = false
	}
	if val == "none" {
		return ""
	}
	for _, name := range strings.Split(val, ",") {
		found := false
		for _, s := range svcs {
			if strings.EqualFold(s.name, name) {
				*s.on, found = true, true
			}
		}
		if !found {
			return "% Invalid service: " + name
		}
	}
	return ""
}

// portCommandLocked is `mngt httpport|httpsport|... [N]`. A change switches
// to user-defined ports and takes effect after a reboot [A].
func (r *Router) portCommandLocked(sub string, args []string) string {
	m := &r.running.Management
	eff := m.EffectivePorts()
	fields := map[string]struct {
		label string
		cur   int
		set   func(int)
	}{
		"httpport":   {"web server", eff.HTTP, func(n int) { m.Ports.HTTP = n }},
		"httpsport":  {"https server", eff.HTTPS, func(n int) { m.Ports.HTTPS = n }},
		"telnetport": {"telnet server", eff.Telnet, func(n int) { m.Ports.Telnet = n }},
		"ftpport":    {"ftp server", eff.FTP, func(n int) { m.Ports.FTP = n }},
		"sshport":    {"ssh server", eff.SSH, func(n int) { m.Ports.SSH = n }},
		"tr069port":  {"tr069 server", eff.TR069, func(n int) { m.Ports.TR069 = n }},
	}
	p := fields[sub]
	if len(args) == 0 {
		return fmt.Sprintf("%% Current %s port: %d", p.label, p.cur)
	}
	n, err := strconv.Atoi(args[0])
	if len(args) != 1 || err != nil || n < 1 || n > 65535 {
		return "% Invalid port (1-65535)."
	}
	if n == p.cur {
		return fmt.Sprintf("%% Set %s port to %d done.", p.label, n)
	}
	if !m.UserDefinedPorts {
		m.Ports = DefaultPorts()
	}
	p.set(n)
	m.UserDefinedPorts = true
	r.rebootPending = true
	return fmt.Sprintf("%% Set %s port to %d done.\n%% The new port takes effect after a reboot (sys commit first to keep it).", p.label, n)
}
