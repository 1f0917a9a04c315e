package routersim

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
)

// IP objects (drayos-web.md §4.3): 192 address objects that the access list
// and the IP groups point to.
const (
	// MaxObjects is the number of IP objects.
	MaxObjects = 192
	// MaxGroups is the number of IP groups [A].
	MaxGroups = 32
	// MaxGroupMembers is the number of objects one group holds [A].
	MaxGroupMembers = 32
	// MaxObjectName is the longest object name, in characters.
	MaxObjectName = 15
)

// ObjectInterface is the interface an object applies to, numbered as the
// form's iObjIntf.
type ObjectInterface int

// The interfaces of an object.
const (
	InterfaceAny ObjectInterface = 0
	InterfaceLAN ObjectInterface = 1
	InterfaceWAN ObjectInterface = 2
)

// ObjectType is an object's address type, numbered as the form's iObjType.
// MAC objects exist on real routers; the simulator refuses them [A].
type ObjectType int

// The address types of an object.
const (
	ObjectSingle ObjectType = 1
	ObjectRange  ObjectType = 2
	ObjectSubnet ObjectType = 3
)

// IPObject is one IP object. Addresses are dotted IPv4 text, "0.0.0.0" when
// unset; End is used by ranges and Mask by subnets.
type IPObject struct {
	Name      string          `json:"name"`
	Interface ObjectInterface `json:"interface"`
	Type      ObjectType      `json:"type"`
	Start     string          `json:"start"`
	End       string          `json:"end"`
	Mask      string          `json:"mask"`
	Invert    bool            `json:"invert"`
}

// IPGroup is one IP group: the indexes of its objects, 0 where unused.
type IPGroup struct {
	Name    string               `json:"name"`
	Objects [MaxGroupMembers]int `json:"objects"`
}

// FreeObject is an unused object: no name, a single address 0.0.0.0
// (drayos-web.md §4.3).
func FreeObject() IPObject {
	return IPObject{Type: ObjectSingle, Start: "0.0.0.0", End: "0.0.0.0", Mask: "0.0.0.0"}
}

// errBadObject is wrapped by every reason an object is refused.
var errBadObject = errors.New("invalid IP object")

// objectError is errBadObject with the field at fault, so that the form can
// name the field and the console can say what is wrong.
type objectError struct{ field, why string }

func (e *objectError) Error() string { return "invalid " + e.field + ": " + e.why }
func (e *objectError) Unwrap() error { return errBadObject }

// validObjectName reports whether a name fits: at most 15 printable ASCII
// characters without a double quote or a backslash [A].
func validObjectName(s string) bool {
	if len(s) > MaxObjectName {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e || s[i] == '"' || s[i] == '\\' {
			return false
		}
	}
	return true
}

// parseIPv4 reads a dotted IPv4 address; "" is 0.0.0.0.
func parseIPv4(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return netip.IPv4Unspecified(), true
	}
	a, err := netip.ParseAddr(s)
	return a, err == nil && a.Is4()
}

// maskBits returns the prefix length of a contiguous dotted mask; mask must
// be an IPv4 address.
func maskBits(mask netip.Addr) (int, bool) {
	b := mask.As4()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	bits := 0
	for bits < 32 && v&(1<<(31-bits)) != 0 {
		bits++
	}
	if bits < 32 && v<<bits != 0 {
		return 0, false
	}
	return bits, true
}

