package routerclient

import (
	"slices"
	"strconv"
	"strings"
)

// Management is the remote-management settings of a router. Its JSON keys
// are the keys of `gatekey router set` and `gatekey router mgmt --json`
// (CLI.md). A port of 0, a nil TLS or a nil IPv6 means the path that read
// the settings (the console alone) could not see them.
type Management struct {
	Internet     bool `json:"internet"`
	HTTP         bool `json:"http"`
	HTTPS        bool `json:"https"`
	EnforceHTTPS bool `json:"enforce_https"`
	Telnet       bool `json:"telnet"`
	SSH          bool `json:"ssh"`
	FTP          bool `json:"ftp"`
	TR069        bool `json:"tr069"`
	SNMP         bool `json:"snmp"`
	Ping         bool `json:"ping"` // true: the router answers pings from the Internet
	// AccessList holds the addresses allowed to manage the router from the
	// Internet: each entry is the IPv4 address or CIDR its IP object holds,
	// or an entry Gatekey does not manage, written "group:<n>" (an IP
	// group), "host:<name>" (a host name) or "object:<n>" (an IP object
	// that is not one address or network).
	AccessList []string `json:"access_list"`
	HTTPPort   int      `json:"http_port,omitempty"`
	HTTPSPort  int      `json:"https_port,omitempty"`
	TelnetPort int      `json:"telnet_port,omitempty"`
	SSHPort    int      `json:"ssh_port,omitempty"`
	FTPPort    int      `json:"ftp_port,omitempty"`
	BruteForce bool     `json:"brute_force"`
	// BruteForceServices lists the services brute-force protection covers,
	// among http, https, telnet, ssh, ftp and tr069.
	BruteForceServices []string     `json:"brute_force_services"`
	BruteForceFailures int          `json:"brute_force_failures"`
	BruteForcePenalty  int          `json:"brute_force_penalty"` // seconds
	TLS                *TLSVersions `json:"tls,omitempty"`
	// IPv6 is management over IPv6, separate from IPv4 (drayos-web.md
	// §4.1). Its keys appear at the top level of the JSON object
	// (ipv6_internet, ...) and are absent when it is nil.
	*IPv6
}

// IPv6 is the IPv6 part of the Management page. Its switches apply to the
// router's IPv6 WAN address only, whatever the IPv4 ones say.
type IPv6 struct {
	Internet bool `json:"ipv6_internet"`
	HTTP     bool `json:"ipv6_http"`
	HTTPS    bool `json:"ipv6_https"`
	Telnet   bool `json:"ipv6_telnet"`
	SSH      bool `json:"ipv6_ssh"`
	SNMP     bool `json:"ipv6_snmp"`
	Ping     bool `json:"ipv6_ping"` // true: the router answers pings over IPv6
	// AccessList holds IPv6 addresses and prefixes, and entries Gatekey
	// does not manage written as in Management.AccessList.
	AccessList []string `json:"ipv6_access_list"`
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
	"ipv6_internet", "ipv6_https", "ipv6_http", "ipv6_telnet", "ipv6_ssh", "ipv6_snmp", "ipv6_ping", "ipv6_access_list",
	"tls1_2", "tls1_1", "tls1_0", "ssl3",
}

// bruteForceServices are the services the Management page protects, in
// page order.
var bruteForceServices = []string{"http", "https", "telnet", "ssh", "ftp", "tr069"}

// portKeys are the settings the console cannot show.
var portKeys = []string{"http_port", "https_port", "telnet_port", "ssh_port", "ftp_port"}

// boolField returns the switch a key names, nil when the key is not a
// switch or its part of the settings is unknown.
func (m *Management) boolField(key string) *bool {
	switch {
	case strings.HasPrefix(key, "ipv6_"):
		return m.ipv6Bool(strings.TrimPrefix(key, "ipv6_"))
	case isTLSKey(key):
		return m.tlsBool(key)
	}
	fields := map[string]*bool{
		"internet": &m.Internet, "http": &m.HTTP, "https": &m.HTTPS, "enforce_https": &m.EnforceHTTPS,
		"telnet": &m.Telnet, "ssh": &m.SSH, "ftp": &m.FTP, "tr069": &m.TR069, "snmp": &m.SNMP,
		"ping": &m.Ping, "brute_force": &m.BruteForce,
	}
	return fields[key]
}

func (m *Management) ipv6Bool(key string) *bool {
	if m.IPv6 == nil {
		return nil
	}
	v := m.IPv6
	fields := map[string]*bool{"internet": &v.Internet, "http": &v.HTTP, "https": &v.HTTPS,
		"telnet": &v.Telnet, "ssh": &v.SSH, "snmp": &v.SNMP, "ping": &v.Ping}
	return fields[key]
}

func (m *Management) tlsBool(key string) *bool {
	if m.TLS == nil {
		return nil
	}
	fields := map[string]*bool{"tls1_2": &m.TLS.TLS12, "tls1_1": &m.TLS.TLS11, "tls1_0": &m.TLS.TLS10, "ssl3": &m.TLS.SSL3}
	return fields[key]
}

func (m *Management) intField(key string) *int {
	fields := map[string]*int{
		"http_port": &m.HTTPPort, "https_port": &m.HTTPSPort, "telnet_port": &m.TelnetPort,
		"ssh_port": &m.SSHPort, "ftp_port": &m.FTPPort,
		"brute_force_failures": &m.BruteForceFailures, "brute_force_penalty": &m.BruteForcePenalty,
	}
	return fields[key]
}

func isTLSKey(key string) bool { return strings.HasPrefix(key, "tls") || key == "ssl3" }

// Value returns a setting as the CLI writes it (on/off, numbers, a
// comma-separated list), and false when the setting is unknown.
func (m *Management) Value(key string) (string, bool) {
	if b := m.boolField(key); b != nil {
		return onOff(*b), true
	}
	if n := m.intField(key); n != nil {
		if *n == 0 && strings.HasSuffix(key, "_port") {
			return "", false
		}
		return strconv.Itoa(*n), true
	}
	switch {
	case key == "access_list":
		return strings.Join(m.AccessList, ","), true
	case key == "brute_force_services":
		return strings.Join(m.BruteForceServices, ","), true
	case key == "ipv6_access_list" && m.IPv6 != nil:
		return strings.Join(m.IPv6.AccessList, ","), true
	}
	return "", false
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// Clone returns a deep copy.
func (m Management) Clone() Management {
	m.AccessList = slices.Clone(m.AccessList)
	m.BruteForceServices = slices.Clone(m.BruteForceServices)
	if m.TLS != nil {
		t := *m.TLS
		m.TLS = &t
	}
	if m.IPv6 != nil {
		v := *m.IPv6
		v.AccessList = slices.Clone(v.AccessList)
		m.IPv6 = &v
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
