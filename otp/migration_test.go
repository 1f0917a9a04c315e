package otp

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/encoding/protowire"
)

// googleVector is a one-account export in Google Authenticator's format:
// name "Example:alice@google.com", issuer "Example".
const googleVector = "otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZTAC"

func TestMigrationVectors(t *testing.T) {
	for _, vec := range loadVectors(t).Migration {
		m, err := ParseMigration(vec.URI)
		if err != nil {
			t.Fatal(err)
		}
		var want []Account
		for _, a := range vec.Accounts {
			secret, err := DecodeBase32(a.SecretBase32)
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, Account{Type: a.Type, Issuer: a.Issuer, Name: a.Name, Secret: secret,
				Algorithm: a.Algorithm, Digits: a.Digits, Period: a.Period, Counter: a.Counter})
		}
		if diff := cmp.Diff(want, m.Accounts); diff != "" {
			t.Errorf("%s (-want +got):\n%s", vec.URI, diff)
		}
	}
}

// payload builds a MigrationPayload by hand, independently of
// FormatMigration, so that the parser is tested against the wire format.
func payload(params [][]byte, batch ...int32) string {
	var b []byte
	for _, p := range params {
		b = protowire.AppendTag(b, 1, protowire.BytesType)
		b = protowire.AppendBytes(b, p)
	}
	for i, v := range batch {
		b = protowire.AppendTag(b, protowire.Number(2+i), protowire.VarintType)
		b = protowire.AppendVarint(b, uint64(int64(v)))
	}
	return "otpauth-migration://offline?data=" + url.QueryEscape(base64.StdEncoding.EncodeToString(b))
}

// param builds an OtpParameters message; fields with value 0 are omitted
// as proto3 does.
func param(secret []byte, name, issuer string, algorithm, digits, typ, counter uint64) []byte {
	var b []byte
	b = protowire.AppendTag(b, 1, protowire.BytesType)
	b = protowire.AppendBytes(b, secret)
	if name != "" {
		b = protowire.AppendTag(b, 2, protowire.BytesType)
		b = protowire.AppendString(b, name)
	}
	if issuer != "" {
		b = protowire.AppendTag(b, 3, protowire.BytesType)
		b = protowire.AppendString(b, issuer)
	}
	for i, v := range []uint64{algorithm, digits, typ, counter} {
		if v != 0 {
			b = protowire.AppendTag(b, protowire.Number(4+i), protowire.VarintType)
			b = protowire.AppendVarint(b, v)
		}
	}
	return b
}

// plusSecret encodes to Base64 with '+' and '/' in it, to catch decoders
// that turn '+' into a space.
var plusSecret = []byte{0xfb, 0xef, 0xbe, 0xff, 0xff, 0xff, 0xfb, 0xef, 0xbe}

