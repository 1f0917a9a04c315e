package routerclient

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode"
)

// console sends one command to the web console (drayos-web.md §5) and
// returns its text output.
func (s *Session) console(ctx context.Context, cmd string) (string, error) {
	p := s.c.profile
	form := encodePairs([][2]string{{"fid", strconv.Itoa(p.Console.FID)}, {p.Console.CommandField, cmd}})
	a, err := s.exchange(ctx, request{method: http.MethodPost, path: p.NavPath, form: form})
	if err != nil {
		return "", err
	}
	if a.status != http.StatusOK {
		return "", fmt.Errorf("%w: the console answered HTTP %d to %q", ErrConsole, a.status, commandVerb(cmd))
	}
	out := a.body
	if strings.Contains(strings.ToLower(out), "<html") || strings.Contains(strings.ToLower(out), "<pre") {
		out = htmlText(out)
	}
	return out, nil
}

// Console runs one web-console command and returns its output. Commands
// that drayos-web.md §5 forbids without an explicit user action (factory
// reset, reboot, enabling management from the Internet, printing stored
// passwords) are refused here; use the dedicated methods.
func (s *Session) Console(ctx context.Context, cmd string) (string, error) {
	if reason := forbiddenCommand(cmd); reason != "" {
		return "", &InterlockError{Keys: []string{commandVerb(cmd)}, Reason: reason}
	}
	return s.console(ctx, cmd)
}

func forbiddenCommand(cmd string) string {
	c := strings.Join(strings.Fields(strings.ToLower(cmd)), " ")
	switch {
	case strings.HasPrefix(c, "sys cfg default"):
		return "a factory reset is never sent"
	case strings.HasPrefix(c, "sys reboot"):
		return "reboot through Reboot, after the person agrees"
	case strings.HasPrefix(c, "mngt rmtcfg enable"):
		return "enable management from the Internet through ApplyManagement, which checks the TOTP interlock"
	case strings.HasPrefix(c, "sys adminuser view"):
		return "this command prints a stored password"
	}
	return ""
}

// commandVerb keeps the first two words of a command for messages: the
// rest may be an address or a value the person typed.
func commandVerb(cmd string) string {
	f := strings.Fields(cmd)
	if len(f) > 2 {
		f = f[:2]
	}
	return strings.Join(f, " ")
}

// labelWords splits a label into lower-case words on spaces, hyphens and
// underscores.
func labelWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return unicode.IsSpace(r) || r == '-' || r == '_' || r == '.'
	})
}

// labelMatches reports whether a label's leading words, joined, spell the
// synonym joined: "Enforce HTTPS Access" matches "Enforce HTTPS", "TR069"
// matches "TR-069", "HTTPS" does not match "HTTP".
func labelMatches(label, synonym string) bool {
	want := strings.Join(labelWords(synonym), "")
	if want == "" {
		return false
	}
	got := ""
	for _, w := range labelWords(label) {
		got += w
		if got == want {
			return true
		}
		if len(got) >= len(want) {
			return false
		}
	}
	return false
}

// labelValues parses `Label: value` lines into profile keys. The first
// line for a key wins.
func labelValues(out string, labels map[string][]string) map[string]string {
	vals := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		label, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		label = strings.TrimLeft(strings.TrimSpace(label), "%# ")
		best, bestLen := "", 0
		for key, syns := range labels {
			for _, syn := range syns {
				if labelMatches(label, syn) && len(syn) > bestLen {
					best, bestLen = key, len(syn)
				}
			}
		}
		if best != "" {
			if _, seen := vals[best]; !seen {
				vals[best] = strings.TrimSpace(value)
			}
		}
	}
	return vals
}

// parseBoolWord reads the switch words consoles and forms use: on/off,
// enable(d)/disable(d), yes/no, 1/0, V/X, true/false. Only the first word
// counts ("Enabled (default)").
func parseBoolWord(s string) (bool, error) {
	f := strings.Fields(strings.ToLower(strings.Trim(strings.TrimSpace(s), "[]().")))
	if len(f) == 0 {
		return false, fmt.Errorf("%w: empty switch value", ErrUnexpectedResponse)
	}
	switch strings.Trim(f[0], "[]().,;") {
	case "on", "enable", "enabled", "yes", "1", "v", "true", "checked", "y":
		return true, nil
	case "off", "disable", "disabled", "no", "0", "x", "false", "unchecked", "n":
		return false, nil
	}
	return false, fmt.Errorf("%w: %q is not a switch value", ErrUnexpectedResponse, truncate(f[0], 20))
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}

