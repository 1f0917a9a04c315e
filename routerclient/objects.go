package routerclient

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// IP objects (drayos-web.md §4.3): the access list points at numbered IP
// objects, each a name, an interface, an address type, addresses and an
// "invert" switch. Gatekey shows an object by the address or network it
// holds, reuses an object that holds exactly what is to be allowed, and
// otherwise fills a free one named "Gatekey <CIDR>". It never changes an
// object it did not create. It does not free the objects it created once
// the list no longer uses them: firewall rules and other pages may point
// at them too, and Gatekey cannot see those.

// Interfaces and address types as the form writes them [A].
const (
	objIntfAny = 0
	objIntfLAN = 1
	objIntfWAN = 2

	objTypeSingle = 1
	objTypeRange  = 2
	objTypeSubnet = 3
	objTypeMAC    = 4
)

// ipObject is one IP object as the router shows it.
type ipObject struct {
	Index  int
	Name   string
	Intf   int // objIntf...
	Type   int // objType...
	Start  string
	End    string // range end
	Mask   string // subnet mask, dotted
	Invert bool
}

// free reports whether the object is unused: no name and no address.
func (o ipObject) free() bool {
	return strings.TrimSpace(o.Name) == "" && (o.Start == "" || o.Start == "0.0.0.0")
}

// prefix returns the network the object allows when it is one IPv4
// address or network, reachable from the WAN and not inverted.
func (o ipObject) prefix() (netip.Prefix, bool) {
	if o.free() || o.Invert || (o.Intf != objIntfAny && o.Intf != objIntfWAN) {
		return netip.Prefix{}, false
	}
	start, err := netip.ParseAddr(o.Start)
	if err != nil || !start.Is4() {
		return netip.Prefix{}, false
	}
	switch o.Type {
	case objTypeSingle:
		return netip.PrefixFrom(start, 32), true
	case objTypeSubnet:
		bits, ok := maskBits(o.Mask)
		if !ok {
			return netip.Prefix{}, false
		}
		return netip.PrefixFrom(start, bits).Masked(), true
	}
	return netip.Prefix{}, false
}

// entry is how the access list shows the object.
func (o ipObject) entry() string {
	if p, ok := o.prefix(); ok {
		return prefixEntry(p)
	}
	return entryObject + strconv.Itoa(o.Index)
}

// holds reports whether the object holds exactly p: the same type,
// address and mask, interface any or WAN, not inverted (drayos-web.md
// §4.3).
func (o ipObject) holds(p netip.Prefix) bool {
	got, ok := o.prefix()
	if !ok || got != p || o.Start != p.Addr().String() {
		return false
	}
	return (o.Type == objTypeSingle) == (p.Bits() == 32)
}

// ours reports whether Gatekey created the object: its name is the one
// Gatekey gives the network it holds.
func (o ipObject) ours() bool {
	p, ok := o.prefix()
	return ok && strings.EqualFold(strings.TrimSpace(o.Name), objectName(p))
}

// objectName is the name Gatekey gives an object: "Gatekey <CIDR>", cut to
// the router's 15 characters.
func objectName(p netip.Prefix) string {
	n := "Gatekey " + prefixEntry(p)
	if len(n) > 15 {
		n = n[:15]
	}
	return n
}

// newObject is the object Gatekey writes for p at index.
func newObject(index int, p netip.Prefix) ipObject {
	o := ipObject{Index: index, Name: objectName(p), Intf: objIntfAny, Type: objTypeSingle, Start: p.Addr().String(), End: "0.0.0.0", Mask: "0.0.0.0"}
	if p.Bits() < 32 {
		o.Type, o.Mask = objTypeSubnet, bitsMask(p.Bits())
	}
	return o
}

// prefixEntry writes a network as the access list shows it.
func prefixEntry(p netip.Prefix) string {
	if p.IsSingleIP() {
		return p.Addr().String()
	}
	return p.String()
}

// maskBits reads a dotted mask ("255.255.255.0") or a length ("24", "/24").
func maskBits(s string) (int, bool) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "/")
	if _, after, ok := strings.Cut(s, "/"); ok { // "255.255.255.0/24"
		s = after
	}
	if n, err := strconv.Atoi(s); err == nil && n >= 0 && n <= 32 {
		return n, true
	}
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is4() {
		return 0, false
	}
	b := a.As4()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	bits := 0
	for v&0x80000000 != 0 {
		bits++
		v <<= 1
	}
	return bits, v == 0
}

// bitsMask writes a prefix length as a dotted mask.
func bitsMask(bits int) string {
	v := ^uint32(0) << (32 - bits)
	if bits == 0 {
		v = 0
	}
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}).String()
}

// parseIntf reads an interface as a number or a word.
func parseIntf(s string) (int, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "0", "any":
		return objIntfAny, true
	case "1", "lan":
		return objIntfLAN, true
	case "2", "wan":
		return objIntfWAN, true
	}
	return 0, false
}

// parseObjType reads an address type as a number or a word.
func parseObjType(s string) (int, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "single", "single address":
		return objTypeSingle, true
	case "2", "range", "range address":
		return objTypeRange, true
	case "3", "subnet", "subnet address":
		return objTypeSubnet, true
	case "4", "mac", "mac address":
		return objTypeMAC, true
	}
	return 0, false
}

// objTypeWord is the console's word for an address type.
func objTypeWord(t int) string {
	return map[int]string{objTypeSingle: "single", objTypeRange: "range", objTypeSubnet: "subnet", objTypeMAC: "mac"}[t]
}

// objectTable is what the client knows of the router's IP objects.
type objectTable struct {
	byIndex  map[int]ipObject
	complete bool // every object was read (the form page lists them all)
}

func newObjectTable() *objectTable { return &objectTable{byIndex: map[int]ipObject{}} }

// resolve turns object:<n> entries into the networks their objects hold,
// and records which object each network entry came from.
func (t *objectTable) resolve(list []string, refs map[string]int) []string {
	out := make([]string, 0, len(list))
	for _, e := range list {
		n, isObj := objectIndex(e)
		o, known := t.byIndex[n]
		if !isObj || !known {
			out = append(out, e)
			continue
		}
		out = append(out, o.entry())
		if !isKeptEntry(o.entry()) {
			refs[o.entry()] = n
		}
	}
	return out
}

// objectIndex reads an object:<n> entry.
func objectIndex(e string) (int, bool) {
	v, ok := strings.CutPrefix(e, entryObject)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	return n, err == nil
}

// holder returns the object that holds exactly p, else a free one.
func (t *objectTable) holder(p netip.Prefix, count int, taken map[int]bool) (o ipObject, exists bool, err error) {
	for i := 1; i <= count; i++ {
		if obj, ok := t.byIndex[i]; ok && obj.holds(p) {
			return obj, true, nil
		}
	}
	for i := 1; i <= count; i++ {
		if obj, ok := t.byIndex[i]; ok && obj.free() && !taken[i] {
			return newObject(i, p), false, nil
		}
	}
	return ipObject{}, false, fmt.Errorf("%w: no free IP object is left for %s (all %d are used)", ErrBadSetting, prefixEntry(p), count)
}
