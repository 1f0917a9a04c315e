package routersim

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Console replies (drayos-web.md §5): successes look like "%% Set OK.",
// errors carry words such as Invalid, Unknown or "has been disabled".
const (
	replyOK          = "%% Set OK."
	replyUnknown     = "% Unknown command."
	replyInvalid     = "% Invalid parameter."
	replyRmtDisabled = "%% Remote configure function has been disabled."
	maxCommandLength = 512
)

// serveConsole is the web console: POST v2x00.cgi with fid=310 and cmd.
// Changes made here live in the running configuration until `sys commit`.
func (r *Router) serveConsole(c *call) {
	cmd := c.req.PostForm.Get("cmd")
	var out string
	reboot := false
	if len(cmd) > maxCommandLength {
		out = "% Invalid command: too long."
	} else {
		r.mu.Lock()
		out, reboot = r.runCommandLocked(cmd)
		r.mu.Unlock()
	}
	c.w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	c.w.Header().Set("Cache-Control", "no-store")
	c.w.WriteHeader(http.StatusOK)
	if out != "" && !strings.HasSuffix(out, "\n") {
		out += "\n"
	}
	c.w.Write([]byte(out))
	if reboot {
		if fl, ok := c.w.(http.Flusher); ok {
			fl.Flush()
		}
		r.reboot(false)
	}
}

// runCommandLocked runs one console command and returns its output, and
// whether the router must reboot once the output is sent.
func (r *Router) runCommandLocked(line string) (string, bool) {
	f := strings.Fields(strings.ToLower(line))
	if len(f) == 0 {
		return "", false
	}
	switch {
	case len(f) == 2 && f[0] == "sys" && f[1] == "version":
		return r.sysVersion(), false
	case len(f) == 3 && f[0] == "sys" && f[1] == "time" && f[2] == "show":
		t := r.running.Time
		return fmt.Sprintf("Time Server: [%s]\nTime Zone Index: [%d]\nCurrent Time: [%s]",
			t.Server, t.ZoneIndex, r.clockLocked().UTC().Format("2006-01-02 15:04:05")), false
	case len(f) == 2 && f[0] == "sys" && f[1] == "commit":
		r.committed = r.running
		if err := saveState(r.stateDir, r.committed); err != nil {
			return "% Saving the configuration failed.", false
		}
		return "%% Configuration saved to flash.", false
	case len(f) == 2 && f[0] == "sys" && f[1] == "reboot":
		return "% Router is restarting...", true
	case len(f) >= 2 && f[0] == "mngt":
		return r.mngtLocked(f[1], f[2:]), false
	}
	return replyUnknown, false
}

// sysVersion is `sys version` in the documented three-line form.
func (r *Router) sysVersion() string {
	short := strings.ReplaceAll(r.opts.Firmware, ".", "")
	if len(short) > 3 {
		short = short[:3]
	}
	return fmt.Sprintf("Router Model: %s    Version: %s English\nFirmware Build Date/Time: Jan  6 2026 10:00:00\nRevision: 1000_0000000000 drayos2015_%s_%s_0000000000",
		r.opts.Model, r.opts.Firmware, r.opts.Model, short)
}

// mngtLocked runs `mngt SUB ARGS...`.
func (r *Router) mngtLocked(sub string, args []string) string {
	m := &r.running.Management
	switch sub {
	case "rmtcfg":
		return r.rmtcfgLocked(args)
	case "echoicmp":
		if len(args) == 0 {
			return "Echo ICMP: " + map[bool]string{true: "enable", false: "disable"}[m.Ping]
		}
		on, ok := parseSwitch(args[0])
		if !ok || len(args) != 1 {
			return replyInvalid
		}
		m.Ping = on // `mngt echoicmp enable` means the router answers pings
		return replyOK
	case "accesslist":
		return accessListCommand(m, args)
	case "bfp":
		return bfpCommand(&m.BruteForce, args)
	case "httpport", "httpsport", "telnetport", "ftpport", "sshport", "tr069port":
		return r.portCommandLocked(sub, args)
	}
	return replyUnknown
}

