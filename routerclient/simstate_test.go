package routerclient

import (
	"net/netip"
	"strconv"
	"testing"

	"github.com/gatekey/gatekey/routersim"
)

// fromSim converts the simulator's state to the client's view of it:
// access-list entries that point at IP objects become the networks the
// objects hold.
func fromSim(st routersim.State) Management {
	s := st.Management
	m := Management{
		Internet: s.Internet, HTTP: s.HTTP, HTTPS: s.HTTPS, EnforceHTTPS: s.EnforceHTTPS,
		Telnet: s.Telnet, SSH: s.SSH, FTP: s.FTP, TR069: s.TR069, SNMP: s.SNMP, Ping: s.Ping,
		AccessList: []string{}, BruteForce: s.BruteForce.Enabled, BruteForceServices: []string{},
		BruteForceFailures: s.BruteForce.Failures, BruteForcePenalty: s.BruteForce.PenaltySeconds,
		TLS: &TLSVersions{TLS12: s.TLS.TLS12, TLS11: s.TLS.TLS11, TLS10: s.TLS.TLS10, SSL3: s.TLS.SSL3},
		IPv6: &IPv6{Internet: s.IPv6.Internet, HTTP: s.IPv6.HTTP, HTTPS: s.IPv6.HTTPS, Telnet: s.IPv6.Telnet,
			SSH: s.IPv6.SSH, SNMP: s.IPv6.SNMP, Ping: s.IPv6.Ping, AccessList: []string{}},
	}
	for _, e := range s.AccessList {
		if e == "" {
			continue
		}
		entry := normalizeEntry(e)
		if n, ok := objectIndex(entry); ok {
			entry = simObject(st, n).entry()
		}
		m.AccessList = append(m.AccessList, entry)
	}
	for _, e := range s.IPv6.AccessList {
		if e != "" {
			m.IPv6.AccessList = append(m.IPv6.AccessList, entryFromRouter(e, true))
		}
	}
	bf := s.BruteForce
	for svc, on := range map[string]bool{"http": bf.HTTP, "https": bf.HTTPS, "telnet": bf.Telnet, "ssh": bf.SSH, "ftp": bf.FTP, "tr069": bf.TR069} {
		if on {
			m.BruteForceServices = append(m.BruteForceServices, svc)
		}
	}
	sortServices(m.BruteForceServices)
	p := s.EffectivePorts()
	m.HTTPPort, m.HTTPSPort, m.TelnetPort, m.SSHPort, m.FTPPort = p.HTTP, p.HTTPS, p.Telnet, p.SSH, p.FTP
	return m
}

// simObject converts the simulator's object n.
func simObject(st routersim.State, n int) ipObject {
	o := st.Objects[n-1]
	return ipObject{Index: n, Name: o.Name, Intf: int(o.Interface), Type: int(o.Type), Start: o.Start, End: o.End, Mask: o.Mask, Invert: o.Invert}
}

// allowObject makes object n hold cidr under name and puts it at position
// pos (1-based) of the access list.
func allowObject(st *routersim.State, pos, n int, name, cidr string) {
	p := netip.MustParsePrefix(cidr)
	o := routersim.IPObject{Name: name, Type: routersim.ObjectSingle, Start: p.Addr().String(), End: "0.0.0.0", Mask: "0.0.0.0"}
	if p.Bits() < 32 {
		o.Type, o.Mask = routersim.ObjectSubnet, bitsMask(p.Bits())
	}
	st.Objects[n-1] = o
	st.Management.AccessList[pos-1] = strconv.Itoa(n)
}

// checkObjects compares the objects before and after: only the ones named
// in created may differ, each now holding its network under Gatekey's name.
func checkObjects(t *testing.T, before, after routersim.State, created map[int]string) {
	t.Helper()
	for i := range after.Objects {
		n := i + 1
		cidr, ok := created[n]
		if !ok {
			if before.Objects[i] != after.Objects[i] {
				t.Errorf("object %d changed: %+v -> %+v", n, before.Objects[i], after.Objects[i])
			}
			continue
		}
		o := simObject(after, n)
		p := netip.MustParsePrefix(cidr)
		if !o.holds(p) || !o.ours() || o.Name != objectName(p) {
			t.Errorf("object %d is %+v, want Gatekey's object for %s", n, o, cidr)
		}
	}
}