var migrationTests = []struct {
	name string
	uri  string
	want Migration
	err  error
}{
	// Field decoding and defaults.
	{"google vector", googleVector, Migration{Accounts: []Account{
		{Type: TOTP, Issuer: "Example", Name: "alice@google.com", Secret: hello, Algorithm: SHA1, Digits: 6, Period: 30}}}, nil},
	{"all fields", payload([][]byte{param(hello, "bob", "Ex", 3, 2, 1, 9)}, 1, 2, 1, -7), Migration{
		Accounts: []Account{{Type: HOTP, Issuer: "Ex", Name: "bob", Secret: hello, Algorithm: SHA512, Digits: 8, Counter: 9}},
		Version:  1, BatchSize: 2, BatchIndex: 1, BatchID: -7}, nil},
	{"issuer only in name", payload([][]byte{param(hello, "Ex: bob", "", 2, 1, 2, 0)}), Migration{Accounts: []Account{
		{Type: TOTP, Issuer: "Ex", Name: "bob", Secret: hello, Algorithm: SHA256, Digits: 6, Period: 30}}}, nil},
	{"name without issuer prefix", payload([][]byte{param(hello, "bob", "Ex", 0, 0, 0, 0)}), Migration{Accounts: []Account{
		{Type: TOTP, Issuer: "Ex", Name: "bob", Secret: hello, Algorithm: SHA1, Digits: 6, Period: 30}}}, nil},
	{"unknown fields skipped", payload([][]byte{append(param(hello, "a", "", 0, 0, 0, 0), 0x4a, 1, 'x')}), Migration{Accounts: []Account{
		{Type: TOTP, Name: "a", Secret: hello, Algorithm: SHA1, Digits: 6, Period: 30}}}, nil},
	{"empty payload", payload(nil), Migration{}, nil},

	// The '+' trap: raw '+', '+' read as a space, percent-encoded '+'.
	{"plus percent-encoded", payload([][]byte{param(plusSecret, "p", "", 0, 0, 0, 0)}), Migration{Accounts: []Account{
		{Type: TOTP, Name: "p", Secret: plusSecret, Algorithm: SHA1, Digits: 6, Period: 30}}}, nil},
	{"plus raw", strings.ReplaceAll(payload([][]byte{param(plusSecret, "p", "", 0, 0, 0, 0)}), "%2B", "+"), Migration{Accounts: []Account{
		{Type: TOTP, Name: "p", Secret: plusSecret, Algorithm: SHA1, Digits: 6, Period: 30}}}, nil},
	{"plus turned into a space", strings.ReplaceAll(payload([][]byte{param(plusSecret, "p", "", 0, 0, 0, 0)}), "%2B", "%20"), Migration{Accounts: []Account{
		{Type: TOTP, Name: "p", Secret: plusSecret, Algorithm: SHA1, Digits: 6, Period: 30}}}, nil},
	{"padding stripped", strings.TrimRight(strings.ReplaceAll(googleVector, "%3D", ""), "="), Migration{Accounts: []Account{
		{Type: TOTP, Issuer: "Example", Name: "alice@google.com", Secret: hello, Algorithm: SHA1, Digits: 6, Period: 30}}}, nil},

	// Entries Gatekey cannot use are listed, not dropped.
	{"md5 skipped", payload([][]byte{param(hello, "Ex:md5", "Ex", 4, 0, 0, 0), param(hello, "ok", "", 0, 0, 0, 0)}), Migration{
		Accounts: []Account{{Type: TOTP, Name: "ok", Secret: hello, Algorithm: SHA1, Digits: 6, Period: 30}},
		Skipped:  []Skipped{{Issuer: "Ex", Name: "md5", Reason: ErrUnsupported}}}, nil},
	{"unknown type skipped", payload([][]byte{param(hello, "t", "", 0, 0, 3, 0)}), Migration{
		Skipped: []Skipped{{Name: "t", Reason: ErrUnsupported}}}, nil},
	{"unknown digits skipped", payload([][]byte{param(hello, "d", "", 0, 3, 0, 0)}), Migration{
		Skipped: []Skipped{{Name: "d", Reason: ErrUnsupported}}}, nil},
	{"empty secret skipped", payload([][]byte{param(nil, "e", "", 0, 0, 0, 0)}), Migration{
		Skipped: []Skipped{{Name: "e", Reason: ErrInvalidAccount}}}, nil},

	// Malformed.
	{"wrong scheme", "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP", Migration{}, ErrInvalidURI},
	{"wrong host", "otpauth-migration://online?data=CgA", Migration{}, ErrInvalidURI},
	{"no data", "otpauth-migration://offline?x=1", Migration{}, ErrInvalidURI},
	{"not base64", "otpauth-migration://offline?data=***", Migration{}, ErrInvalidURI},
	{"bad escape", "otpauth-migration://offline?data=%zz", Migration{}, ErrInvalidURI},
	{"truncated protobuf", "otpauth-migration://offline?data=CjEKCkhlbGxv", Migration{}, ErrInvalidURI},
	{"field 1 as a varint is ignored like an unknown field", "otpauth-migration://offline?data=CAE", Migration{}, nil},
	{"too long", "otpauth-migration://offline?data=" + strings.Repeat("A", maxMigrationLen), Migration{}, ErrInvalidURI},
}

// skippedReasons compares Skipped entries by the sentinel their reason wraps.
var skippedReasons = cmp.Comparer(func(a, b error) bool {
	return a == nil && b == nil || a != nil && b != nil && (errors.Is(a, b) || errors.Is(b, a))
})

func TestParseMigration(t *testing.T) {
	for _, tt := range migrationTests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseMigration(tt.uri)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("error = %v, want %v", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, skippedReasons); diff != "" {
				t.Fatalf("(-want +got):\n%s", diff)
			}
		})
	}
}

