package vault

import (
	"bytes"
	"encoding/json"
	"errors"
)

// The functions here walk JSON, handing out sub-slices of the input instead
// of decoding into maps: opening a vault of 10,000 entries through
// encoding/json maps took well over its 100 ms budget. They check the
// structure they walk (brackets, commas, colons, string ends) but not the
// values they skip, so callers either validate the whole input first
// (parseDB) or validate every value they keep (parseFile).

var errNotObject = errors.New("not a JSON object")
var errNotArray = errors.New("not a JSON array")
var errTruncated = errors.New("truncated JSON")

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index just past the string starting at b[i]. It
// jumps from quote to quote (IndexByte is vectorized) and counts the
// backslashes before each to tell an escaped quote from the end.
func skipString(b []byte, i int) int {
	start := i + 1
	for i = start; i <= len(b); {
		j := bytes.IndexByte(b[i:], '"')
		if j < 0 {
			break
		}
		k := i + j
		n := 0
		for p := k - 1; p >= start && b[p] == '\\'; p-- {
			n++
		}
		if n%2 == 0 {
			return k + 1
		}
		i = k + 1
	}
	return len(b) + 1
}

// skipValue returns the index just past the value starting at b[i].
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return len(b) + 1
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				i = skipString(b, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
		return len(b) + 1
	}
	for i < len(b) && b[i] != ',' && b[i] != '}' && b[i] != ']' && b[i] != ' ' && b[i] != '\t' && b[i] != '\n' && b[i] != '\r' {
		i++
	}
	return i
}

// eachMember calls fn for each member of the object in b, with the key as
// raw (still quoted and escaped) bytes and the value as raw JSON. Only
// white space may follow the object.
func eachMember(b []byte, fn func(key, val []byte) error) error {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return errNotObject
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return checkEnd(b, i+1)
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return errTruncated
		}
		end := skipString(b, i)
		if end > len(b) {
			return errTruncated
		}
		key := b[i:end]
		i = skipSpace(b, end)
		if i >= len(b) || b[i] != ':' {
			return errTruncated
		}
		i = skipSpace(b, i+1)
		vend := skipValue(b, i)
		if vend > len(b) || vend == i {
			return errTruncated
		}
		if err := fn(key, b[i:vend]); err != nil {
			return err
		}
		i = skipSpace(b, vend)
		switch {
		case i >= len(b):
			return errTruncated
		case b[i] == '}':
			return checkEnd(b, i+1)
		case b[i] != ',':
			return errTruncated
		}
		i = skipSpace(b, i+1)
	}
}

// eachElement calls fn for each element of the array in b.
func eachElement(b []byte, fn func(val []byte) error) error {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '[' {
		return errNotArray
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == ']' {
		return checkEnd(b, i+1)
	}
	for {
		vend := skipValue(b, i)
		if vend > len(b) || vend == i {
			return errTruncated
		}
		if err := fn(b[i:vend]); err != nil {
			return err
		}
		i = skipSpace(b, vend)
		switch {
		case i >= len(b):
			return errTruncated
		case b[i] == ']':
			return checkEnd(b, i+1)
		case b[i] != ',':
			return errTruncated
		}
		i = skipSpace(b, i+1)
	}
}

func checkEnd(b []byte, i int) error {
	if skipSpace(b, i) != len(b) {
		return errors.New("text after the end of the JSON value")
	}
	return nil
}

// unquoteKey returns a raw key's text; `switch string(unquoteKey(k))`
// compares it without allocating.
func unquoteKey(raw []byte) []byte {
	if bytes.IndexByte(raw, '\\') < 0 {
		return raw[1 : len(raw)-1]
	}
	s, _, _ := rawString(raw)
	return []byte(s)
}

// validJSON checks data once before it is walked, reporting where it
// stops being JSON.
func validJSON(data []byte) error {
	if json.Valid(data) {
		return nil
	}
	// Unmarshalling into a RawMessage checks the syntax and reports the
	// offset without building strings of the values, which may be secrets.
	var v json.RawMessage
	return jsonError(json.Unmarshal(data, &v))
}
