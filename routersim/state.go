package routersim

// State is the router's configuration: what its forms and console change and
// what a reboot restores from flash. It is a plain value (no slices or maps),
// so a copy never shares anything with the router, and its JSON encoding is
// deterministic (the configuration backup relies on it).
type State struct {
	// AdminUser and AdminPassword are the web administrator's credentials.
	AdminUser     string `json:"admin_user"`
	AdminPassword string `json:"admin_password"`
	// TOTP is the second factor for logins from the WAN side.
	TOTP TOTPState `json:"totp"`
	// Management holds the fields of the Management page (drayos-web.md §4.1).
	Management Management `json:"management"`
	// Time holds the Time and Date page.
	Time TimeSettings `json:"time"`
	// Objects are the IP objects 1..192 (Objects[0] is object 1); the access
	// list points to them (drayos-web.md §4.3).
	Objects [MaxObjects]IPObject `json:"objects"`
	// Groups are the IP groups 1..32 (Groups[0] is group 1), which an access
	// list entry "g<n>" points to.
	Groups [MaxGroups]IPGroup `json:"groups"`
}

// TOTPState is the Administrator Password page's advanced authentication.
type TOTPState struct {
	// Enabled means WAN logins need a code.
	Enabled bool `json:"enabled"`
	// Secret is the Base32 secret (upper case, no padding); it is kept when
	// TOTP is switched off so that the page can show it again.
	Secret string `json:"secret"`
}

// TimeSettings is the Time and Date page.
type TimeSettings struct {
	// Server is the NTP server name shown by `sys time show`.
	Server string `json:"server"`
	// ZoneIndex is the router's time zone index.
	ZoneIndex int `json:"zone_index"`
}

// Management is the Management page: remote management, services from the
// WAN, the access list, ports, brute-force protection, TLS versions.
type Management struct {
	// Internet is "Allow management from the Internet" (sRMC).
	Internet bool `json:"internet"`
	// FTP .. SNMP are the services allowed from the WAN (sRMCFtp ..).
	FTP   bool `json:"ftp"`
	HTTP  bool `json:"http"`
	HTTPS bool `json:"https"`
	// Telnet, TR069, SSH and SNMP are the other WAN services.
	Telnet bool `json:"telnet"`
	TR069  bool `json:"tr069"`
	SSH    bool `json:"ssh"`
	SNMP   bool `json:"snmp"`
	// EnforceHTTPS is "Enforce HTTPS access" (iRMCHsfrc): WAN HTTP requests
	// are redirected to WAN HTTPS.
	EnforceHTTPS bool `json:"enforce_https"`
	// Ping is true when the router answers pings from the Internet; the form's
	// sWPing reads the other way round.
	Ping bool `json:"ping"`
	// AccessList is index1..index10 as the form shows them: the index of an
	// IP object ("3"), "g<n>" for an IP group, or a host name; "" when unused
	// (drayos-web.md §4.1). An empty list lets every source in.
	AccessList [10]string `json:"access_list"`
	// UserDefinedPorts is ConfigPort=UserDefine; with false the router uses
	// DefaultPorts and the page shows them.
	UserDefinedPorts bool `json:"user_defined_ports"`
	// Ports are the user-defined ports.
	Ports Ports `json:"ports"`
	// BruteForce is brute-force login protection.
	BruteForce BruteForce `json:"brute_force"`
	// TLS is the set of TLS versions the HTTPS server offers (stored and shown;
	// the simulator's listeners do not enforce it).
	TLS TLSVersions `json:"tls"`
	// AutoLogoutOff is "Disable auto-logout" (sDeflogoff): sessions do not
	// expire when idle.
	AutoLogoutOff bool `json:"auto_logout_off"`
	// ValidationCode is "Enable Validation Code" (sValidatedCode): the login
	// page asks for the characters of a picture (drayos-web.md §3.2).
	ValidationCode bool `json:"validation_code"`
	// IPv6 is management over the router's IPv6 WAN address, separate from
	// the IPv4 switches above.
	IPv6 IPv6Management `json:"ipv6"`
}

