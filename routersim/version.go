package routersim

import (
	"strconv"
	"strings"
)

// totpMinimum is the first firmware with documented remote-management TOTP
// per model (drayos-web.md §7, from DrayTek's notes).
var totpMinimum = map[string]string{
	"2765": "4.4.1", "2766": "4.4.1",
	"2865": "4.3.1", "2866": "4.3.1",
	"2927": "4.3.2",
	"2962": "4.3.1", "3910": "4.3.1",
}

// totpDocumented reports whether DrayTek documents TOTP for this model and
// firmware. Only the leading number of the model counts ("Vigor2927Lac" is a
// 2927).
func totpDocumented(model, firmware string) bool {
	num := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(model), "Vigor"))
	end := 0
	for end < len(num) && num[end] >= '0' && num[end] <= '9' {
		end++
	}
	min, ok := totpMinimum[num[:end]]
	return ok && compareVersions(firmware, min) >= 0
}

// compareVersions compares dotted numeric versions by their numeric part: a
// suffix such as "_BT" in "4.4.2_BT" ends the version (drayos-web.md §1), and
// a missing part counts as 0.
func compareVersions(a, b string) int {
	pa, pb := versionParts(a), versionParts(b)
	for i := 0; i < len(pa) || i < len(pb); i++ {
		var x, y int
		if i < len(pa) {
			x = pa[i]
		}
		if i < len(pb) {
			y = pb[i]
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}

// versionParts returns the numbers of the version's leading numeric part:
// "4.4.2_BT" is 4, 4, 2.
func versionParts(v string) []int {
	var parts []int
	for _, p := range strings.Split(strings.TrimSpace(v), ".") {
		end := 0
		for end < len(p) && end < 9 && p[end] >= '0' && p[end] <= '9' {
			end++
		}
		if end == 0 {
			break
		}
		n, _ := strconv.Atoi(p[:end])
		parts = append(parts, n)
		if end < len(p) {
			break
		}
	}
	return parts
}