// migratable builds n accounts the export can carry, alternating types.
func migratable(n int) []Account {
	accounts := make([]Account, n)
	for i := range accounts {
		accounts[i] = Account{Type: TOTP, Issuer: fmt.Sprintf("Issuer %d", i), Name: fmt.Sprintf("user+%d@example.com", i),
			Secret: []byte{byte(i), 0xfb, 0xff, 0xbf}, Algorithm: []Algorithm{SHA1, SHA256, SHA512}[i%3], Digits: 6 + 2*(i%2), Period: 30}
		if i%5 == 4 {
			accounts[i].Type, accounts[i].Period, accounts[i].Counter = HOTP, 0, uint64(i)*1000
		}
	}
	return accounts
}

func TestFormatMigrationRoundTrip(t *testing.T) {
	for _, n := range []int{1, 9, 10, 11, 25} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			accounts := migratable(n)
			uris, skipped := FormatMigration(accounts, 12345)
			if len(skipped) != 0 {
				t.Fatalf("skipped %v", skipped)
			}
			if want := (n + 9) / 10; len(uris) != want {
				t.Fatalf("%d accounts gave %d URIs, want %d", n, len(uris), want)
			}
			var ms []Migration
			var back []Account
			for i, u := range uris {
				m, err := ParseMigration(u)
				if err != nil {
					t.Fatalf("URI %d: %v", i, err)
				}
				if m.Version != 1 || m.BatchSize != int32(len(uris)) || m.BatchIndex != int32(i) || m.BatchID != 12345 {
					t.Fatalf("URI %d: version %d, batch %d/%d id %d", i, m.Version, m.BatchIndex, m.BatchSize, m.BatchID)
				}
				if len(m.Accounts) > MigrationBatchSize {
					t.Fatalf("URI %d holds %d accounts", i, len(m.Accounts))
				}
				ms = append(ms, m)
				back = append(back, m.Accounts...)
			}
			if diff := cmp.Diff(accounts, back); diff != "" {
				t.Fatalf("round trip (-want +got):\n%s", diff)
			}
			if missing, err := BatchComplete(ms); err != nil || len(missing) != 0 {
				t.Fatalf("BatchComplete = %v, %v; want complete", missing, err)
			}
		})
	}
}

func TestFormatMigrationMatchesGoogle(t *testing.T) {
	// The account of googleVector, written by FormatMigration, must carry
	// Google's secret, name and issuer fields byte for byte. Google left the
	// algorithm and digits enums unset (0, meaning SHA1 and six); Gatekey
	// writes them explicitly (1 and 1), then type TOTP (2) as Google does.
	uris, _ := FormatMigration([]Account{{Type: TOTP, Issuer: "Example", Name: "alice@google.com", Secret: hello,
		Algorithm: SHA1, Digits: 6, Period: 30}}, 0)
	if len(uris) != 1 {
		t.Fatalf("%d URIs, want 1", len(uris))
	}
	data := func(uri string) []byte {
		text, err := url.QueryUnescape(strings.TrimPrefix(uri, "otpauth-migration://offline?data="))
		if err != nil {
			t.Fatal(err)
		}
		b, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(text, "="))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	account := func(payload []byte) []byte {
		num, typ, n := protowire.ConsumeTag(payload)
		if num != 1 || typ != protowire.BytesType {
			t.Fatalf("payload does not start with an account: %x", payload)
		}
		v, m := protowire.ConsumeBytes(payload[n:])
		if m < 0 {
			t.Fatal(protowire.ParseError(m))
		}
		return v
	}
	google := account(data(googleVector))
	const typeTOTP = "\x30\x02"
	fields, ok := strings.CutSuffix(string(google), typeTOTP)
	if !ok {
		t.Fatalf("vector account does not end with type TOTP: %x", google)
	}
	want := fields + "\x20\x01\x28\x01" + typeTOTP
	if got := string(account(data(uris[0]))); got != want {
		t.Fatalf("account encoding:\n got %x\nwant %x", got, want)
	}
}

