package routersim

import (
	"strings"
	"unicode"
)

// splitFields is strings.Fields that also returns where each field starts
// in line, so that a command can take the rest of the line as one value.
func splitFields(line string) (fields []string, at []int) {
	start := -1
	for i, ch := range line {
		switch {
		case unicode.IsSpace(ch) && start >= 0:
			fields, at = append(fields, line[start:i]), append(at, start)
			start = -1
		case !unicode.IsSpace(ch) && start < 0:
			start = i
		}
	}
	if start >= 0 {
		fields, at = append(fields, line[start:]), append(at, start)
	}
	return fields, at
}

// objectCommand runs `object ip obj <n> -v|-n <name>|-a <type> <start>
// [<end or mask>]` on st (drayos-web.md §4.3). f are the line's fields and
// at where they start. The name of -n is the rest of the line, so that it
// may hold spaces; surrounding double quotes are dropped, and `-n ""` frees
// the name. Nothing changes unless the whole command is valid.
func objectCommand(st *State, line string, f []string, at []int) string {
	if len(f) < 3 || !strings.EqualFold(f[1], "ip") || !strings.EqualFold(f[2], "obj") {
		return replyUnknown
	}
	if len(f) < 5 {
		return replyInvalid
	}
	n, ok := indexIn(f[3], MaxObjects)
	if !ok {
		return "% Invalid object index (1-192)."
	}
	obj := &st.Objects[n-1]
	switch strings.ToLower(f[4]) {
	case "-v":
		if len(f) != 5 {
			return replyInvalid
		}
		return obj.profile(n)
	case "-n":
		if len(f) < 6 {
			return replyInvalid
		}
		return setObjectName(obj, strings.TrimSpace(line[at[5]:]))
	case "-a":
		return setObjectAddress(obj, f[5:])
	}
	return replyInvalid
}

// setObjectName is `object ip obj <n> -n <name>`.
func setObjectName(obj *IPObject, name string) string {
	if len(name) >= 2 && name[0] == '"' && name[len(name)-1] == '"' {
		name = name[1 : len(name)-1]
	}
	if !validObjectName(name) {
		return "% Invalid name: up to 15 printable characters without quotes or backslashes."
	}
	obj.Name = name
	return replyOK
}

// setObjectAddress is `object ip obj <n> -a <single|range|subnet> <start>
// [<end or mask>]`: a single address takes no second value, a range its end
// and a subnet its mask.
func setObjectAddress(obj *IPObject, args []string) string {
	if len(args) == 0 {
		return replyInvalid
	}
	next := IPObject{Name: obj.Name, Interface: obj.Interface, Invert: obj.Invert}
	want := 2
	switch strings.ToLower(args[0]) {
	case "single":
		next.Type, want = ObjectSingle, 1
	case "range":
		next.Type = ObjectRange
	case "subnet":
		next.Type = ObjectSubnet
	default:
		return "% Invalid address type (single, range or subnet)."
	}
	if len(args)-1 != want {
		return replyInvalid
	}
	next.Start = args[1]
	if want == 2 {
		next.End, next.Mask = args[2], args[2]
	}
	norm, err := next.normalized()
	if err != nil {
		return "% Invalid parameter: " + err.Error() + "."
	}
	*obj = norm
	return replyOK
}
