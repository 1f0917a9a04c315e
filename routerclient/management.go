package routerclient

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// Management is the remote-management settings of a router. Its JSON keys
// are the keys of `gatekey router set` and `gatekey router mgmt --json`
// (CLI.md). A port of 0 or a nil TLS means the path that read the settings
// (the console) could not see them.
type Management struct {
	Internet     bool     `json:"internet"`
	HTTP         bool     `json:"http"`
	HTTPS        bool     `json:"https"`
	EnforceHTTPS bool     `json:"enforce_https"`
	Telnet       bool     `json:"telnet"`
	SSH          bool     `json:"ssh"`
	FTP          bool     `json:"ftp"`
	TR069        bool     `json:"tr069"`
	SNMP         bool     `json:"snmp"`
	Ping         bool     `json:"ping"` // true: the router answers pings from the Internet
	AccessList   []string `json:"access_list"`
	HTTPPort     int      `json:"http_port,omitempty"`
	HTTPSPort    int      `json:"https_port,omitempty"`
	TelnetPort   int      `json:"telnet_port,omitempty"`
	SSHPort      int      `json:"ssh_port,omitempty"`
	FTPPort      int      `json:"ftp_port,omitempty"`
	BruteForce   bool     `json:"brute_force"`
	// BruteForceServices lists the services brute-force protection covers,
	// among http, https, telnet, ssh, ftp and tr069.
	BruteForceServices []string     `json:"brute_force_services"`
	BruteForceFailures int          `json:"brute_force_failures"`
	BruteForcePenalty  int          `json:"brute_force_penalty"` // seconds
	TLS                *TLSVersions `json:"tls,omitempty"`
}

// TLSVersions are the protocol versions the router's HTTPS server accepts.
type TLSVersions struct {
	TLS12 bool `json:"tls1_2"`
	TLS11 bool `json:"tls1_1"`
	TLS10 bool `json:"tls1_0"`
	SSL3  bool `json:"ssl3"`
}

// Change is one setting that differs, written as the CLI writes values.
type Change struct {
	Key  string `json:"key"`
	From string `json:"from"`
	To   string `json:"to"`
}

func (c Change) String() string { return c.Key + ": " + c.From + " -> " + c.To }

// SettingKeys lists every key ParseSetting accepts, in the order changes
// are reported.
var SettingKeys = []string{
	"internet", "https", "http", "enforce_https", "telnet", "ssh", "ftp", "tr069", "snmp", "ping",
	"access_list", "http_port", "https_port", "telnet_port", "ssh_port", "ftp_port",
	"brute_force", "brute_force_services", "brute_force_failures", "brute_force_penalty",
	"tls1_2", "tls1_1", "tls1_0", "ssl3",
}

// bruteForceServices are the services the Management page protects, in
// page order.
var bruteForceServices = []string{"http", "https", "telnet", "ssh", "ftp", "tr069"}

func (m *Management) boolField(key string) *bool {
	switch key {
	case "internet":
		return &m.Internet
	case "http":
		return &m.HTTP
	case "https":
		return &m.HTTPS
	case "enforce_https":
		return &m.EnforceHTTPS
	case "telnet":
		return &m.Telnet
	case "ssh":
		return &m.SSH
	case "ftp":
		return &m.FTP
	case "tr069":
		return &m.TR069
	case "snmp":
		return &m.SNMP
	case "ping":
		return &m.Ping
	case "brute_force":
		return &m.BruteForce
	}
	if m.TLS != nil {
		switch key {
		case "tls1_2":
			return &m.TLS.TLS12
		case "tls1_1":
			return &m.TLS.TLS11
		case "tls1_0":
			return &m.TLS.TLS10
		case "ssl3":
			return &m.TLS.SSL3
		}
	}
	return nil
}

func (m *Management) intField(key string) *int {
	switch key {
	case "http_port":
		return &m.HTTPPort
	case "https_port":
		return &m.HTTPSPort
	case "telnet_port":
		return &m.TelnetPort
	case "ssh_port":
		return &m.SSHPort
	case "ftp_port":
		return &m.FTPPort
	case "brute_force_failures":
		return &m.BruteForceFailures
	case "brute_force_penalty":
		return &m.BruteForcePenalty
	}
	return nil
}

func isTLSKey(key string) bool { return strings.HasPrefix(key, "tls") || key == "ssl3" }