// normalized checks an object and returns it in the form the router keeps:
// canonical addresses, the fields its type does not use set to 0.0.0.0.
func (o IPObject) normalized() (IPObject, error) {
	if !validObjectName(o.Name) {
		return o, &objectError{"name", fmt.Sprintf("up to %d printable characters without quotes or backslashes", MaxObjectName)}
	}
	if o.Interface < InterfaceAny || o.Interface > InterfaceWAN {
		return o, &objectError{"interface", "want 0 (any), 1 (LAN) or 2 (WAN)"}
	}
	start, ok := parseIPv4(o.Start)
	if !ok {
		return o, &objectError{"start address", "not an IPv4 address"}
	}
	out := FreeObject()
	out.Name, out.Interface, out.Invert, out.Type, out.Start = o.Name, o.Interface, o.Invert, o.Type, start.String()
	switch o.Type {
	case ObjectSingle, 0:
		out.Type = ObjectSingle
	case ObjectRange:
		end, ok := parseIPv4(o.End)
		if !ok || end.Less(start) {
			return o, &objectError{"end address", "not an IPv4 address at or after the start"}
		}
		out.End = end.String()
	case ObjectSubnet:
		mask, ok := parseIPv4(o.Mask)
		if !ok {
			return o, &objectError{"mask", "not a contiguous IPv4 mask"}
		}
		if _, contiguous := maskBits(mask); !contiguous {
			return o, &objectError{"mask", "not a contiguous IPv4 mask"}
		}
		out.Mask = mask.String()
	default:
		return o, &objectError{"address type", "want 1 (single), 2 (range) or 3 (subnet); MAC objects are not supported"}
	}
	return out, nil
}

// free reports whether the object is unused: no name and start 0.0.0.0.
func (o IPObject) free() bool {
	return o.Name == "" && (o.Start == "" || o.Start == "0.0.0.0")
}

// contains reports whether the object's addresses hold a, ignoring Invert.
func (o IPObject) contains(a netip.Addr) bool {
	start, ok := parseIPv4(o.Start)
	if !ok || !a.Is4() {
		return false
	}
	switch o.Type {
	case ObjectRange:
		end, ok := parseIPv4(o.End)
		return ok && !a.Less(start) && !end.Less(a)
	case ObjectSubnet:
		mask, ok := parseIPv4(o.Mask)
		if !ok {
			return false
		}
		bits, contiguous := maskBits(mask)
		return contiguous && netip.PrefixFrom(start, bits).Masked().Contains(a)
	default:
		return a == start
	}
}

// matchesWAN reports whether the object selects a source on the WAN side:
// its interface is any or WAN, and its addresses hold the source (or, with
// Invert, do not).
func (o IPObject) matchesWAN(src netip.Addr) bool {
	if o.Interface == InterfaceLAN || !src.Is4() {
		return false
	}
	return o.contains(src) != o.Invert
}

// objectTypeNames are the address types as `object ip obj -v` and its -a
// option write them.
var objectTypeNames = map[ObjectType]string{ObjectSingle: "single", ObjectRange: "range", ObjectSubnet: "subnet"}

// interfaceNames are the interfaces as `object ip obj -v` writes them.
var interfaceNames = map[ObjectInterface]string{InterfaceAny: "Any", InterfaceLAN: "LAN", InterfaceWAN: "WAN"}

// orZero shows an unset address as 0.0.0.0.
func orZero(s string) string {
	if s == "" {
		return "0.0.0.0"
	}
	return s
}

// endOrMask is the "End/Mask ip address" of `object ip obj -v`.
func (o IPObject) endOrMask() string {
	switch o.Type {
	case ObjectRange:
		return orZero(o.End)
	case ObjectSubnet:
		return orZero(o.Mask)
	}
	return "0.0.0.0"
}

// profile is `object ip obj <n> -v` in the documented layout (drayos-web.md
// §4.3, sample from DrayTek's CLI reference).
func (o IPObject) profile(n int) string {
	typ := objectTypeNames[o.Type]
	if typ == "" {
		typ = "single"
	}
	invert := 0
	if o.Invert {
		invert = 1
	}
	return fmt.Sprintf(" IP Object Profile %d\n Name   :[%s]\n Interface:[%s]\n Address type:[%s]\n"+
		" Start ip address:[%s]\n End/Mask ip address:[%s]\n MAC Address:[00:00:00:00:00:00]\n Invert Selection:[%d]\n",
		n, o.Name, interfaceNames[o.Interface], typ, orZero(o.Start), o.endOrMask(), invert)
}
