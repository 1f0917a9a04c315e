package vault

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// fileCases are outer layers of vault files and what parsing them gives.
// The same cases seed FuzzParseFile.
var fileCases = []struct {
	name, in, wantErr string
}{
	// Valid files.
	{"plain", `{"version":1,"header":{"slots":null,"params":null},"db":{"version":3,"entries":[]}}`, ""},
	{"encrypted", `{"version":1,"header":{"slots":[],"params":{"nonce":"000000000000000000000000","tag":"00000000000000000000000000000000"}},"db":""}`, ""},
	{"unknown fields", `{"version":1,"x":2,"header":{"slots":null,"params":null,"y":[]},"db":{"version":1,"entries":[]}}`, ""},
	// Structure.
	{"not json", `vault`, "invalid JSON"},
	{"array", `[]`, "not a JSON object"},
	{"null", `null`, "not a JSON object"},
	{"no version", `{"header":{},"db":{}}`, `no "version"`},
	{"newer version", `{"version":2,"header":{},"db":{}}`, "format version"},
	{"version string", `{"version":"1","header":{},"db":{}}`, "not an integer"},
	{"no header", `{"version":1,"db":{}}`, `no "header"`},
	{"no slots", `{"version":1,"header":{"params":null},"db":{}}`, `no "slots"`},
	{"no params", `{"version":1,"header":{"slots":null},"db":{}}`, `no "params"`},
	{"half plain", `{"version":1,"header":{"slots":[],"params":null},"db":{}}`, "both be null"},
	{"plain with string db", `{"version":1,"header":{"slots":null,"params":null},"db":"x"}`, "not an object"},
	{"no db", `{"version":1,"header":{"slots":null,"params":null}}`, `no "db"`},
	// Key parameters.
	{"short nonce", `{"version":1,"header":{"slots":[],"params":{"nonce":"00","tag":"00000000000000000000000000000000"}},"db":""}`, "nonce: 1 bytes"},
	{"bad tag", `{"version":1,"header":{"slots":[],"params":{"nonce":"000000000000000000000000","tag":"zz"}},"db":""}`, "not hexadecimal"},
	{"slot without type", `{"version":1,"header":{"slots":[{}],"params":{"nonce":"000000000000000000000000","tag":"00000000000000000000000000000000"}},"db":""}`, `no "type"`},
	{"bad id", `{"version":1,"header":{"slots":null,"params":null,"gatekey_id":"x"},"db":{}}`, "not a vault id"},
}

func TestParseFile(t *testing.T) {
	for _, tc := range fileCases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseFile([]byte(tc.in))
			if tc.wantErr == "" && err != nil {
				t.Fatalf("error %v", err)
			}
			if tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}

// Password slots with hostile scrypt parameters are refused before scrypt
// runs.
func TestScryptBounds(t *testing.T) {
	for _, tc := range []struct{ n, r, p int }{
		{0, 8, 1}, {3, 8, 1}, {1 << 21, 1, 1}, {1 << 15, 64, 1}, {1 << 15, 8, 17}, {1 << 20, 8, 1}, {1 << 18, 8, 16},
	} {
		if _, err := deriveSlotKey([]byte("pw"), []byte("saltsalt"), tc.n, tc.r, tc.p); err == nil {
			t.Errorf("n=%d r=%d p=%d accepted", tc.n, tc.r, tc.p)
		}
	}
	if err := checkScryptParams(1<<15, 8, 1); err != nil {
		t.Errorf("Aegis's parameters refused: %v", err)
	}
}

