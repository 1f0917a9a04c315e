package vault

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"unicode/utf8"
)

// object is a JSON object kept as raw values, so that fields this package
// does not understand are written back as they were read.
type object map[string]json.RawMessage

// clone copies o and its values.
func (o object) clone() object {
	if o == nil {
		return nil
	}
	c := make(object, len(o))
	for k, v := range o {
		c[k] = bytes.Clone(v)
	}
	return c
}

// zero overwrites every value, for objects that may hold secrets.
func (o object) zero() {
	for _, v := range o {
		clear(v)
	}
}

// appendExtra writes the fields of o whose names are not in known, in a
// stable (sorted) order, each preceded by a comma.
func appendExtra(b []byte, o object, known []string) []byte {
	if len(o) == 0 {
		return b
	}
	keys := make([]string, 0, len(o))
	for k := range o {
		if !slices.Contains(known, k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		b = append(b, ',')
		b = appendString(b, k)
		b = append(b, ':')
		b = append(b, o[k]...)
	}
	return b
}

// appendKey writes `,"key":` (without the comma when first is true).
func appendKey(b []byte, key string, first bool) []byte {
	if !first {
		b = append(b, ',')
	}
	b = appendString(b, key)
	return append(b, ':')
}

func appendInt(b []byte, n int64) []byte { return strconv.AppendInt(b, n, 10) }

func appendBool(b []byte, v bool) []byte { return strconv.AppendBool(b, v) }

// appendString writes s as a JSON string. Invalid UTF-8 becomes U+FFFD, as
// encoding/json does.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				const hexDigits = "0123456789abcdef"
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, "\uFFFD"...)
			i++
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// stringLen is the length of appendString's output for s, computed the
// same way without writing it.
func stringLen(s string) int {
	n := 2
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c >= 0x20 && c != '"' && c != '\\':
				n++
			case c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t':
				n += 2
			default:
				n += 6
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			n += len("\uFFFD")
		} else {
			n += size
		}
		i += size
	}
	return n
}

// rawString reads a JSON string value; null reads as "" with isNull set.
// Plain strings (no escapes) are sliced without going through the decoder,
// which keeps opening a large vault fast.
func rawString(raw json.RawMessage) (s string, isNull bool, err error) {
	if string(raw) == "null" {
		return "", true, nil
	}
	if len(raw) >= 2 && raw[0] == '"' && raw[len(raw)-1] == '"' && bytes.IndexByte(raw, '\\') < 0 {
		return string(raw[1 : len(raw)-1]), false, nil
	}
	err = json.Unmarshal(raw, &s)
	return s, false, err
}

// rawInt reads a JSON integer.
func rawInt(raw json.RawMessage) (int64, error) {
	return strconv.ParseInt(string(raw), 10, 64)
}

// rawBool reads a JSON boolean; null reads as false.
func rawBool(raw json.RawMessage) (bool, error) {
	switch string(raw) {
	case "true":
		return true, nil
	case "false", "null":
		return false, nil
	}
	return false, errNotBool
}

var errNotBool = jsonTypeError("not true or false")

type jsonTypeError string

func (e jsonTypeError) Error() string { return string(e) }