// IPv6Management is the IPv6 part of the Management page (drayos-web.md §4.1).
type IPv6Management struct {
	// Internet is IPv6 management from the Internet (sIp6RMC).
	Internet bool `json:"internet"`
	// HTTP .. SNMP are the services allowed over IPv6 (sIp6Http, sIp6Https,
	// sIp6Telnt, sIp6Ssh, sIp6Snmp).
	HTTP   bool `json:"http"`
	HTTPS  bool `json:"https"`
	Telnet bool `json:"telnet"`
	SSH    bool `json:"ssh"`
	SNMP   bool `json:"snmp"`
	// Ping is true when the router answers IPv6 pings from the Internet;
	// sIp6Ping reads the other way round, like sWPing.
	Ping bool `json:"ping"`
	// AccessList is v6index1..v6index10: IPv6 addresses or prefixes as text,
	// "" when unused. An empty list lets every IPv6 source in.
	AccessList [10]string `json:"access_list"`
}

// Ports are the management service ports.
type Ports struct {
	HTTP   int `json:"http"`
	HTTPS  int `json:"https"`
	Telnet int `json:"telnet"`
	FTP    int `json:"ftp"`
	TR069  int `json:"tr069"`
	SSH    int `json:"ssh"`
}

// DefaultPorts are the factory ports: 80, 443, 23, 21, 8069, 22.
func DefaultPorts() Ports {
	return Ports{HTTP: 80, HTTPS: 443, Telnet: 23, FTP: 21, TR069: 8069, SSH: 22}
}

// EffectivePorts are the ports the router uses: DefaultPorts unless the ports
// are user defined.
func (m Management) EffectivePorts() Ports {
	if m.UserDefinedPorts {
		return m.Ports
	}
	return DefaultPorts()
}

// BruteForce is brute-force login protection: a source address that fails
// Failures logins on a protected service is blocked for PenaltySeconds.
type BruteForce struct {
	Enabled bool `json:"enabled"`
	// HTTP .. TR069 say which services are protected.
	HTTP   bool `json:"http"`
	HTTPS  bool `json:"https"`
	Telnet bool `json:"telnet"`
	SSH    bool `json:"ssh"`
	FTP    bool `json:"ftp"`
	TR069  bool `json:"tr069"`
	// Failures is the number of failed logins that blocks a source (1-255).
	Failures int `json:"failures"`
	// PenaltySeconds is how long a source stays blocked (1-86400).
	PenaltySeconds int `json:"penalty_seconds"`
}

// TLSVersions are the enTLSv1_2, enTLSv1_1, enTLSv1 and enSSLv3 check boxes.
type TLSVersions struct {
	TLS12 bool `json:"tls12"`
	TLS11 bool `json:"tls11"`
	TLS10 bool `json:"tls10"`
	SSL3  bool `json:"ssl3"`
}

// DefaultBruteForce is the factory brute-force setting: off, 3 failures,
// 60 seconds, every service selected.
func DefaultBruteForce() BruteForce {
	return BruteForce{HTTP: true, HTTPS: true, Telnet: true, SSH: true, FTP: true, TR069: true,
		Failures: 3, PenaltySeconds: 60}
}

// factoryState is the configuration of a new router (drayos-web.md §4.1
// defaults: management from the Internet off, default ports; every IP object
// free). The IPv6 defaults mirror the IPv4 ones [A]: off, HTTPS selected,
// pings answered.
func factoryState(user, password string, bf BruteForce) State {
	st := State{
		AdminUser:     user,
		AdminPassword: password,
		Management: Management{
			HTTPS: true, Ping: true, Ports: DefaultPorts(), BruteForce: bf,
			TLS:  TLSVersions{TLS12: true, TLS11: true},
			IPv6: IPv6Management{HTTPS: true, Ping: true},
		},
		Time: TimeSettings{Server: "pool.ntp.org", ZoneIndex: 8},
	}
	for i := range st.Objects {
		st.Objects[i] = FreeObject()
	}
	return st
}
