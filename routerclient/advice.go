package routerclient

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Advisory is a published vulnerability that applies to a router.
type Advisory struct {
	ID    string   `json:"id"`
	CVEs  []string `json:"cves"`
	Title string   `json:"title"`
	// FixedIn names the fixed versions for the model, one per branch
	// ("4.4.3.6 or 4.4.5.1"); "" when the fix is not known.
	FixedIn string `json:"fixed_in"`
	// FixKnown is false for an advisory whose fixed firmware Gatekey does
	// not know: it applies to every model until the data says otherwise.
	FixKnown bool   `json:"fix_known"`
	Source   string `json:"source"`
	Date     string `json:"date"`
}

// Names returns the advisory's CVE names joined, or its ID.
func (a Advisory) Names() string {
	if len(a.CVEs) == 0 {
		return a.ID
	}
	return strings.Join(a.CVEs, ", ")
}

// Advice is what the tables say about one model and firmware.
type Advice struct {
	// TOTPDocumented: DrayTek documents remote-management TOTP for this
	// model from a version at or below this firmware. Other models may have
	// it too; the table is a hint.
	TOTPDocumented bool
	TOTPSource     string
	// BelowSafeMinimum: the firmware is older than DrayTek's minimum safe
	// version for its branch; SafeMinimum names that version.
	BelowSafeMinimum bool
	SafeMinimum      string
	MinimumSource    string
	// Advisories lists the advisories whose fix this firmware lacks.
	Advisories []Advisory
	// Unresolved lists the advisories whose fixed firmware is not known:
	// they may apply to any model and must be checked with the vendor.
	Unresolved []Advisory
	// Newest is the newest firmware seen for the model, for context.
	Newest string
	// Origin and Date name the copy of the tables used.
	Origin, Date string
}

// FirmwareAdvice looks a model (such as "Vigor2927Lac" or "3910") and a
// firmware version up in the embedded tables.
func FirmwareAdvice(model, firmware string) Advice { return EmbeddedAdvice().Lookup(model, firmware) }

// Lookup looks a model and firmware up. An unknown model or an unparsable
// version gets no model-specific advice; advisories whose fix is not known
// are listed whatever the model.
func (t *AdviceTables) Lookup(model, firmware string) Advice {
	adv := Advice{Advisories: []Advisory{}, Unresolved: []Advisory{}, Origin: t.Origin, Date: t.Date}
	for _, a := range t.data.Advisories {
		if !a.FixedKnown {
			adv.Unresolved = append(adv.Unresolved, a.advisory(""))
		}
	}
	code := modelCode(model)
	if code == "" || parseVersion(firmware) == nil {
		return adv
	}
	for _, row := range t.data.TOTPDocumented {
		if modelIn(code, row.Models) && CompareVersions(firmware, row.From) >= 0 {
			adv.TOTPDocumented, adv.TOTPSource = true, row.Source+" ("+row.Date+")"
		}
	}
	for _, row := range t.data.SafeMinimum {
		if modelIn(code, row.Models) {
			adv.MinimumSource = row.Source + " (" + row.Date + ")"
			adv.BelowSafeMinimum, adv.SafeMinimum = belowMinimum(firmware, row.Minimums)
		}
	}
	for _, row := range t.data.NewestFirmware {
		if modelIn(code, row.Models) {
			adv.Newest = row.Firmware
		}
	}
	for _, a := range t.data.Advisories {
		if fixes := a.fixesFor(code); len(fixes) > 0 && belowAll(firmware, fixes) {
			adv.Advisories = append(adv.Advisories, a.advisory(strings.Join(fixes, " or ")))
		}
	}
	return adv
}

func (a *advisoryEntry) advisory(fixedIn string) Advisory {
	return Advisory{ID: a.ID, CVEs: slices.Clone(a.CVEs), Title: a.Title, FixedIn: fixedIn, FixKnown: a.FixedKnown, Source: a.Source, Date: a.Date}
}

