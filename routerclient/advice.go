package routerclient

import (
	_ "embed"
	"encoding/json"
	"strconv"
	"strings"
)

// The firmware tables of drayos-web.md §7 live in advice.json, each row
// with its source and date, so that updating them is a data change.
//
//go:embed advice.json
var adviceJSON []byte

type adviceTables struct {
	Comment        string `json:"comment"`
	TOTPDocumented []struct {
		Models []string `json:"models"`
		From   string   `json:"from"`
		Source string   `json:"source"`
		Date   string   `json:"date"`
	} `json:"totp_documented"`
	SafeMinimum []struct {
		Models   []string `json:"models"`
		Minimums []string `json:"minimums"`
		Source   string   `json:"source"`
		Date     string   `json:"date"`
	} `json:"safe_minimum"`
	Advisories []struct {
		ID      string `json:"id"`
		Title   string `json:"title"`
		Source  string `json:"source"`
		Date    string `json:"date"`
		FixedIn []struct {
			Models   []string `json:"models"`
			Firmware string   `json:"firmware"`
		} `json:"fixed_in"`
	} `json:"advisories"`
}

var tables = func() adviceTables {
	var t adviceTables
	if err := json.Unmarshal(adviceJSON, &t); err != nil {
		panic("routerclient: advice.json is invalid: " + err.Error())
	}
	return t
}()

// Advisory is a published vulnerability that applies to a router.
type Advisory struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	FixedIn string `json:"fixed_in"`
	Source  string `json:"source"`
	Date    string `json:"date"`
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
}

// FirmwareAdvice looks a model (such as "Vigor2927Lac" or "3910") and a
// firmware version up in the embedded tables. An unknown model gets no
// advice; an unparsable firmware version is treated as unknown.
func FirmwareAdvice(model, firmware string) Advice {
	adv := Advice{Advisories: []Advisory{}}
	code := modelCode(model)
	if code == "" || parseVersion(firmware) == nil {
		return adv
	}
	for _, row := range tables.TOTPDocumented {
		if modelIn(code, row.Models) && CompareVersions(firmware, row.From) >= 0 {
			adv.TOTPDocumented, adv.TOTPSource = true, row.Source+" ("+row.Date+")"
		}
	}
	for _, row := range tables.SafeMinimum {
		if !modelIn(code, row.Models) {
			continue
		}
		adv.MinimumSource = row.Source + " (" + row.Date + ")"
		adv.BelowSafeMinimum, adv.SafeMinimum = belowMinimum(firmware, row.Minimums)
	}
	for _, a := range tables.Advisories {
		for _, fix := range a.FixedIn {
			if modelIn(code, fix.Models) && CompareVersions(firmware, fix.Firmware) < 0 {
				adv.Advisories = append(adv.Advisories, Advisory{ID: a.ID, Title: a.Title, FixedIn: fix.Firmware, Source: a.Source, Date: a.Date})
			}
		}
	}
	return adv
}

// belowMinimum applies a list of per-branch minimums ("4.3.2.9 or
// 4.4.3.2"): below the lowest is below; on a listed branch the branch's
// minimum counts; on a newer unlisted branch the firmware is recent enough.
func belowMinimum(firmware string, minimums []string) (bool, string) {
	lowest := ""
	for _, m := range minimums {
		if lowest == "" || CompareVersions(m, lowest) < 0 {
			lowest = m
		}
	}
	if lowest == "" {
		return false, ""
	}
	if CompareVersions(firmware, lowest) < 0 {
		return true, lowest
	}
	fv := parseVersion(firmware)
	for _, m := range minimums {
		mv := parseVersion(m)
		if len(mv) >= 2 && len(fv) >= 2 && mv[0] == fv[0] && mv[1] == fv[1] {
			return CompareVersions(firmware, m) < 0, m
		}
	}
	// A branch between listed ones (4.4 when 4.3 and 4.5 are listed) is
	// judged by the next listed minimum above it.
	next := ""
	for _, m := range minimums {
		if CompareVersions(m, firmware) > 0 && (next == "" || CompareVersions(m, next) < 0) {
			next = m
		}
	}
	if next != "" {
		return true, next
	}
	return false, lowest
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

// parseVersion reads "4.4.5.8" into numbers; nil when it is not a version.
func parseVersion(v string) []int {
	v = strings.TrimPrefix(strings.TrimSpace(v), "v")
	if v == "" {
		return nil
	}
	parts := strings.Split(v, ".")
	if len(parts) > 8 {
		return nil
	}
	out := make([]int, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > 1<<20 {
			return nil
		}
		out[i] = n
	}
	return out
}

// CompareVersions compares dotted firmware versions numerically; missing
// parts count as 0 ("4.5.1" == "4.5.1.0"). Unparsable versions compare as
// older than any valid one.
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
