package routerclient

import (
	"fmt"
	"strconv"
	"strings"
)

// The Management page's fields (drayos-web.md §4.1), named by the
// profile's management_form section.

// wanSwitchKeys are the Management keys read from one check box each.
var wanSwitchKeys = []string{"internet", "http", "https", "enforce_https", "telnet", "ssh", "ftp", "tr069", "snmp", "brute_force"}

// ipv6SwitchKeys are the IPv6 switches other than the ping one.
var ipv6SwitchKeys = []string{"ipv6_internet", "ipv6_http", "ipv6_https", "ipv6_telnet", "ipv6_ssh", "ipv6_snmp"}

// managementFromForm reads the settings from the Management form's fields.
// Access-list entries that name IP objects come back as object:<n>; the
// caller resolves them.
func managementFromForm(form *htmlForm, p *Profile) (Management, error) {
	names := p.ManagementForm.Fields
	var m Management
	for _, k := range wanSwitchKeys {
		v, err := form.boolValue(names[k])
		if err != nil {
			return Management{}, fmt.Errorf("management page, %s: %w", k, err)
		}
		*m.boolField(k) = v
	}
	noPing, err := form.boolValue(names["no_ping"])
	if err != nil {
		return Management{}, fmt.Errorf("management page, ping: %w", err)
	}
	m.Ping = !noPing // the field reads backwards: checked = no answer to pings
	readPorts(form, names, &m)
	m.AccessList = readList(form, p.ManagementForm.AccessListField, p.ManagementForm.AccessListSize, false)
	if err := readBruteForce(form, names, &m); err != nil {
		return Management{}, err
	}
	m.TLS = readTLS(form, names)
	m.IPv6 = readIPv6(form, p)
	return m, nil
}

func readPorts(form *htmlForm, names map[string]string, m *Management) {
	for _, k := range portKeys {
		if v, ok := form.value(names[k]); ok {
			if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n > 0 && n < 65536 {
				*m.intField(k) = n
			}
		}
	}
}

// readList reads an access list's numbered fields, skipping empty ones.
func readList(form *htmlForm, pattern string, size int, v6 bool) []string {
	list := []string{}
	for i := 1; i <= size; i++ {
		if v, ok := form.value(fmt.Sprintf(pattern, i)); ok && strings.TrimSpace(v) != "" {
			list = append(list, entryFromRouter(v, v6))
		}
	}
	return list
}

func readBruteForce(form *htmlForm, names map[string]string, m *Management) error {
	m.BruteForceServices = []string{}
	for _, svc := range bruteForceServices {
		if on, err := form.boolValue(names["brute_force_"+svc]); err == nil && on {
			m.BruteForceServices = append(m.BruteForceServices, svc)
		}
	}
	for _, k := range []string{"brute_force_failures", "brute_force_penalty"} {
		v, ok := form.value(names[k])
		if !ok {
			return fmt.Errorf("%w: the Management page has no field %q", ErrUnexpectedResponse, names[k])
		}
		if strings.TrimSpace(v) != "" {
			n, err := leadingInt(v)
			if err != nil {
				return fmt.Errorf("management page, %s: %w", k, err)
			}
			*m.intField(k) = n
		}
	}
	return nil
}

// readTLS reads the TLS check boxes; nil when the page lacks any.
func readTLS(form *htmlForm, names map[string]string) *TLSVersions {
	var tls TLSVersions
	for k, dst := range map[string]*bool{"tls_1_2": &tls.TLS12, "tls_1_1": &tls.TLS11, "tls_1_0": &tls.TLS10, "ssl_3": &tls.SSL3} {
		v, err := form.boolValue(names[k])
		if err != nil {
			return nil
		}
		*dst = v
	}
	return &tls
}

// readIPv6 reads the IPv6 switches and list; nil when the page has no
// IPv6 management (older firmware).
func readIPv6(form *htmlForm, p *Profile) *IPv6 {
	names := p.ManagementForm.Fields
	m := Management{IPv6: &IPv6{}}
	for _, k := range ipv6SwitchKeys {
		v, err := form.boolValue(names[k])
		if err != nil {
			return nil
		}
		*m.boolField(k) = v
	}
	noPing, err := form.boolValue(names["ipv6_no_ping"])
	if err != nil {
		return nil
	}
	m.IPv6.Ping = !noPing // sIp6Ping reads like sWPing: checked = no answer
	m.IPv6.AccessList = readList(form, p.ManagementForm.IPv6AccessListField, p.ManagementForm.IPv6AccessListSize, true)
	return m.IPv6
}

