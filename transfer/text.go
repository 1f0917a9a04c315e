package transfer

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/gatekey/gatekey/otp"
)

// readText reads a text file of otpauth:// URIs (formats.md §2, §6) or
// otpauth-migration:// URIs (§3), one a line; both kinds may be mixed, and a
// file may be a single URI. Blank lines and lines starting with '#' are
// ignored. A line that does not parse is skipped with its number; when no
// line gives an account, the first such problem is the error.
func readText(data []byte, b *Batch) error {
	var migrations []otp.Migration
	var firstProblem error
	lines := bytes.Split(trimBOM(data), []byte("\n"))
	for i, raw := range lines {
		line := strings.TrimSpace(string(raw))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		m, err := readTextLine(line, i, b)
		if m != nil {
			migrations = append(migrations, *m)
		}
		if err != nil {
			err = fmt.Errorf("line %d: %w", i+1, err)
			if firstProblem == nil {
				firstProblem = err
			}
			b.addSkipped(Skipped{Item: "line " + strconv.Itoa(i+1), Reason: err.Error()})
		}
	}
	if len(b.Accounts) == 0 && firstProblem != nil {
		return fmt.Errorf("%w: %w", ErrMalformed, firstProblem)
	}
	if len(b.Accounts) == 0 && len(b.Skipped) == 0 {
		return fmt.Errorf("%w: no otpauth:// URI in the file", ErrMalformed)
	}
	checkBatches(migrations, b)
	return nil
}

// readTextLine adds the accounts of one line (index i) to b. A Google
// migration URI is returned as well, for checkBatches.
func readTextLine(line string, i int, b *Batch) (*otp.Migration, error) {
	switch {
	case hasPrefixFold(line, "otpauth-migration://"):
		m, err := otp.ParseMigration(line)
		if err != nil {
			return nil, err
		}
		for j, a := range m.Accounts {
			b.add(a, j)
		}
		for _, s := range m.Skipped {
			b.skip(s.Issuer, s.Name, i, s.Reason)
		}
		return &m, nil
	case hasPrefixFold(line, "otpauth://"):
		a, err := otp.ParseURI(line)
		if err == nil {
			b.add(a, i)
		}
		return nil, err
	}
	return nil, errors.New("not an otpauth:// or otpauth-migration:// URI")
}

// checkBatches notes Google Authenticator exports of which some QR codes
// are missing, so that the user scans the rest instead of losing accounts.
func checkBatches(ms []otp.Migration, b *Batch) {
	byID := map[int32][]otp.Migration{}
	var ids []int32
	for _, m := range ms {
		if _, ok := byID[m.BatchID]; !ok {
			ids = append(ids, m.BatchID)
		}
		byID[m.BatchID] = append(byID[m.BatchID], m)
	}
	slices.Sort(ids)
	for _, id := range ids {
		missing, err := otp.BatchComplete(byID[id])
		item := fmt.Sprintf("Google Authenticator export %d", id)
		switch {
		case err != nil:
			b.addSkipped(Skipped{Item: item, Reason: err.Error()})
		case len(missing) > 0:
			nums := make([]string, len(missing))
			for i, n := range missing {
				nums[i] = strconv.Itoa(n + 1)
			}
			b.addSkipped(Skipped{Item: item,
				Reason: fmt.Sprintf("QR code %s of %d missing: its accounts were not imported", strings.Join(nums, ", "), byID[id][0].BatchSize)})
		}
	}
}
