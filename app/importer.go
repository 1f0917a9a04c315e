package app

import (
	"fmt"

	"github.com/gatekey/gatekey/transfer"
)

// Import reads another app's export file (any format transfer reads), adds
// the accounts that are new and reports what was imported, what was already
// there and what was skipped. password is called only for an encrypted
// file.
func (d *Desktop) Import(path string, password func() ([]byte, error)) (transfer.Report, error) {
	a := d.current()
	if a == nil {
		return transfer.Report{}, ErrNotOpen
	}
	batch, err := transfer.ReadFile(path, transfer.ReadOptions{Password: password})
	if err != nil {
		return transfer.Report{}, err
	}
	added, duplicates, err := a.Add(batch.Accounts...)
	if err != nil {
		return transfer.Report{}, fmt.Errorf("importing %s: %w", path, err)
	}
	return transfer.NewReport(batch, added, duplicates), nil
}