// formFieldOf maps a setting key to the profile's form field key.
func formFieldOf(key string) string {
	switch key {
	case "tls1_2":
		return "tls_1_2"
	case "tls1_1":
		return "tls_1_1"
	case "tls1_0":
		return "tls_1_0"
	case "ssl3":
		return "ssl_3"
	}
	return key
}

// formWriter changes the Management form's fields for a set of changes.
type formWriter struct {
	form   *htmlForm
	p      *Profile
	target Management
	// refs maps each IPv4 address entry of the target's access list to the
	// IP object index that holds it.
	refs map[string]int
}

// setManagementForm changes the form's fields for each change.
func setManagementForm(form *htmlForm, p *Profile, target Management, changes []Change, refs map[string]int) error {
	w := &formWriter{form: form, p: p, target: target, refs: refs}
	portsChanged := false
	for _, ch := range changes {
		portsChanged = portsChanged || strings.HasSuffix(ch.Key, "_port")
		if err := w.set(ch); err != nil {
			return err
		}
	}
	if portsChanged && p.ManagementForm.ConfigPortUser != "" {
		// Port fields only count once the ports are "user defined".
		return form.setValue(p.ManagementForm.Fields["config_port"], p.ManagementForm.ConfigPortUser)
	}
	return nil
}

func (w *formWriter) set(ch Change) error {
	names, t := w.p.ManagementForm.Fields, w.target
	switch k := ch.Key; {
	case k == "ping":
		return w.form.setBool(names["no_ping"], !t.Ping)
	case k == "ipv6_ping":
		return w.form.setBool(names["ipv6_no_ping"], !t.IPv6.Ping)
	case k == "access_list":
		return w.setIPv4List()
	case k == "ipv6_access_list":
		return w.setList(w.p.ManagementForm.IPv6AccessListField, w.p.ManagementForm.IPv6AccessListSize, ipv6ListText(t.IPv6.AccessList))
	case k == "brute_force_services":
		for _, svc := range bruteForceServices {
			if err := w.form.setBool(names["brute_force_"+svc], contains(t.BruteForceServices, svc)); err != nil {
				return err
			}
		}
		return nil
	case t.intField(k) != nil:
		return w.form.setValue(names[k], ch.To)
	}
	b := t.boolField(ch.Key)
	if b == nil {
		return fmt.Errorf("%w: the Management page cannot change %s", ErrBadSetting, ch.Key)
	}
	return w.form.setBool(names[formFieldOf(ch.Key)], *b)
}

// setIPv4List writes object indexes for addresses and the router's text
// for the entries Gatekey keeps.
func (w *formWriter) setIPv4List() error {
	var values []string
	for _, e := range w.target.AccessList {
		switch {
		case isKeptEntry(e):
			values = append(values, keptToRouter(e))
		case w.refs[e] > 0:
			values = append(values, strconv.Itoa(w.refs[e]))
		default:
			return fmt.Errorf("%w: no IP object holds %s", ErrBadSetting, e)
		}
	}
	return w.setList(w.p.ManagementForm.AccessListField, w.p.ManagementForm.AccessListSize, values)
}

// setList fills numbered list fields in order and empties the rest.
func (w *formWriter) setList(pattern string, size int, values []string) error {
	if len(values) > size {
		return fmt.Errorf("%w: the access list holds at most %d entries", ErrBadSetting, size)
	}
	for i := 1; i <= size; i++ {
		v := ""
		if i <= len(values) {
			v = values[i-1]
		}
		if err := w.form.setValue(fmt.Sprintf(pattern, i), v); err != nil {
			return err
		}
	}
	return nil
}

// ipv6ListText writes the IPv6 list as the page holds it: prefixes as
// text, other entries as the router writes them.
func ipv6ListText(list []string) []string {
	out := make([]string, len(list))
	for i, e := range list {
		out[i] = e
		if isKeptEntry(e) {
			out[i] = keptToRouter(e)
		}
	}
	return out
}
