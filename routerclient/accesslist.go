package routerclient

import (
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
)

// Access-list entries as Gatekey writes them (CLI.md). The router's list
// holds IP object indexes, IP groups and host names (drayos-web.md §4.1);
// Gatekey shows an object by the address or network it holds and keeps
// the entries it does not manage under these prefixes.
const (
	entryGroup  = "group:"  // an IP group, "g<n>" on the router
	entryHost   = "host:"   // a host name
	entryObject = "object:" // an IP object that is not one address or network
)

var (
	groupTextRE = regexp.MustCompile(`^(?i)g([0-9]{1,4})$`)
	hostNameRE  = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9._-]{0,251}[A-Za-z0-9])?$`)
)

// ParseAccessList reads comma-separated IPv4 addresses or CIDRs (a /32 is
// written as a bare address) and entries group:<n>, host:<name> and
// object:<n>, which stand for router entries Gatekey does not manage.
func ParseAccessList(s string) ([]string, error) { return parseList(s, false) }

// ParseIPv6AccessList reads comma-separated IPv6 addresses or prefixes (a
// /128 is written as a bare address) and the same unmanaged entries.
func ParseIPv6AccessList(s string) ([]string, error) { return parseList(s, true) }

func parseList(s string, v6 bool) ([]string, error) {
	list := []string{}
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		e, err := canonicalEntry(part, v6)
		if err != nil {
			return nil, err
		}
		if !contains(list, e) {
			list = append(list, e)
		}
	}
	return list, nil
}

// canonicalEntry checks one entry typed by a person.
func canonicalEntry(s string, v6 bool) (string, error) {
	if isKeptEntry(s) {
		return canonicalKept(s)
	}
	return canonicalAddress(s, v6)
}

// canonicalAddress writes an address or network of one family canonically.
func canonicalAddress(s string, v6 bool) (string, error) {
	family := map[bool]string{false: "IPv4", true: "IPv6"}[v6]
	bad := fmt.Errorf("%q is not an %s address or network", truncate(s, 40), family)
	var p netip.Prefix
	if strings.Contains(s, "/") {
		var err error
		if p, err = netip.ParsePrefix(s); err != nil {
			return "", bad
		}
	} else {
		a, err := netip.ParseAddr(s)
		if err != nil || a.Zone() != "" {
			return "", bad
		}
		p = netip.PrefixFrom(a, a.BitLen())
	}
	if p.Addr().Is4() == v6 || p.Addr().Is4In6() {
		return "", bad
	}
	p = p.Masked()
	if p.IsSingleIP() {
		return p.Addr().String(), nil
	}
	return p.String(), nil
}

// isKeptEntry reports whether an entry is one Gatekey does not manage.
func isKeptEntry(e string) bool {
	return strings.HasPrefix(e, entryGroup) || strings.HasPrefix(e, entryHost) || strings.HasPrefix(e, entryObject)
}

func canonicalKept(s string) (string, error) {
	kind, v, _ := strings.Cut(s, ":")
	v = strings.TrimSpace(v)
	if kind == "host" {
		if !hostNameRE.MatchString(v) {
			return "", fmt.Errorf("%q is not a host name", truncate(v, 40))
		}
		return entryHost + v, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 9999 {
		return "", fmt.Errorf("%s needs a number, not %q", kind, truncate(v, 20))
	}
	return kind + ":" + strconv.Itoa(n), nil
}

// entryFromRouter reads an access-list field as the router shows it: an
// object index (object:<n>, resolved later), a group g<n>, an address or
// network, or else a host name.
func entryFromRouter(raw string, v6 bool) string {
	raw = strings.TrimSpace(raw)
	if n, err := strconv.Atoi(raw); err == nil && n > 0 {
		return entryObject + strconv.Itoa(n)
	}
	if m := groupTextRE.FindStringSubmatch(raw); m != nil {
		n, _ := strconv.Atoi(m[1])
		return entryGroup + strconv.Itoa(n)
	}
	if e, err := canonicalAddress(raw, v6); err == nil {
		return e
	}
	return entryHost + truncate(raw, 253)
}

// normalizeEntry reads an IPv4 access-list field as the router shows it.
func normalizeEntry(s string) string { return entryFromRouter(s, false) }

// keptToRouter writes an unmanaged entry back as the router shows it.
func keptToRouter(e string) string {
	kind, v, _ := strings.Cut(e, ":")
	switch kind {
	case "group":
		return "g" + v
	default: // host names and object indexes are written as they are
		return v
	}
}

// addressEntries returns the entries Gatekey manages.
func addressEntries(list []string) []string {
	var out []string
	for _, e := range list {
		if !isKeptEntry(e) {
			out = append(out, e)
		}
	}
	return out
}

// keptEntries returns the entries Gatekey does not manage.
func keptEntries(list []string) []string {
	var out []string
	for _, e := range list {
		if isKeptEntry(e) {
			out = append(out, e)
		}
	}
	return out
}
