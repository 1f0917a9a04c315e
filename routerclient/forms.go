package routerclient

import (
	"fmt"
	"strings"
)

// htmlForm is a form as a browser would submit it: fields in page order,
// with their state. The client always posts the whole form back with its
// changes (drayos-web.md §4) so that fields it does not understand survive.
type htmlForm struct {
	Action string
	Method string
	Fields []*formField
}

type formField struct {
	Name, Type, Value string // Type is lower case: text, hidden, checkbox, radio, select, textarea, ...
	ID, Placeholder   string
	Label             string
	Checked, Disabled bool
	HasValue          bool     // the value attribute was present (checkboxes)
	Options           []string // select: option values
}

// visible reports whether a person could type into the field.
func (f *formField) visible() bool {
	switch f.Type {
	case "", "text", "number", "tel", "email", "search", "password":
		return true
	}
	return false
}

// field returns the first field of that name, case-insensitively, as the
// router's CGI names are not case-sensitive in practice.
func (f *htmlForm) field(name string) *formField {
	for _, fl := range f.Fields {
		if strings.EqualFold(fl.Name, name) && name != "" {
			return fl
		}
	}
	return nil
}

// fieldsNamed returns every field of that name (radio groups).
func (f *htmlForm) fieldsNamed(name string) []*formField {
	var out []*formField
	for _, fl := range f.Fields {
		if strings.EqualFold(fl.Name, name) && name != "" {
			out = append(out, fl)
		}
	}
	return out
}

// boolValue reads a yes/no setting from a checkbox, a radio group, a select
// or a text field holding a word such as on, 1 or enable.
func (f *htmlForm) boolValue(name string) (bool, error) {
	fields := f.fieldsNamed(name)
	if len(fields) == 0 {
		return false, fmt.Errorf("%w: the form has no field %q", ErrUnexpectedResponse, name)
	}
	first := fields[0]
	switch first.Type {
	case "checkbox":
		return first.Checked, nil
	case "radio":
		for _, r := range fields {
			if r.Checked {
				return parseBoolWord(r.Value)
			}
		}
		return false, nil
	default:
		return parseBoolWord(first.Value)
	}
}

// setBool changes a yes/no field the way a person would.
func (f *htmlForm) setBool(name string, v bool) error {
	fields := f.fieldsNamed(name)
	if len(fields) == 0 {
		return fmt.Errorf("%w: the form has no field %q", ErrUnexpectedResponse, name)
	}
	first := fields[0]
	first.Disabled = false
	switch first.Type {
	case "checkbox":
		first.Checked = v
		return nil
	case "radio":
		found := false
		for _, r := range fields {
			b, err := parseBoolWord(r.Value)
			r.Checked = err == nil && b == v && !found
			found = found || r.Checked
		}
		if !found {
			return fmt.Errorf("%w: no choice of %q means %v", ErrUnexpectedResponse, name, v)
		}
		return nil
	case "select":
		for _, o := range first.Options {
			if b, err := parseBoolWord(o); err == nil && b == v {
				first.Value = o
				return nil
			}
		}
		return fmt.Errorf("%w: no option of %q means %v", ErrUnexpectedResponse, name, v)
	default:
		first.Value = map[bool]string{true: "1", false: "0"}[v]
		return nil
	}
}

// value returns the current value of a text, hidden, select or radio field.
func (f *htmlForm) value(name string) (string, bool) {
	fields := f.fieldsNamed(name)
	if len(fields) == 0 {
		return "", false
	}
	if fields[0].Type == "radio" {
		for _, r := range fields {
			if r.Checked {
				return r.Value, true
			}
		}
		return "", true
	}
	return fields[0].Value, true
}

// setValue changes a text or select field, or checks the radio of that value.
func (f *htmlForm) setValue(name, v string) error {
	fields := f.fieldsNamed(name)
	if len(fields) == 0 {
		return fmt.Errorf("%w: the form has no field %q", ErrUnexpectedResponse, name)
	}
	fields[0].Disabled = false
	if fields[0].Type == "radio" {
		found := false
		for _, r := range fields {
			r.Checked = strings.EqualFold(r.Value, v) && !found
			found = found || r.Checked
		}
		if !found {
			return fmt.Errorf("%w: %q has no choice %q", ErrUnexpectedResponse, name, v)
		}
		return nil
	}
	fields[0].Value = v
	return nil
}

// setChoice sets a field to value; a select or radio group takes the first
// choice that match accepts (or whose value is value when match is nil).
func (f *htmlForm) setChoice(name, value string, match func(string) bool) error {
	fields := f.fieldsNamed(name)
	if len(fields) == 0 {
		return fmt.Errorf("%w: the form has no field %q", ErrUnexpectedResponse, name)
	}
	if match == nil {
		match = func(opt string) bool { return strings.EqualFold(opt, value) }
	}
	first := fields[0]
	switch first.Type {
	case "select":
		for _, o := range first.Options {
			if match(o) {
				first.Value, first.Disabled = o, false
				return nil
			}
		}
		return fmt.Errorf("%w: %q has no choice for %q", ErrUnexpectedResponse, name, truncate(value, 20))
	case "radio":
		for _, r := range fields {
			if match(r.Value) {
				return f.setValue(name, r.Value)
			}
		}
		return fmt.Errorf("%w: %q has no choice for %q", ErrUnexpectedResponse, name, truncate(value, 20))
	}
	return f.setValue(name, value)
}

// clone returns a deep copy, so that a cached form survives a failed write.
func (f *htmlForm) clone() *htmlForm {
	out := &htmlForm{Action: f.Action, Method: f.Method, Fields: make([]*formField, len(f.Fields))}
	for i, fl := range f.Fields {
		c := *fl
		c.Options = append([]string(nil), fl.Options...)
		out.Fields[i] = &c
	}
	return out
}

// encode returns the form as a browser submits it, with extra fields
// replacing or following the form's own. No name is sent twice: the
// router's parser takes the first occurrence (drayos-web.md §4).
func (f *htmlForm) encode(extra [][2]string) string {
	overrides := map[string]string{}
	for _, kv := range extra {
		overrides[strings.ToLower(kv[0])] = kv[1]
	}
	seen := map[string]bool{}
	var pairs [][2]string
	add := func(k, v string) {
		lk := strings.ToLower(k)
		if k == "" || seen[lk] {
			return
		}
		seen[lk] = true
		if o, ok := overrides[lk]; ok {
			v = o
		}
		pairs = append(pairs, [2]string{k, v})
	}
	for _, fl := range f.Fields {
		if v, ok := fl.submitted(); ok {
			add(fl.Name, v)
		}
	}
	for _, kv := range extra {
		add(kv[0], kv[1])
	}
	return encodePairs(pairs)
}

// submitted returns the value a browser sends for the field, and whether
// it sends one: not for disabled fields, buttons, files or unchecked
// boxes; "on" for a checked box without a value (plain HTML).
func (fl *formField) submitted() (string, bool) {
	if fl.Disabled || fl.Name == "" {
		return "", false
	}
	switch fl.Type {
	case "submit", "button", "reset", "image", "file":
		return "", false
	case "checkbox":
		if !fl.HasValue {
			return "on", fl.Checked
		}
		return fl.Value, fl.Checked
	case "radio":
		return fl.Value, fl.Checked
	}
	return fl.Value, true
}
