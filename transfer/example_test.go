package transfer_test

import (
	"fmt"
	"strings"

	"github.com/gatekey/gatekey/transfer"
)

// Importing a file: read it, merge it with the accounts already kept, and
// report what happened.
func ExampleRead() {
	file := "otpauth://totp/Deno:Mason?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&issuer=Deno\n" +
		"otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP&digits=12\n"
	b, err := transfer.Read("accounts.txt", strings.NewReader(file), transfer.ReadOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	add, duplicates := transfer.Merge(nil, b.Accounts)
	r := transfer.NewReport(b, add, duplicates)
	fmt.Println(b.Format, r.Imported, r.Duplicates)
	for _, s := range r.Skipped {
		fmt.Println("skipped", s.Item)
	}
	// Output:
	// uri 1 0
	// skipped line 2
}
