package routerclient

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseSetting changes one setting from a CLI KEY and VALUE: booleans are
// on/off (yes/no, true/false and 1/0 are accepted), ports 1-65535,
// access_list, ipv6_access_list and brute_force_services comma-separated.
func (m *Management) ParseSetting(key, value string) error {
	key = strings.ToLower(strings.TrimSpace(key))
	value = strings.TrimSpace(value)
	if isTLSKey(key) && m.TLS == nil {
		m.TLS = &TLSVersions{}
	}
	if strings.HasPrefix(key, "ipv6_") && m.IPv6 == nil && contains(SettingKeys, key) {
		m.IPv6 = &IPv6{AccessList: []string{}}
	}
	if b := m.boolField(key); b != nil {
		v, err := parseOnOff(value)
		if err != nil {
			return fmt.Errorf("%w: %s=%s: %w", ErrBadSetting, key, truncate(value, 30), err)
		}
		*b = v
		return nil
	}
	if n := m.intField(key); n != nil {
		v, err := parseBounded(key, value)
		if err != nil {
			return err
		}
		*n = v
		return nil
	}
	return m.parseListSetting(key, value)
}

// parseBounded reads a port, a failure count or a penalty in seconds.
func parseBounded(key, value string) (int, error) {
	limit := 65535
	switch key {
	case "brute_force_failures":
		limit = 255
	case "brute_force_penalty":
		limit = 86400 * 7
	}
	v, err := strconv.Atoi(value)
	if err != nil || v < 1 || v > limit {
		return 0, fmt.Errorf("%w: %s=%s: want a whole number from 1 to %d", ErrBadSetting, key, truncate(value, 30), limit)
	}
	return v, nil
}

func (m *Management) parseListSetting(key, value string) error {
	switch key {
	case "access_list":
		list, err := ParseAccessList(value)
		if err != nil {
			return fmt.Errorf("%w: access_list: %w", ErrBadSetting, err)
		}
		m.AccessList = list
		return nil
	case "ipv6_access_list":
		list, err := ParseIPv6AccessList(value)
		if err != nil {
			return fmt.Errorf("%w: ipv6_access_list: %w", ErrBadSetting, err)
		}
		m.IPv6.AccessList = list
		return nil
	case "brute_force_services":
		list, err := parseServices(value)
		if err != nil {
			return err
		}
		m.BruteForceServices = list
		return nil
	}
	return fmt.Errorf("%w: unknown key %q (known: %s)", ErrBadSetting, truncate(key, 30), strings.Join(SettingKeys, ", "))
}

func parseServices(value string) ([]string, error) {
	list := []string{}
	for _, w := range strings.Split(value, ",") {
		if w = strings.TrimSpace(w); w == "" {
			continue
		}
		svc := canonicalService(w)
		if svc == "" {
			return nil, fmt.Errorf("%w: brute_force_services: %q is not one of %s", ErrBadSetting, truncate(w, 20), strings.Join(bruteForceServices, ", "))
		}
		if !contains(list, svc) {
			list = append(list, svc)
		}
	}
	sortServices(list)
	return list, nil
}

func parseOnOff(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "on", "yes", "true", "1", "enable", "enabled":
		return true, nil
	case "off", "no", "false", "0", "disable", "disabled":
		return false, nil
	}
	return false, fmt.Errorf("want on or off")
}

// ApplySettings returns m with every "KEY=VALUE" of args applied, so that
// `gatekey router set NAME KEY=VALUE...` is a loop over ParseSetting.
func ApplySettings(m Management, args []string) (Management, error) {
	out := m.Clone()
	for _, a := range args {
		k, v, ok := strings.Cut(a, "=")
		if !ok {
			return m, fmt.Errorf("%w: %q is not KEY=VALUE", ErrBadSetting, truncate(a, 30))
		}
		if err := out.ParseSetting(k, v); err != nil {
			return m, err
		}
	}
	return out, nil
}
