package routerclient

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The embedded tables against the advisories of drayos-web.md §7: which
// advisories a model and firmware lack the fix of, with branches counting
// as their own fix, and suffixes ignored.
var adviceCases = []struct {
	model, fw   string
	totp, below bool
	advisories  []string
}{
	{"Vigor2927Lac", "4.5.2.2", true, false, nil},
	{"Vigor2927", "4.4.5.1", true, true, []string{"CVE-2024-41335", "CVE-2025-10547"}},
	{"Vigor2927", "4.4.5.3", true, true, []string{"CVE-2025-10547"}},
	{"Vigor 3910", "4.3.5", true, false, []string{"CVE-2025-10547"}},
	{"3910", "4.4.0", true, true, []string{"CVE-2025-10547"}},
	{"3910", "4.4.3.6", true, false, nil},
	{"3910", "4.3.2.6", true, true, []string{"CVE-2024-41335", "CVE-2025-10547"}},
	{"Vigor2962", "4.3.2.8", true, true, []string{"CVE-2025-10547"}},
	// Two branches: 4.4.3.6 and 4.4.5.1 both fix CVE-2025-10547.
	{"Vigor2962", "4.4.3.6", true, false, nil},
	{"Vigor2962", "4.4.5.1", true, false, nil},
	{"Vigor1000B", "4.4.3.6", false, false, nil},
	{"Vigor1000B", "4.4.3.5", false, false, []string{"CVE-2025-10547"}},
	{"Vigor3912", "4.4.3.1", false, true, []string{"CVE-2025-10547"}},
	{"Vigor2865", "4.3.0", false, true, []string{"CVE-2024-41335", "CVE-2025-10547"}},
	// A suffix does not hide the numbers.
	{"Vigor2865", "4.4.2_BT", true, true, []string{"CVE-2024-41335", "CVE-2025-10547"}},
	{"Vigor2135", "4.5.1", false, false, nil},
	{"Vigor2926", "3.9.9.11", false, false, []string{"CVE-2025-10547"}},
	{"Vigor2860", "3.9.8.2", false, true, []string{"CVE-2025-10547"}},
	{"Vigor9999", "1.0", false, false, nil},
	{"Vigor29270", "1.0", false, false, nil},
	{"", "", false, false, nil},
}

func TestFirmwareAdvice(t *testing.T) {
	for _, tc := range adviceCases {
		a := FirmwareAdvice(tc.model, tc.fw)
		var ids []string
		for _, adv := range a.Advisories {
			ids = append(ids, adv.ID)
			if adv.Source == "" || adv.Date == "" || adv.FixedIn == "" || !adv.FixKnown {
				t.Errorf("%s %s: advisory %+v lacks a source, date or fix", tc.model, tc.fw, adv)
			}
		}
		if a.TOTPDocumented != tc.totp || a.BelowSafeMinimum != tc.below || strings.Join(ids, " ") != strings.Join(tc.advisories, " ") {
			t.Errorf("%s %s: totp %v below %v advisories %v, want %v %v %v", tc.model, tc.fw, a.TOTPDocumented, a.BelowSafeMinimum, ids,
				tc.totp, tc.below, tc.advisories)
		}
		checkUnresolved(t, a)
	}
}

// checkUnresolved checks that the advisories without a known fix apply,
// named, whatever the model, from the embedded copy.
func checkUnresolved(t *testing.T, a Advice) {
	t.Helper()
	if len(a.Unresolved) != 2 || a.Unresolved[0].ID != "CVE-2025-20710" || len(a.Unresolved[1].CVEs) != 7 || a.Unresolved[1].FixKnown {
		t.Errorf("unresolved %+v", a.Unresolved)
	}
	if a.Origin != EmbeddedAdviceOrigin || a.Date == "" {
		t.Errorf("origin %q date %q", a.Origin, a.Date)
	}
}

func TestCompareVersions(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{
		{"4.5.1", "4.5.1.0", 0},
		{"3.9.9.12", "3.9.9.8", 1},
		{"4.4.2_BT", "4.4.2", 0},
		{"4.4.2_BT", "4.4.3", -1},
		{"v4.4.5", "4.4.5", 0},
		{"garbage", "1.0", -1},
		{"", "", 0},
	}
	for _, tc := range cases {
		if got := CompareVersions(tc.a, tc.b); got != tc.want {
			t.Errorf("CompareVersions(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

// advice.json in the Gatekey folder replaces the embedded copy; a bad file
// is an error that names it; no file means the embedded copy.
func TestLoadAdvice(t *testing.T) {
	dir := t.TempDir()
	missing, err := LoadAdvice(filepath.Join(dir, "advice.json"))
	if err != nil || missing != EmbeddedAdvice() {
		t.Fatalf("no file: %v, %v", missing, err)
	}
	newer := strings.Replace(string(adviceJSON), `"date": "2026-10"`, `"date": "2027-01"`, 1)
	newer = strings.Replace(newer, `"fixed_firmware_known": false
    },`, `"fixed_firmware_known": true,
      "fixed_in": [{"models": ["2927"], "firmware": ["4.5.3"]}]
    },`, 1)
	path := filepath.Join(dir, "advice.json")
	if err := os.WriteFile(path, []byte(newer), 0o600); err != nil {
		t.Fatal(err)
	}
	tab, err := LoadAdvice(path)
	if err != nil {
		t.Fatal(err)
	}
	a := tab.Lookup("Vigor2927", "4.5.2.2")
	if a.Origin != path || a.Date != "2027-01" || len(a.Advisories) != 1 || a.Advisories[0].ID != "CVE-2025-20710" || len(a.Unresolved) != 1 {
		t.Errorf("the file's advice was not used: %+v", a)
	}
	rep := AuditChecks(AuditInput{Model: "Vigor2927", Firmware: "4.5.2.2", Advice: tab, Management: Management{AccessList: []string{}}})
	found := false
	for _, c := range rep {
		if c.ID == "advice_source" && strings.Contains(c.Title, path) && strings.Contains(c.Title, "2027-01") {
			found = true
		}
	}
	if !found {
		t.Errorf("the audit does not name the file and its date: %+v", rep)
	}
}

func TestLoadAdviceRefusesBadFiles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "advice.json")
	for name, bad := range map[string]string{
		"not json":     "{",
		"unknown key":  `{"date": "2026-10", "colour": 1}`,
		"bad date":     `{"date": "last week"}`,
		"bad version":  `{"date": "2026-10", "safe_minimum": [{"models": ["2927"], "minimums": ["new"], "source": "x", "date": "2026-10"}]}`,
		"no source":    `{"date": "2026-10", "totp_documented": [{"models": ["2927"], "from": "4.3", "date": "2026-10"}]}`,
		"fix but none": `{"date": "2026-10", "advisories": [{"id": "X", "title": "t", "source": "s", "date": "2026-10", "fixed_firmware_known": true}]}`,
		"too large":    `{"comment": "` + strings.Repeat("x", maxAdviceSize) + `"}`,
	} {
		if err := os.WriteFile(path, []byte(bad), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := LoadAdvice(path)
		if !errors.Is(err, ErrBadAdvice) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: %v, want ErrBadAdvice naming the file", name, err)
		}
	}
}

func FuzzParseAdvice(f *testing.F) {
	f.Add(string(adviceJSON))
	f.Add(`{"date": "2026-10"}`)
	f.Fuzz(func(t *testing.T, data string) {
		tab, err := ParseAdvice(strings.NewReader(data), "fuzz")
		if err != nil {
			return
		}
		for _, tc := range adviceCases {
			tab.Lookup(tc.model, tc.fw) // must not panic on accepted data
		}
	})
}
