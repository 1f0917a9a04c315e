package routerclient

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"regexp"

	"github.com/gatekey/gatekey/internal/readlimit"
)

// The firmware tables of drayos-web.md §7 live in advice.json, each row
// with its source and date, so that updating them is a data change. The
// copy built into Gatekey can be replaced by a newer advice.json in the
// Gatekey folder, so that an administrator updates advice without a new
// release; the audit names the copy it used.
//
//go:embed advice.json
var adviceJSON []byte

// EmbeddedAdviceOrigin is the AdviceTables.Origin of the built-in copy.
const EmbeddedAdviceOrigin = "embedded"

// maxAdviceSize bounds an advice file; the built-in one is a few kilobytes.
const maxAdviceSize = 1 << 20

// maxAdviceRows bounds every table of an advice file.
const maxAdviceRows = 2000

// AdviceTables is one copy of the firmware advice: where it came from, its
// date, and its tables. It is read-only once loaded.
type AdviceTables struct {
	// Origin is EmbeddedAdviceOrigin or the path of the file.
	Origin string
	// Date is the date of the data, such as "2026-10".
	Date string
	data adviceFile
}

type adviceFile struct {
	Comment        string          `json:"comment"`
	Date           string          `json:"date"`
	TOTPDocumented []totpRow       `json:"totp_documented"`
	SafeMinimum    []minimumRow    `json:"safe_minimum"`
	NewestFirmware []newestRow     `json:"newest_firmware"`
	Advisories     []advisoryEntry `json:"advisories"`
}

type totpRow struct {
	Models []string `json:"models"`
	From   string   `json:"from"`
	Source string   `json:"source"`
	Date   string   `json:"date"`
}

type minimumRow struct {
	Models   []string `json:"models"`
	Minimums []string `json:"minimums"`
	Source   string   `json:"source"`
	Date     string   `json:"date"`
}

type newestRow struct {
	Models   []string `json:"models"`
	Firmware string   `json:"firmware"`
	Source   string   `json:"source"`
	Date     string   `json:"date"`
}

type advisoryEntry struct {
	ID         string   `json:"id"`
	CVEs       []string `json:"cves"`
	Title      string   `json:"title"`
	Source     string   `json:"source"`
	Date       string   `json:"date"`
	FixedKnown bool     `json:"fixed_firmware_known"`
	FixedIn    []struct {
		Models   []string `json:"models"`
		Firmware []string `json:"firmware"` // one fixed version per branch
	} `json:"fixed_in"`
}

var embeddedAdvice = func() *AdviceTables {
	t, err := ParseAdvice(bytes.NewReader(adviceJSON), EmbeddedAdviceOrigin)
	if err != nil {
		panic("routerclient: the built-in advice.json is invalid: " + err.Error())
	}
	return t
}()

// EmbeddedAdvice returns the advice built into Gatekey.
func EmbeddedAdvice() *AdviceTables { return embeddedAdvice }

// LoadAdvice returns the advice in the file at path, or the embedded copy
// when there is no such file. A file that exists but is not valid advice is
// an error naming the file (wrapping ErrBadAdvice), never a silent fallback.
func LoadAdvice(path string) (*AdviceTables, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return EmbeddedAdvice(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrBadAdvice, path, err)
	}
	defer f.Close()
	return ParseAdvice(f, path)
}

// ParseAdvice reads advice in the advice.json format; origin names the
// copy in messages and in the audit.
func ParseAdvice(r io.Reader, origin string) (*AdviceTables, error) {
	data, err := readlimit.All(r, maxAdviceSize)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrBadAdvice, origin, err)
	}
	var af adviceFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&af); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrBadAdvice, origin, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: %s: text after the JSON object", ErrBadAdvice, origin)
	}
	if err := af.validate(); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrBadAdvice, origin, err)
	}
	return &AdviceTables{Origin: origin, Date: af.Date, data: af}, nil
}

var adviceDateRE = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$`)

func (af *adviceFile) validate() error {
	if !adviceDateRE.MatchString(af.Date) {
		return fmt.Errorf("date %q: want YYYY-MM or YYYY-MM-DD", truncate(af.Date, 20))
	}
	if len(af.TOTPDocumented)+len(af.SafeMinimum)+len(af.NewestFirmware)+len(af.Advisories) > maxAdviceRows {
		return fmt.Errorf("more than %d rows", maxAdviceRows)
	}
	for i, r := range af.TOTPDocumented {
		if err := checkRow(r.Models, []string{r.From}, r.Source, r.Date); err != nil {
			return fmt.Errorf("totp_documented[%d]: %w", i, err)
		}
	}
	for i, r := range af.SafeMinimum {
		if err := checkRow(r.Models, r.Minimums, r.Source, r.Date); err != nil {
			return fmt.Errorf("safe_minimum[%d]: %w", i, err)
		}
	}
	for i, r := range af.NewestFirmware {
		if err := checkRow(r.Models, []string{r.Firmware}, r.Source, r.Date); err != nil {
			return fmt.Errorf("newest_firmware[%d]: %w", i, err)
		}
	}
	for i, a := range af.Advisories {
		if err := a.validate(); err != nil {
			return fmt.Errorf("advisories[%d]: %w", i, err)
		}
	}
	return nil
}

func (a *advisoryEntry) validate() error {
	switch {
	case a.ID == "" || a.Title == "" || a.Source == "":
		return errors.New("id, title and source must not be empty")
	case !adviceDateRE.MatchString(a.Date):
		return fmt.Errorf("date %q: want YYYY-MM or YYYY-MM-DD", truncate(a.Date, 20))
	case a.FixedKnown && len(a.FixedIn) == 0:
		return errors.New("fixed_firmware_known is true but fixed_in is empty")
	case !a.FixedKnown && len(a.FixedIn) > 0:
		return errors.New("fixed_in is given but fixed_firmware_known is false")
	}
	for j, fix := range a.FixedIn {
		if err := checkRow(fix.Models, fix.Firmware, a.Source, a.Date); err != nil {
			return fmt.Errorf("fixed_in[%d]: %w", j, err)
		}
	}
	return nil
}

// checkRow validates one table row: models, versions, a source and a date.
func checkRow(models, versions []string, source, date string) error {
	if len(models) == 0 || len(versions) == 0 {
		return errors.New("models and versions must not be empty")
	}
	for _, m := range models {
		if modelCode(m) == "" {
			return fmt.Errorf("model %q is not a model number", truncate(m, 20))
		}
	}
	for _, v := range versions {
		if parseVersion(v) == nil {
			return fmt.Errorf("version %q is not a firmware version", truncate(v, 20))
		}
	}
	if source == "" || !adviceDateRE.MatchString(date) {
		return errors.New("every row needs a source and a date (YYYY-MM or YYYY-MM-DD)")
	}
	return nil
}