func TestFormatMigrationSkips(t *testing.T) {
	ok := Account{UUID: "ok", Type: TOTP, Name: "ok", Secret: hello, Algorithm: SHA1, Digits: 6, Period: 30}
	with := func(change func(*Account)) Account {
		a := ok
		change(&a)
		return a
	}
	accounts := []Account{
		with(func(a *Account) { a.UUID, a.Type, a.Digits = "steam", Steam, 5 }),
		ok,
		with(func(a *Account) { a.UUID, a.Period = "period", 60 }),
		with(func(a *Account) { a.UUID, a.Digits = "digits", 7 }),
		with(func(a *Account) { a.UUID, a.Secret = "nosecret", nil }),
		with(func(a *Account) { a.UUID, a.Type, a.Period = "hotp", HOTP, 0 }),
	}
	uris, skipped := FormatMigration(accounts, 1)
	var skippedIDs []string
	for _, s := range skipped {
		skippedIDs = append(skippedIDs, s.UUID)
		if s.Reason == nil || strings.Contains(s.Reason.Error(), "JBSWY3DP") {
			t.Errorf("%s: reason %v", s.UUID, s.Reason)
		}
	}
	if diff := cmp.Diff([]string{"steam", "period", "digits", "nosecret"}, skippedIDs); diff != "" {
		t.Fatalf("skipped (-want +got):\n%s", diff)
	}
	if !errors.Is(skipped[0].Reason, ErrUnsupported) || !errors.Is(skipped[3].Reason, ErrInvalidAccount) {
		t.Fatalf("reasons %v, %v: want ErrUnsupported and ErrInvalidAccount", skipped[0].Reason, skipped[3].Reason)
	}
	if len(uris) != 1 {
		t.Fatalf("%d URIs, want 1", len(uris))
	}
	m, err := ParseMigration(uris[0])
	if err != nil || len(m.Accounts) != 2 {
		t.Fatalf("ParseMigration = %d accounts, %v; want the 2 carried ones", len(m.Accounts), err)
	}
	if uris, skipped := FormatMigration(nil, 1); len(uris) != 0 || len(skipped) != 0 {
		t.Fatalf("no accounts gave %d URIs, %d skipped", len(uris), len(skipped))
	}
}

func TestBatchComplete(t *testing.T) {
	b := func(index, size, id int32) Migration {
		return Migration{BatchIndex: index, BatchSize: size, BatchID: id}
	}
	tests := []struct {
		name    string
		ms      []Migration
		missing []int
		err     error
	}{
		{"single code without batch fields", []Migration{{}}, nil, nil},
		{"complete, any order", []Migration{b(2, 3, 7), b(0, 3, 7), b(1, 3, 7)}, nil, nil},
		{"scanned twice", []Migration{b(0, 2, 7), b(0, 2, 7), b(1, 2, 7)}, nil, nil},
		{"missing some", []Migration{b(1, 4, 7)}, []int{0, 2, 3}, nil},
		{"none", nil, nil, ErrBatchMismatch},
		{"two exports", []Migration{b(0, 2, 7), b(1, 2, 8)}, nil, ErrBatchMismatch},
		{"sizes differ", []Migration{b(0, 2, 7), b(1, 3, 7)}, nil, ErrBatchMismatch},
		{"index out of range", []Migration{b(2, 2, 7)}, nil, ErrBatchMismatch},
		{"negative index", []Migration{b(-1, 2, 7)}, nil, ErrBatchMismatch},
		{"forged huge size", []Migration{b(0, 1<<30, 7)}, nil, ErrBatchMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			missing, err := BatchComplete(tt.ms)
			if !errors.Is(err, tt.err) || (tt.err == nil && err != nil) {
				t.Fatalf("error = %v, want %v", err, tt.err)
			}
			if diff := cmp.Diff(tt.missing, missing); diff != "" {
				t.Fatalf("missing (-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzParseMigration: untrusted payloads never panic, and whatever parses
// survives FormatMigration and ParseMigration with the same accounts.
func FuzzParseMigration(f *testing.F) {
	for _, tt := range migrationTests {
		f.Add(tt.uri)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMigration(s)
		if err != nil {
			if !errors.Is(err, ErrInvalidURI) {
				t.Fatalf("error %v does not wrap ErrInvalidURI", err)
			}
			return
		}
		for _, a := range m.Accounts {
			if err := a.Validate(); err != nil {
				t.Fatalf("ParseMigration returned an account Validate rejects: %v", err)
			}
		}
		uris, skipped := FormatMigration(m.Accounts, m.BatchID)
		if len(skipped) != 0 {
			t.Fatalf("FormatMigration skipped %d parsed accounts: %v", len(skipped), skipped[0].Reason)
		}
		var back []Account
		for _, u := range uris {
			m2, err := ParseMigration(u)
			if err != nil {
				if len(u) > maxMigrationLen {
					return // a payload that grew past the bound
				}
				t.Fatalf("re-parse: %v", err)
			}
			back = append(back, m2.Accounts...)
		}
		if !cmp.Equal(m.Accounts, back, cmp.Comparer(func(a, b []byte) bool { return string(a) == string(b) })) {
			t.Fatalf("round trip changed the accounts (%d before, %d after)", len(m.Accounts), len(back))
		}
	})
}
