package routerclient

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// IP objects through the web console (drayos-web.md §4.3): `object ip obj
// <n> -v` shows one [C sample]; `-n <name>` and `-a <type> <start> [<end or
// mask>]` set one [A], each answering like mngt.

var objectProfileRE = regexp.MustCompile(`(?i)ip\s+object\s+profile\s+([0-9]+)`)

// parseObjectShow reads `object ip obj <n> -v`.
func parseObjectShow(out string, index int, p *Profile) (ipObject, error) {
	if m := objectProfileRE.FindStringSubmatch(out); m != nil {
		if n, _ := strconv.Atoi(m[1]); n != index {
			return ipObject{}, fmt.Errorf("%w: asked for IP object %d, the console showed %d", ErrUnexpectedResponse, index, n)
		}
	}
	raw := labelValues(out, p.Console.Labels)
	vals := map[string]string{"index": strconv.Itoa(index)}
	for key, col := range map[string]string{"obj_name": "name", "obj_interface": "interface", "obj_type": "type",
		"obj_start": "start", "obj_end_mask": "end_mask", "obj_invert": "invert"} {
		if v, ok := raw[key]; ok {
			vals[col] = unbracket(v)
		}
	}
	if _, ok := vals["start"]; !ok {
		return ipObject{}, fmt.Errorf("%w: the console shows no start address for IP object %d", ErrUnexpectedResponse, index)
	}
	o, ok := objectFromValues(vals)
	if !ok {
		return ipObject{}, fmt.Errorf("%w: IP object index %d is out of range", ErrUnexpectedResponse, index)
	}
	return o, nil
}

// unbracket removes the brackets the console writes around values.
func unbracket(v string) string {
	v = strings.TrimSpace(v)
	if strings.HasPrefix(v, "[") && strings.HasSuffix(v, "]") {
		v = v[1 : len(v)-1]
	}
	return strings.TrimSpace(v)
}

// showObject reads one object through the console.
func (s *Session) showObject(ctx context.Context, index int) (ipObject, error) {
	cmd, err := s.c.profile.command("object_show", "{index}", strconv.Itoa(index))
	if err != nil {
		return ipObject{}, err
	}
	out, err := s.console(ctx, cmd)
	if err != nil {
		return ipObject{}, err
	}
	return parseObjectShow(out, index, s.c.profile)
}

// writeObjectConsole sets an object's name and address through the
// console and reads it back. Nothing is committed here: the settings path
// commits once at the end.
func (s *Session) writeObjectConsole(ctx context.Context, o ipObject) (ipObject, error) {
	p := s.c.profile
	second := "" // a single address takes no second address
	switch o.Type {
	case objTypeSubnet:
		second = o.Mask
	case objTypeRange:
		second = o.End
	}
	idx := strconv.Itoa(o.Index)
	name, err := p.command("object_name", "{index}", idx, "{name}", o.Name)
	if err != nil {
		return ipObject{}, err
	}
	addr, err := p.command("object_address", "{index}", idx, "{type}", objTypeWord(o.Type), "{start}", o.Start, "{end}", second)
	if err != nil {
		return ipObject{}, err
	}
	for _, cmd := range []string{name, strings.TrimSpace(addr)} {
		out, err := s.console(ctx, cmd)
		if err != nil {
			return ipObject{}, fmt.Errorf("console %q: %w", commandVerb(cmd), err)
		}
		if consoleRefused(out) {
			return ipObject{}, fmt.Errorf("%w: %q answered %q", ErrConsole, commandVerb(cmd), truncate(strings.TrimSpace(out), 80))
		}
	}
	return s.showObject(ctx, o.Index)
}

// consoleRefused recognises an error reply (drayos-web.md §5).
func consoleRefused(out string) bool {
	l := strings.ToLower(out)
	for _, w := range []string{"invalid", "unknown", "error", "fail", "has been disabled", "denied", "incorrect", "not allowed"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}