// dbCases are decrypted db contents. The same cases seed FuzzParseDB.
var dbCases = []struct {
	name, in    string
	accounts    int
	skipped     int
	wantErr     string
	wantGroupOf string // group name of the first account
}{
	// Valid.
	{"empty", `{"version":3,"entries":[]}`, 0, 0, "", ""},
	{"v1 legacy group", `{"version":1,"entries":[{"type":"totp","name":"a","issuer":"b","group":"Old","info":{"secret":"JBSWY3DP","algo":"SHA1","digits":6,"period":30}}]}`, 1, 0, "", "Old"},
	{"hotp", `{"version":3,"entries":[{"type":"hotp","uuid":"u","name":"a","issuer":"b","info":{"secret":"jbsw y3dp","digits":6,"counter":5}}]}`, 1, 0, "", ""},
	{"escaped strings", `{"version":3,"entries":[{"type":"totp","uuid":"u","name":"a\u00e9\"","issuer":"b\\","info":{"secret":"JBSWY3DP","algo":"SHA256","digits":6,"period":30}}]}`, 1, 0, "", ""},
	// Kept but not shown.
	{"yandex", `{"version":3,"entries":[{"type":"yandex","uuid":"u","info":{}}]}`, 0, 1, "", ""},
	{"md5", `{"version":3,"entries":[{"type":"totp","uuid":"u","info":{"secret":"JBSWY3DP","algo":"MD5","digits":6,"period":30}}]}`, 0, 1, "", ""},
	{"bad secret", `{"version":3,"entries":[{"type":"totp","uuid":"u","info":{"secret":"1","algo":"SHA1","digits":6,"period":30}}]}`, 0, 1, "", ""},
	{"zero period", `{"version":3,"entries":[{"type":"totp","uuid":"u","info":{"secret":"JBSWY3DP","algo":"SHA1","digits":6,"period":0}}]}`, 0, 1, "", ""},
	{"digits 11", `{"version":3,"entries":[{"type":"totp","uuid":"u","info":{"secret":"JBSWY3DP","algo":"SHA1","digits":11,"period":30}}]}`, 0, 1, "", ""},
	{"negative counter", `{"version":3,"entries":[{"type":"hotp","uuid":"u","info":{"secret":"JBSWY3DP","digits":6,"counter":-1}}]}`, 0, 1, "", ""},
	// Errors.
	{"newer db", `{"version":4,"entries":[]}`, 0, 0, "db version 4", ""},
	{"no entries", `{"version":3}`, 0, 0, `no "entries"`, ""},
	{"entry not object", `{"version":3,"entries":[1]}`, 0, 0, "entry 1: not a JSON object", ""},
	{"duplicate uuid", `{"version":3,"entries":[{"type":"yandex","uuid":"u"},{"type":"yandex","uuid":"u"}]}`, 0, 0, "used twice", ""},
	{"groups not array", `{"version":3,"entries":[],"groups":{}}`, 0, 0, "groups", ""},
}

func TestParseDB(t *testing.T) {
	for _, tc := range dbCases {
		t.Run(tc.name, func(t *testing.T) {
			d, err := parseDB([]byte(tc.in))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var accounts, skipped int
			for _, e := range d.entries {
				if e.raw != nil {
					skipped++
				} else {
					accounts++
				}
			}
			if accounts != tc.accounts || skipped != tc.skipped {
				t.Fatalf("%d accounts, %d skipped; want %d, %d", accounts, skipped, tc.accounts, tc.skipped)
			}
			if tc.wantGroupOf != "" {
				if got := d.entries[0].account(d.groupNames()).Groups; len(got) != 1 || got[0] != tc.wantGroupOf {
					t.Fatalf("groups %v, want [%s]", got, tc.wantGroupOf)
				}
			}
		})
	}
}

func FuzzParseFile(f *testing.F) {
	for _, tc := range fileCases {
		f.Add([]byte(tc.in))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		vf, err := parseFile(data)
		if err != nil {
			if !errors.Is(err, ErrUnsupportedVersion) && err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		if vf.header.plain {
			_, _, _ = Parse(data, nil)
			return
		}
		if _, err := decodeDBCiphertext(vf.db); err != nil {
			return
		}
		// The outer layer writes back and reads again to the same slots.
		out, err := encodeFile(vf, []byte("ciphertext"))
		if err != nil {
			t.Fatal(err)
		}
		again, err := parseFile(out)
		if err != nil {
			t.Fatalf("written file does not parse: %v\n%s", err, out)
		}
		if !bytes.Equal(appendSlots(nil, again.header.slots), appendSlots(nil, vf.header.slots)) {
			t.Fatal("slots changed by a write")
		}
	})
}

func FuzzParseDB(f *testing.F) {
	for _, tc := range dbCases {
		f.Add([]byte(tc.in))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := parseDB(data)
		if err != nil {
			return
		}
		// What is read writes back to a db that reads the same.
		out := d.encode()
		if cap(out) != d.sizeBound()+tagSize {
			t.Fatalf("the encoding buffer grew from %d to %d", d.sizeBound()+tagSize, cap(out))
		}
		d2, err := parseDB(out)
		if err != nil {
			t.Fatalf("written db does not parse: %v\n%s", err, out)
		}
		if again := d2.encode(); !bytes.Equal(again, out) {
			t.Fatalf("db changes on a second write:\n%s\n%s", out, again)
		}
	})
}
