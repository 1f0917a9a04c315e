package transfer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Detect tells the format of an export file from its content: the shape of
// its JSON (the top-level fields each app writes) or, for text, the scheme of
// its first non-empty line. It fails with ErrUnknownFormat, or ErrUnsupported
// for a recognised but unreadable variant (an encrypted Bitwarden export).
func Detect(data []byte) (Format, error) {
	data = trimBOM(data)
	t := bytes.TrimSpace(data)
	if len(t) == 0 {
		return "", fmt.Errorf("%w: the file is empty", ErrUnknownFormat)
	}
	switch t[0] {
	case '{':
		return detectObject(t)
	case '[':
		return detectArray(t)
	}
	line := firstLine(t)
	switch {
	case hasPrefixFold(line, "otpauth-migration://"):
		return FormatGoogle, nil
	case hasPrefixFold(line, "otpauth://"):
		return FormatURI, nil
	}
	return "", fmt.Errorf("%w: neither JSON nor otpauth:// URIs", ErrUnknownFormat)
}

func detectObject(data []byte) (Format, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return "", fmt.Errorf("%w: the JSON does not parse (%s)", ErrUnknownFormat, jsonProblem(err))
	}
	has := func(k string) bool { _, ok := top[k]; return ok }
	switch {
	case has("header") && has("db"):
		return FormatAegis, nil
	case has("schemaVersion") && (has("services") || has("servicesEncrypted")):
		return Format2FAS, nil
	case has("items") && has("encrypted"), has("items") && has("folders"):
		if string(top["encrypted"]) == "true" {
			return "", fmt.Errorf("%w: an encrypted Bitwarden export (export it from Bitwarden as unencrypted JSON)", ErrUnsupported)
		}
		return FormatBitwarden, nil
	case has("tokens"):
		return FormatFreeOTP, nil
	case has("entries") && has("version"):
		return FormatProton, nil
	}
	return "", fmt.Errorf("%w: JSON of no known authenticator app", ErrUnknownFormat)
}

func detectArray(data []byte) (Format, error) {
	var items []map[string]json.RawMessage
	if err := json.Unmarshal(data, &items); err != nil {
		return "", fmt.Errorf("%w: the JSON does not parse (%s)", ErrUnknownFormat, jsonProblem(err))
	}
	if len(items) == 0 {
		return "", fmt.Errorf("%w: an empty JSON list", ErrUnknownFormat)
	}
	if _, ok := items[0]["secret"]; ok {
		if _, ok := items[0]["type"]; ok {
			return FormatAndOTP, nil
		}
	}
	return "", fmt.Errorf("%w: a JSON list of no known authenticator app", ErrUnknownFormat)
}

// jsonProblem describes a JSON error without quoting the input (a syntax
// error's message never holds more than one character of it).
func jsonProblem(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("syntax error at byte %d", se.Offset)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("%s has the wrong type", fieldName(te.Field))
	}
	if err.Error() == "unexpected end of JSON input" {
		return "it ends too early"
	}
	return "invalid JSON"
}

func fieldName(f string) string {
	if f == "" {
		return "a value"
	}
	return "field " + printable(f)
}

func trimBOM(b []byte) []byte { return bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) }

func firstLine(b []byte) string {
	if i := bytes.IndexAny(b, "\r\n"); i >= 0 {
		b = b[:i]
	}
	return string(b)
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
