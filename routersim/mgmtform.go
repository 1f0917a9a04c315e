package routersim

import (
	"fmt"
	"net/http"
)

// saveManagement is acontrol.cgi, the Management page's save.
func (r *Router) saveManagement(c *call) {
	const back = "/doc/acontrol.sht"
	f := c.req.PostForm
	if c.req.Method != http.MethodPost || f.Get("webchange") != "1" {
		redirect(c, back)
		return
	}
	fr := r.newFormReader(f)
	r.mu.Lock()
	old := r.running
	st := old
	m := &st.Management
	readRemoteManagement(fr, m)
	readAccessLists(fr, m)
	readPorts(fr, m)
	readBruteForce(fr, &m.BruteForce)
	m.TLS = TLSVersions{TLS12: fr.checked("enTLSv1_2"), TLS11: fr.checked("enTLSv1_1"),
		TLS10: fr.checked("enTLSv1"), SSL3: fr.checked("enSSLv3")}
	m.AutoLogoutOff = fr.checked("sDeflogoff")
	m.ValidationCode = fr.checked("sValidatedCode")
	if fr.missing != "" || fr.invalid != "" {
		r.mu.Unlock()
		r.formFailed(c, fr)
		return
	}
	portsChanged := old.Management.EffectivePorts() != m.EffectivePorts()
	err := r.applyAndCommitLocked(st)
	if portsChanged {
		r.rebootPending = true
	}
	d := r.pageDataLocked(r.session, "Reboot System")
	r.mu.Unlock()
	switch {
	case err != nil:
		r.saveFailed(c)
	case portsChanged:
		// Port changes take effect after a reboot [A]: the save answers with
		// the Reboot System page (recognised by its sReboot input).
		d.Message = "The management ports take effect after the router restarts. Reboot the router now?"
		r.render(c, "rebootsys", d)
	default:
		redirect(c, back)
	}
}

// readRemoteManagement reads the IPv4 and IPv6 remote-management switches.
func readRemoteManagement(fr *formReader, m *Management) {
	m.Internet = fr.checked("sRMC")
	m.FTP, m.HTTP, m.HTTPS = fr.checked("sRMCFtp"), fr.checked("sRMCHttp"), fr.checked("sRMCHttps")
	m.Telnet, m.TR069 = fr.checked("sRMCTelnet"), fr.checked("sRMCTr069")
	m.SSH, m.SNMP = fr.checked("sRMCSsh"), fr.checked("sRMCSnmp")
	m.EnforceHTTPS = fr.checked("iRMCHsfrc")
	m.Ping = !fr.checked("sWPing") // sWPing checked: the router does not answer pings
	v6 := &m.IPv6
	v6.Internet = fr.checked("sIp6RMC")
	v6.HTTP, v6.HTTPS, v6.Telnet = fr.checked("sIp6Http"), fr.checked("sIp6Https"), fr.checked("sIp6Telnt")
	v6.SSH, v6.SNMP = fr.checked("sIp6Ssh"), fr.checked("sIp6Snmp")
	v6.Ping = !fr.checked("sIp6Ping") // reads like sWPing [A]
}

// readAccessLists reads index1..10 (object indexes, g<n>, host names) and
// v6index1..10 (IPv6 addresses or prefixes).
func readAccessLists(fr *formReader, m *Management) {
	for i := range m.AccessList {
		name := fmt.Sprintf("index%d", i+1)
		v, err := normalizeAccessEntry(fr.text(name))
		if err != nil && fr.invalid == "" {
			fr.invalid = name
		}
		m.AccessList[i] = v
	}
	for i := range m.IPv6.AccessList {
		name := fmt.Sprintf("v6index%d", i+1)
		v, err := normalizeIPv6Entry(fr.text(name))
		if err != nil && fr.invalid == "" {
			fr.invalid = name
		}
		m.IPv6.AccessList[i] = v
	}
}

// portFields are the port inputs in the order of Ports.
var portFields = []string{"HttpPort", "HttpsPort", "TelnetPort", "txtFtpPort", "txtTr069Port", "txtSshPort"}

// readPorts reads ConfigPort and the port fields.
func readPorts(fr *formReader, m *Management) {
	switch mode := fr.text("ConfigPort"); mode {
	case "UserDefine":
		var p [6]int
		for i, name := range portFields {
			p[i] = fr.number(name, 1, 65535)
		}
		m.UserDefinedPorts = true
		m.Ports = Ports{HTTP: p[0], HTTPS: p[1], Telnet: p[2], FTP: p[3], TR069: p[4], SSH: p[5]}
	default:
		// With default ports the port fields are required but ignored.
		for _, name := range portFields {
			fr.text(name)
		}
		m.UserDefinedPorts = false
		if mode != "Default" && fr.missing == "" && fr.invalid == "" {
			fr.invalid = "ConfigPort"
		}
	}
}

// readBruteForce reads brute-force protection.
func readBruteForce(fr *formReader, bf *BruteForce) {
	bf.Enabled = fr.checked("iBrEn")
	bf.HTTP, bf.HTTPS, bf.Telnet = fr.checked("iBrHttp"), fr.checked("iBrHttps"), fr.checked("iBrTelnet")
	bf.SSH, bf.FTP, bf.TR069 = fr.checked("iBrSsh"), fr.checked("iBrFtp"), fr.checked("iBrTr069")
	bf.Failures = fr.number("iLoginFailures", 1, 255)
	bf.PenaltySeconds = fr.number("iPenaltyPeriod", 1, 86400)
}