// fixesFor lists the fixed versions the advisory gives for a model.
func (a *advisoryEntry) fixesFor(code string) []string {
	var out []string
	for _, fix := range a.FixedIn {
		if modelIn(code, fix.Models) {
			out = append(out, fix.Firmware...)
		}
	}
	return out
}

// belowAll reports whether firmware is older than every fixed version: a
// version on another branch counts as that branch's fix (drayos-web.md §7),
// so a 1000B on 4.4.3.6 is fixed although 4.4.5.1 is listed too.
func belowAll(firmware string, fixes []string) bool {
	for _, f := range fixes {
		if CompareVersions(firmware, f) >= 0 {
			return false
		}
	}
	return true
}

// belowMinimum applies a list of per-branch minimums ("4.3.2.9 or
// 4.4.3.2"): below the lowest is below; on a listed branch the branch's
// minimum counts; a branch between listed ones (4.4 when 4.3 and 4.5 are
// listed) is judged by the next listed minimum above it; a newer branch is
// recent enough.
func belowMinimum(firmware string, minimums []string) (bool, string) {
	if len(minimums) == 0 {
		return false, ""
	}
	sorted := slices.Clone(minimums)
	slices.SortFunc(sorted, CompareVersions)
	if CompareVersions(firmware, sorted[0]) < 0 {
		return true, sorted[0]
	}
	fv := parseVersion(firmware)
	for _, m := range sorted {
		if mv := parseVersion(m); len(mv) >= 2 && len(fv) >= 2 && mv[0] == fv[0] && mv[1] == fv[1] {
			return CompareVersions(firmware, m) < 0, m
		}
	}
	for _, m := range sorted {
		if CompareVersions(m, firmware) > 0 {
			return true, m
		}
	}
	return false, sorted[0]
}

// modelCode reduces a model name to its number and letter suffix:
// "Vigor2927Lac" -> "2927LAC", "Vigor 3910" -> "3910".
func modelCode(model string) string {
	m := strings.ToUpper(strings.ReplaceAll(model, " ", ""))
	m = strings.TrimPrefix(m, "VIGOR")
	if m == "" || m[0] < '0' || m[0] > '9' {
		return ""
	}
	return m
}

// modelIn reports whether a model code is one of the table's models: the
// code starts with the table entry and does not continue with a digit
// ("2927LAC" is a 2927, "29270" is not).
func modelIn(code string, models []string) bool {
	for _, t := range models {
		t = strings.ToUpper(t)
		if strings.HasPrefix(code, t) && (len(code) == len(t) || code[len(t)] < '0' || code[len(t)] > '9') {
			return true
		}
	}
	return false
}

// versionRE takes the numbers of a version; a suffix such as "_BT" after
// them (drayos-web.md §1) is not part of the comparison.
var versionRE = regexp.MustCompile(`^v?([0-9]+(?:\.[0-9]+)*)(?:$|[^0-9.])`)

// parseVersion reads "4.4.5.8" or "4.4.2_BT" into numbers; nil when it is
// not a version.
func parseVersion(v string) []int {
	m := versionRE.FindStringSubmatch(strings.TrimSpace(v))
	if m == nil {
		return nil
	}
	parts := strings.Split(m[1], ".")
	if len(parts) > 8 {
		return nil
	}
	out := make([]int, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n > 1<<20 {
			return nil
		}
		out[i] = n
	}
	return out
}

// CompareVersions compares firmware versions by their numbers; missing
// parts count as 0 ("4.5.1" == "4.5.1.0") and suffixes are ignored
// ("4.4.2_BT" == "4.4.2"). Unparsable versions compare as older than any
// valid one.
func CompareVersions(a, b string) int {
	va, vb := parseVersion(a), parseVersion(b)
	switch {
	case va == nil && vb == nil:
		return 0
	case va == nil:
		return -1
	case vb == nil:
		return 1
	}
	for i := 0; i < len(va) || i < len(vb); i++ {
		x, y := 0, 0
		if i < len(va) {
			x = va[i]
		}
		if i < len(vb) {
			y = vb[i]
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
