package routersim

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
)

// State is the router's configuration: what its forms and console change and
// what a reboot restores from flash. It is a plain value (no slices or maps),
// so a copy never shares anything with the router.
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
	// AccessList is index1..index10: an IPv4 address or CIDR each, "" when
	// unused. An empty list lets every source in.
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
// defaults: management from the Internet off, default ports).
func factoryState(user, password string, bf BruteForce) State {
	return State{
		AdminUser:     user,
		AdminPassword: password,
		Management: Management{
			HTTPS: true, Ping: true, Ports: DefaultPorts(), BruteForce: bf,
			TLS: TLSVersions{TLS12: true, TLS11: true},
		},
		Time: TimeSettings{Server: "pool.ntp.org", ZoneIndex: 8},
	}
}

// accessAllowed reports whether src may manage the router from the WAN side:
// every source when the list is empty, else the sources an entry covers.
func (m Management) accessAllowed(src netip.Addr) bool {
	src = src.Unmap()
	empty := true
	for _, e := range m.AccessList {
		if e == "" {
			continue
		}
		empty = false
		if p, err := parseAccessEntry(e); err == nil && p.Contains(src) {
			return true
		}
	}
	return empty
}

// errBadAccessEntry is returned for an access-list entry that is neither an
// IPv4 address nor an IPv4 CIDR.
var errBadAccessEntry = errors.New("not an IPv4 address or CIDR")

// parseAccessEntry reads an access-list entry: an IPv4 address or CIDR.
func parseAccessEntry(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil || !p.Addr().Is4() {
			return netip.Prefix{}, errBadAccessEntry
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is4() {
		return netip.Prefix{}, errBadAccessEntry
	}
	return netip.PrefixFrom(a, 32), nil
}

// normalizeAccessEntry is the form the router shows an entry in: a /32 as a
// bare address, a CIDR with its host bits cleared; "" stays "".
func normalizeAccessEntry(s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", nil
	}
	p, err := parseAccessEntry(s)
	if err != nil {
		return "", err
	}
	if p.Bits() == 32 {
		return p.Addr().String(), nil
	}
	return p.String(), nil
}

const stateFile = "state.json"

// loadState reads the saved configuration; ok is false when there is none.
func loadState(dir string) (st State, ok bool, err error) {
	data, err := os.ReadFile(filepath.Join(dir, stateFile))
	if errors.Is(err, os.ErrNotExist) {
		return State{}, false, nil
	}
	if err != nil {
		return State{}, false, fmt.Errorf("reading router state: %w", err)
	}
	if len(data) > 1<<20 {
		return State{}, false, fmt.Errorf("reading router state: %s is larger than 1 MiB", stateFile)
	}
	if err := json.Unmarshal(data, &st); err != nil {
		return State{}, false, fmt.Errorf("reading router state %s: %w", stateFile, err)
	}
	return st, true, nil
}

// saveState writes the configuration atomically with mode 0600 (it holds the
// admin password and the TOTP secret).
func saveState(dir string, st State) error {
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding router state: %w", err)
	}
	return writeFileAtomic(filepath.Join(dir, stateFile), append(data, '\n'))
}

// writeFileAtomic writes a temporary file in the same folder, syncs it,
// renames it over path and syncs the folder (security.md).
func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	var suffix [6]byte
	if _, err := rand.Read(suffix[:]); err != nil {
		return fmt.Errorf("writing %s: %w", filepath.Base(path), err)
	}
	tmp := filepath.Join(dir, fmt.Sprintf(".%s.%x.tmp", filepath.Base(path), suffix))
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("writing %s: %w", filepath.Base(path), err)
	}
	_, werr := f.Write(data)
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", filepath.Base(path), err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", filepath.Base(path), err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
