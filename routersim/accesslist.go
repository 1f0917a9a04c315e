package routersim

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// accessKind is what an IPv4 access-list entry points to.
type accessKind int

const (
	accessObject accessKind = iota + 1
	accessGroup
	accessHost
)

// accessEntry is one parsed IPv4 access-list entry (drayos-web.md §4.1): an
// IP object index, "g<n>" for an IP group, or a host name.
type accessEntry struct {
	kind accessKind
	n    int    // object or group index
	host string // host name as typed
}

// errBadAccessEntry is returned for an IPv4 access-list entry that is
// neither an object index, a group nor a host name.
var errBadAccessEntry = errors.New("want an IP object index (1-192), g<n> for an IP group (1-32), or a host name")

// errBadIPv6Entry is returned for an IPv6 access-list entry that is not an
// IPv6 address or prefix.
var errBadIPv6Entry = errors.New("want an IPv6 address or prefix")

// allDigits reports whether s is a non-empty run of ASCII digits.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// indexIn reads a decimal index within [1, hi].
func indexIn(s string, hi int) (int, bool) {
	if !allDigits(s) || len(s) > 4 {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 1 && n <= hi
}

// validHostName reports whether s is a DNS host name with at least one
// letter, so that an IPv4 address or CIDR typed into the list is refused
// rather than taken for a name.
func validHostName(s string) bool {
	if len(s) > 253 || !strings.ContainsAny(strings.ToLower(s), "abcdefghijklmnopqrstuvwxyz") {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			ch := label[i] | 0x20
			if !(ch >= 'a' && ch <= 'z' || label[i] >= '0' && label[i] <= '9' || label[i] == '-') {
				return false
			}
		}
	}
	return true
}

// parseAccessEntry reads a non-empty IPv4 access-list entry.
func parseAccessEntry(s string) (accessEntry, error) {
	s = strings.TrimSpace(s)
	if n, ok := indexIn(s, MaxObjects); ok {
		return accessEntry{kind: accessObject, n: n}, nil
	}
	if len(s) > 1 && (s[0] == 'g' || s[0] == 'G') && allDigits(s[1:]) {
		if n, ok := indexIn(s[1:], MaxGroups); ok {
			return accessEntry{kind: accessGroup, n: n}, nil
		}
		return accessEntry{}, errBadAccessEntry
	}
	if allDigits(s) || !validHostName(s) {
		return accessEntry{}, errBadAccessEntry
	}
	return accessEntry{kind: accessHost, host: s}, nil
}

// String is the entry as the form and `mngt accesslist list` show it.
func (e accessEntry) String() string {
	switch e.kind {
	case accessObject:
		return strconv.Itoa(e.n)
	case accessGroup:
		return "g" + strconv.Itoa(e.n)
	}
	return e.host
}

// normalizeAccessEntry is the form the router shows an IPv4 entry in; ""
// stays "".
func normalizeAccessEntry(s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", nil
	}
	e, err := parseAccessEntry(s)
	if err != nil {
		return "", err
	}
	return e.String(), nil
}

// parseIPv6Entry reads an IPv6 address or prefix; an address is a /128.
func parseIPv6Entry(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil || !p.Addr().Is6() || p.Addr().Is4In6() || p.Addr().Zone() != "" {
			return netip.Prefix{}, errBadIPv6Entry
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is6() || a.Is4In6() || a.Zone() != "" {
		return netip.Prefix{}, errBadIPv6Entry
	}
	return netip.PrefixFrom(a, 128), nil
}

// normalizeIPv6Entry is the form the router shows an IPv6 entry in: a /128
// as a bare address, a prefix with its host bits cleared; "" stays "".
func normalizeIPv6Entry(s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", nil
	}
	p, err := parseIPv6Entry(s)
	if err != nil {
		return "", err
	}
	if p.Bits() == 128 {
		return p.Addr().String(), nil
	}
	return p.String(), nil
}

// entryAllows reports whether one IPv4 entry lets src in from the WAN side:
// its object selects it, a member of its group does, and a host name never
// does (the simulator resolves no names).
func (st *State) entryAllows(e accessEntry, src netip.Addr) bool {
	switch e.kind {
	case accessObject:
		return st.Objects[e.n-1].matchesWAN(src)
	case accessGroup:
		for _, n := range st.Groups[e.n-1].Objects {
			if n >= 1 && n <= MaxObjects && st.Objects[n-1].matchesWAN(src) {
				return true
			}
		}
	}
	return false
}

// wanAccessAllowed reports whether src may manage the router from the IPv4
// WAN side: every source when the list is empty, else the sources an entry
// allows.
func (st *State) wanAccessAllowed(src netip.Addr) bool {
	src = src.Unmap()
	empty := true
	for _, s := range st.Management.AccessList {
		if s == "" {
			continue
		}
		empty = false
		if e, err := parseAccessEntry(s); err == nil && st.entryAllows(e, src) {
			return true
		}
	}
	return empty
}

// ipv6AccessAllowed is wanAccessAllowed for the IPv6 list.
func (m IPv6Management) ipv6AccessAllowed(src netip.Addr) bool {
	empty := true
	for _, s := range m.AccessList {
		if s == "" {
			continue
		}
		empty = false
		if p, err := parseIPv6Entry(s); err == nil && p.Contains(src) {
			return true
		}
	}
	return empty
}

// normalize checks a whole configuration and puts its objects, groups and
// access lists into the form the router keeps. It refuses what a form save
// would refuse, naming the place.
func (st *State) normalize() error {
	for i, o := range st.Objects {
		if o == (IPObject{}) {
			st.Objects[i] = FreeObject() // a state saved before objects existed
			continue
		}
		n, err := o.normalized()
		if err != nil {
			return fmt.Errorf("IP object %d: %w", i+1, err)
		}
		st.Objects[i] = n
	}
	for i, g := range st.Groups {
		if !validObjectName(g.Name) {
			return fmt.Errorf("IP group %d: invalid name", i+1)
		}
		for _, n := range g.Objects {
			if n < 0 || n > MaxObjects {
				return fmt.Errorf("IP group %d: object index %d outside 1-%d", i+1, n, MaxObjects)
			}
		}
	}
	m := &st.Management
	for i, e := range m.AccessList {
		v, err := normalizeAccessEntry(e)
		if err != nil {
			return fmt.Errorf("access list entry %d %q: %w", i+1, e, err)
		}
		m.AccessList[i] = v
	}
	for i, e := range m.IPv6.AccessList {
		v, err := normalizeIPv6Entry(e)
		if err != nil {
			return fmt.Errorf("IPv6 access list entry %d %q: %w", i+1, e, err)
		}
		m.IPv6.AccessList[i] = v
	}
	return nil
}
