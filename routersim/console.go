package routersim

import (
	"fmt"
	"net/http"
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
		out, reboot = r.runCommandLocked(cmd, r.session)
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

// runCommandLocked runs one console command for session s and returns its
// output, and whether the router must reboot once the output is sent.
// Keywords are case-insensitive; values (names, passwords) keep their case.
func (r *Router) runCommandLocked(line string, s *session) (string, bool) {
	f, at := splitFields(line)
	if len(f) == 0 {
		return "", false
	}
	kw := make([]string, len(f))
	for i, w := range f {
		kw[i] = strings.ToLower(w)
	}
	switch {
	case kw[0] == "sys" && len(f) >= 2:
		return r.sysCommandLocked(kw[1:], f[2:], s)
	case kw[0] == "mngt" && len(f) >= 2:
		return r.mngtLocked(kw[1], kw[2:], f[2:]), false
	case kw[0] == "object":
		return objectCommand(&r.running, line, f, at), false
	}
	return replyUnknown, false
}

// sysCommandLocked runs `sys ...`; kw are the lower-case words after "sys"
// and args the original words after the subcommand.
func (r *Router) sysCommandLocked(kw, args []string, s *session) (string, bool) {
	switch {
	case len(kw) == 1 && kw[0] == "version":
		return r.sysVersion(), false
	case len(kw) == 2 && kw[0] == "time" && kw[1] == "show":
		t := r.running.Time
		return fmt.Sprintf("Time Server: [%s]\nTime Zone Index: [%d]\nCurrent Time: [%s]",
			t.Server, t.ZoneIndex, r.clockLocked().UTC().Format("2006-01-02 15:04:05")), false
	case len(kw) == 1 && kw[0] == "commit":
		r.committed = r.running
		if err := saveState(r.stateDir, r.committed); err != nil {
			return "% Saving the configuration failed.", false
		}
		return "%% Configuration saved to flash.", false
	case len(kw) == 1 && kw[0] == "reboot":
		return "% Router is restarting...", true
	case kw[0] == "passwd":
		return r.sysPasswdLocked(args, s), false
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

// mngtLocked runs `mngt SUB ARGS...`; args are in lower case, raw as typed
// (access-list host names keep their case).
func (r *Router) mngtLocked(sub string, args, raw []string) string {
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
		if len(args) > 0 {
			raw = append([]string{args[0]}, raw[1:]...)
		}
		return accessListCommand(m, raw)
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
