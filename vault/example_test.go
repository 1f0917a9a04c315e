package vault_test

import (
	"fmt"

	"github.com/gatekey/gatekey/vault"
)

// Parse reads an Aegis export for importing it; entries Gatekey cannot use
// come back as skipped, with the reason.
func ExampleParse() {
	export := []byte(`{
	  "version": 1,
	  "header": {"slots": null, "params": null},
	  "db": {"version": 3, "entries": [
	    {"type": "totp", "uuid": "3ae6f1ad-2e65-4ed2-a953-1ec0dff2386d", "name": "Mason", "issuer": "Deno",
	     "info": {"secret": "4SJHB4GSD43FZBAI7C2HLRJGPQ", "algo": "SHA1", "digits": 6, "period": 30}},
	    {"type": "yandex", "uuid": "5b11ae3b-6fc3-4d46-8ca7-cf0aea7de920", "name": "Sophia", "issuer": "Yandex",
	     "info": {"secret": "JRZCL47CMXVOQMNPZR2F7J4RGI", "pin": "1234"}}
	  ]}
	}`)
	accounts, skipped, err := vault.Parse(export, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range accounts {
		fmt.Printf("%s (%s): %s, %d digits every %d s\n", a.Issuer, a.Name, a.Algorithm, a.Digits, a.Period)
	}
	for _, s := range skipped {
		fmt.Printf("skipped %s (%s): %s\n", s.Issuer, s.Name, s.Reason)
	}
	// Output:
	// Deno (Mason): SHA1, 6 digits every 30 s
	// skipped Yandex (Sophia): type "yandex" is not supported
}
