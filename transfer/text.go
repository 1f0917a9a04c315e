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
		var err error
		switch {
		case hasPrefixFold(line, "otpauth-migration://"):
			var m otp.Migration
			if m, err = otp.ParseMigration(line); err == nil {
				migrations = append(migrations, m)
				for j, a := range m.Accounts {
					b.add(a, j)
				}
				for _, s := range m.Skipped {
					b.skip(s.Issuer, s.Name, i, s.Reason)
				}
			}
		case hasPrefixFold(line, "otpauth://"):
			var a otp.Account
			if a, err = otp.ParseURI(line); err == nil {
				b.add(a, i)
			}
		default:
			err = errors.New("not an otpauth:// or otpauth-migration:// URI")
		}
		if err != nil {
			err = fmt.Errorf("line %d: %w", i+1, err)
			if firstProblem == nil {
				firstProblem = err
			}
			b.Skipped = append(b.Skipped, Skipped{Item: "line " + strconv.Itoa(i+1), Reason: err.Error()})
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
			b.Skipped = append(b.Skipped, Skipped{Item: item, Reason: err.Error()})
		case len(missing) > 0:
			nums := make([]string, len(missing))
			for i, n := range missing {
				nums[i] = strconv.Itoa(n + 1)
			}
			b.Skipped = append(b.Skipped, Skipped{Item: item,
				Reason: fmt.Sprintf("QR code %s of %d missing: its accounts were not imported", strings.Join(nums, ", "), byID[id][0].BatchSize)})
		}
	}
}
