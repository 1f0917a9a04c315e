package otp_test

import (
	"fmt"
	"time"

	"github.com/gatekey/gatekey/otp"
)

func ExampleAccount_Code() {
	// The RFC 6238 SHA-1 test account, shown with 8 digits.
	secret, err := otp.DecodeBase32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
	if err != nil {
		fmt.Println(err)
		return
	}
	a := otp.Account{Type: otp.TOTP, Secret: secret, Algorithm: otp.SHA1, Digits: 8, Period: 30}
	at := time.Unix(1111111109, 0)
	code, err := a.Code(at)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(code, "valid for", a.Remaining(at))
	// Output: 07081804 valid for 1s
}

func ExampleParseURI() {
	a, err := otp.ParseURI("otpauth://totp/ACME%20Co:jane@example.com?secret=JBSWY3DPEHPK3PXP&issuer=ACME+Co&digits=8")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s / %s: %s, %d digits every %d s\n", a.Issuer, a.Name, a.Algorithm, a.Digits, a.Period)
	fmt.Println(otp.FormatURI(a))
	// Output:
	// ACME Co / jane@example.com: SHA1, 8 digits every 30 s
	// otpauth://totp/ACME%20Co:jane@example.com?secret=JBSWY3DPEHPK3PXP&issuer=ACME+Co&algorithm=SHA1&digits=8&period=30
}

func ExampleFormatMigration() {
	accounts := []otp.Account{
		{Type: otp.TOTP, Issuer: "Example", Name: "alice", Secret: []byte("key"), Algorithm: otp.SHA1, Digits: 6, Period: 30},
		{UUID: "s1", Type: otp.Steam, Issuer: "Steam", Name: "gamer", Secret: []byte("key"), Algorithm: otp.SHA1, Digits: 5, Period: 30},
	}
	uris, skipped := otp.FormatMigration(accounts, 42)
	fmt.Println(len(uris), "QR code")
	for _, s := range skipped {
		fmt.Println("not exported:", s.Issuer, s.Name, "-", s.Reason)
	}
	m, _ := otp.ParseMigration(uris[0])
	missing, _ := otp.BatchComplete([]otp.Migration{m})
	fmt.Println(m.Accounts[0].Issuer, m.Accounts[0].Name, "missing:", len(missing))
	// Output:
	// 1 QR code
	// not exported: Steam gamer - unsupported: Google Authenticator has no Steam codes
	// Example alice missing: 0
}