// parseSwitch reads on/off in the forms the console takes.
func parseSwitch(s string) (on, ok bool) {
	switch s {
	case "on", "enable", "1", "yes":
		return true, true
	case "off", "disable", "0", "no":
		return false, true
	}
	return false, false
}

// rmtcfgLocked is `mngt rmtcfg status|enable|disable|SERVICE on|off`.
func (r *Router) rmtcfgLocked(args []string) string {
	m := &r.running.Management
	if len(args) == 0 {
		return replyInvalid
	}
	onOff := map[bool]string{true: "on", false: "off"}
	switch args[0] {
	case "status":
		state := "Disabled"
		if m.Internet {
			state = "Enabled"
		}
		return fmt.Sprintf("Remote Management: %s\nFTP: %s\nHTTP: %s\nEnforce HTTPS: %s\nHTTPS: %s\nTelnet: %s\nTR-069: %s\nSSH: %s\nSNMP: %s",
			state, onOff[m.FTP], onOff[m.HTTP], onOff[m.EnforceHTTPS], onOff[m.HTTPS],
			onOff[m.Telnet], onOff[m.TR069], onOff[m.SSH], onOff[m.SNMP])
	case "enable", "disable":
		if len(args) != 1 {
			return replyInvalid
		}
		m.Internet = args[0] == "enable"
		return replyOK
	}
	services := map[string]*bool{
		"ftp": &m.FTP, "http": &m.HTTP, "https": &m.HTTPS, "telnet": &m.Telnet,
		"tr069": &m.TR069, "ssh": &m.SSH, "snmp": &m.SNMP, "enforce_https": &m.EnforceHTTPS,
	}
	field, known := services[args[0]]
	if !known {
		return replyUnknown
	}
	if len(args) != 2 {
		return replyInvalid
	}
	on, ok := parseSwitch(args[1])
	if !ok {
		return replyInvalid
	}
	if !m.Internet {
		return replyRmtDisabled
	}
	*field = on
	return replyOK
}

// accessListCommand is `mngt accesslist list|add [IDX] ENTRY|remove IDX|flush`.
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
		i, err := strconv.Atoi(args[1])
		if err != nil || i < 1 || i > len(m.AccessList) {
			return "% Invalid index (1-10)."
		}
		m.AccessList[i-1] = ""
		return replyOK
	case "add":
		idx, entry := 0, ""
		switch len(args) {
		case 2:
			entry = args[1]
			for i, e := range m.AccessList {
				if e == "" {
					idx = i + 1
					break
				}
			}
			if idx == 0 {
				return "% Access list is full, add failed."
			}
		case 3:
			i, err := strconv.Atoi(args[1])
			if err != nil || i < 1 || i > len(m.AccessList) {
				return "% Invalid index (1-10)."
			}
			idx, entry = i, args[2]
		default:
			return replyInvalid
		}
		v, err := normalizeAccessEntry(entry)
		if err != nil || v == "" {
			return "% Invalid IP address or CIDR."
		}
		m.AccessList[idx-1] = v
		return replyOK
	}
	return replyUnknown
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
		opt := args[i]
		if opt == "-v" {
			view = true
			continue
		}
		if i+1 >= len(args) {
			return replyInvalid
		}
		val := args[i+1]
		i++
		switch opt {
		case "-e":
			on, ok := parseSwitch(val)
			if !ok {
				return replyInvalid
			}
			next.Enabled = on
		case "-s":
			svcs := bfpServices(&next)
			for _, s := range svcs {
				*s.on = false
			}
			if val == "none" {
				break
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
		case "-l":
			n, err := strconv.Atoi(val)
			if err != nil || n < 1 || n > 255 {
				return "% Invalid login failures (1-255)."
			}
			next.Failures = n
		case "-p":
			n, err := strconv.Atoi(val)
			if err != nil || n < 1 || n > 86400 {
				return "% Invalid penalty period (1-86400)."
			}
			next.PenaltySeconds = n
		default:
			return replyInvalid
		}
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