// Value returns a setting as the CLI writes it (on/off, numbers, a
// comma-separated list), and false when the setting is unknown.
func (m *Management) Value(key string) (string, bool) {
	if isTLSKey(key) && m.TLS == nil {
		return "", false
	}
	if b := m.boolField(key); b != nil {
		return onOff(*b), true
	}
	if n := m.intField(key); n != nil {
		if *n == 0 && strings.HasSuffix(key, "_port") {
			return "", false
		}
		return strconv.Itoa(*n), true
	}
	switch key {
	case "access_list":
		return strings.Join(m.AccessList, ","), true
	case "brute_force_services":
		return strings.Join(m.BruteForceServices, ","), true
	}
	return "", false
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// ParseSetting changes one setting from a CLI KEY and VALUE: booleans are
// on/off (yes/no, true/false and 1/0 are accepted), ports 1-65535,
// access_list and brute_force_services comma-separated.
func (m *Management) ParseSetting(key, value string) error {
	key = strings.ToLower(strings.TrimSpace(key))
	value = strings.TrimSpace(value)
	if isTLSKey(key) && m.TLS == nil {
		m.TLS = &TLSVersions{}
	}
	if b := m.boolField(key); b != nil {
		v, err := parseOnOff(value)
		if err != nil {
			return fmt.Errorf("%w: %s=%s: %w", ErrBadSetting, key, truncate(value, 30), err)
		}
		*b = v
		return nil
	}
	if n := m.intField(key); n != nil {
		v, err := strconv.Atoi(value)
		limit := 65535
		if key == "brute_force_failures" {
			limit = 255
		} else if key == "brute_force_penalty" {
			limit = 86400 * 7
		}
		if err != nil || v < 1 || v > limit {
			return fmt.Errorf("%w: %s=%s: want a whole number from 1 to %d", ErrBadSetting, key, truncate(value, 30), limit)
		}
		*n = v
		return nil
	}
	switch key {
	case "access_list":
		list, err := ParseAccessList(value)
		if err != nil {
			return fmt.Errorf("%w: access_list: %w", ErrBadSetting, err)
		}
		m.AccessList = list
		return nil
	case "brute_force_services":
		list := []string{}
		for _, w := range strings.Split(value, ",") {
			if w = strings.TrimSpace(w); w == "" {
				continue
			}
			svc := canonicalService(w)
			if svc == "" {
				return fmt.Errorf("%w: brute_force_services: %q is not one of %s", ErrBadSetting, truncate(w, 20), strings.Join(bruteForceServices, ", "))
			}
			if !contains(list, svc) {
				list = append(list, svc)
			}
		}
		sortServices(list)
		m.BruteForceServices = list
		return nil
	}
	return fmt.Errorf("%w: unknown key %q (known: %s)", ErrBadSetting, truncate(key, 30), strings.Join(SettingKeys, ", "))
}

func parseOnOff(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "on", "yes", "true", "1", "enable", "enabled":
		return true, nil
	case "off", "no", "false", "0", "disable", "disabled":
		return false, nil
	}
	return false, fmt.Errorf("want on or off")
}

// ApplySettings returns m with every "KEY=VALUE" of args applied, so that
// `gatekey router set NAME KEY=VALUE...` is a loop over ParseSetting.
func ApplySettings(m Management, args []string) (Management, error) {
	out := m.Clone()
	for _, a := range args {
		k, v, ok := strings.Cut(a, "=")
		if !ok {
			return m, fmt.Errorf("%w: %q is not KEY=VALUE", ErrBadSetting, truncate(a, 30))
		}
		if err := out.ParseSetting(k, v); err != nil {
			return m, err
		}
	}
	return out, nil
}

// ParseAccessList reads comma-separated IPv4 addresses or CIDRs; a /32 is
// written as a bare address.
func ParseAccessList(s string) ([]string, error) {
	list := []string{}
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		e, err := canonicalEntry(part)
		if err != nil {
			return nil, err
		}
		list = append(list, e)
	}
	return list, nil
}

func canonicalEntry(s string) (string, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil || !p.Addr().Is4() {
			return "", fmt.Errorf("%q is not an IPv4 address or CIDR", truncate(s, 40))
		}
		p = p.Masked()
		if p.Bits() == 32 {
			return p.Addr().String(), nil
		}
		return p.String(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is4() {
		return "", fmt.Errorf("%q is not an IPv4 address or CIDR", truncate(s, 40))
	}
	return a.String(), nil
}

// normalizeEntry writes an access-list entry read from the router the way
// ParseAccessList does, keeping entries it does not understand (IP object
// names on real routers) as they are.
func normalizeEntry(s string) string {
	if e, err := canonicalEntry(strings.TrimSpace(s)); err == nil {
		return e
	}
	return strings.TrimSpace(s)
}

func canonicalService(w string) string {
	w = strings.ToLower(strings.NewReplacer("-", "", "_", "", " ", "").Replace(strings.TrimSpace(w)))
	if contains(bruteForceServices, w) {
		return w
	}
	return ""
}

func sortServices(list []string) {
	slices.SortFunc(list, func(a, b string) int {
		return slices.Index(bruteForceServices, a) - slices.Index(bruteForceServices, b)
	})
}

// Clone returns a deep copy.
func (m Management) Clone() Management {
	m.AccessList = slices.Clone(m.AccessList)
	m.BruteForceServices = slices.Clone(m.BruteForceServices)
	if m.TLS != nil {
		t := *m.TLS
		m.TLS = &t
	}
	return m
}

// Diff lists the settings that differ from a to b, in SettingKeys order,
// skipping settings unknown on either side.
func Diff(a, b Management) []Change {
	var out []Change
	for _, k := range SettingKeys {
		va, oka := a.Value(k)
		vb, okb := b.Value(k)
		if oka && okb && va != vb {
			out = append(out, Change{Key: k, From: va, To: vb})
		}
	}
	return out
}