// consoleServices are the Management keys `mngt rmtcfg status` reports.
var consoleServices = []string{"ftp", "http", "https", "enforce_https", "telnet", "tr069", "ssh", "snmp"}

// parseRmtcfg reads `mngt rmtcfg status` into m.
func parseRmtcfg(out string, p *Profile, m *Management) error {
	vals := labelValues(out, p.Console.Labels)
	keys := append([]string{"internet"}, consoleServices...)
	for _, k := range keys {
		v, ok := vals[k]
		if !ok {
			return fmt.Errorf("%w: remote management status has no %q line", ErrUnexpectedResponse, k)
		}
		b, err := parseBoolWord(v)
		if err != nil {
			return fmt.Errorf("remote management status, %s: %w", k, err)
		}
		*m.boolField(k) = b
	}
	return nil
}

// parseEchoICMP reads `mngt echoicmp`: enable means the router answers pings.
func parseEchoICMP(out string, p *Profile) (bool, error) {
	v, ok := labelValues(out, p.Console.Labels)["echo_icmp"]
	if !ok {
		return false, fmt.Errorf("%w: no Echo ICMP line", ErrUnexpectedResponse)
	}
	return parseBoolWord(v)
}

// parseAccessList reads `mngt accesslist list`: one `<index>: <entry>` line
// per entry, in index order.
func parseAccessList(out string) ([]string, error) {
	type entry struct {
		idx   int
		value string
	}
	var entries []entry
	for _, line := range strings.Split(out, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		idx, err := strconv.Atoi(strings.TrimSpace(strings.Trim(strings.TrimSpace(k), "[]#")))
		if err != nil || idx < 1 || idx > 1000 {
			continue
		}
		if v = strings.TrimSpace(v); v != "" && v != "-" {
			entries = append(entries, entry{idx, v})
		}
	}
	for i := 1; i < len(entries); i++ { // insertion sort: at most a few entries
		for j := i; j > 0 && entries[j].idx < entries[j-1].idx; j-- {
			entries[j], entries[j-1] = entries[j-1], entries[j]
		}
	}
	list := []string{}
	for _, e := range entries {
		list = append(list, normalizeEntry(e.value))
	}
	return list, nil
}

// parseBFP reads `mngt bfp -v` into m.
func parseBFP(out string, p *Profile, m *Management) error {
	vals := labelValues(out, p.Console.Labels)
	en, ok := vals["bfp_enable"]
	if !ok {
		return fmt.Errorf("%w: brute force status has no Enable line", ErrUnexpectedResponse)
	}
	var err error
	if m.BruteForce, err = parseBoolWord(en); err != nil {
		return fmt.Errorf("brute force enable: %w", err)
	}
	m.BruteForceServices = []string{}
	for _, w := range strings.FieldsFunc(vals["bfp_services"], func(r rune) bool { return r == ' ' || r == ',' || r == '/' }) {
		if svc := canonicalService(w); svc != "" && !contains(m.BruteForceServices, svc) {
			m.BruteForceServices = append(m.BruteForceServices, svc)
		}
	}
	sortServices(m.BruteForceServices)
	if m.BruteForceFailures, err = leadingInt(vals["bfp_failures"]); err != nil {
		return fmt.Errorf("brute force login failures: %w", err)
	}
	if m.BruteForcePenalty, err = leadingInt(vals["bfp_penalty"]); err != nil {
		return fmt.Errorf("brute force penalty: %w", err)
	}
	return nil
}

func leadingInt(s string) (int, error) {
	s = strings.TrimSpace(strings.Trim(strings.TrimSpace(s), "[]"))
	end := 0
	for end < len(s) && end < 9 && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	if end == 0 {
		return 0, fmt.Errorf("%w: %q is not a number", ErrUnexpectedResponse, truncate(s, 20))
	}
	return strconv.Atoi(s[:end])
}

// parseSysVersion reads the model and firmware from `sys version`.
func parseSysVersion(out string, p *Profile) (model, version string, err error) {
	if m := p.modelRE.FindStringSubmatch(out); len(m) > 1 {
		model = m[1]
	}
	if m := p.versionRE.FindStringSubmatch(out); len(m) > 1 {
		version = m[1]
	}
	if model == "" || version == "" {
		return "", "", fmt.Errorf("%w: sys version shows no model or version", ErrUnexpectedResponse)
	}
	return model, version, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
