package transfer

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// Fuzz targets for every importer: whatever the bytes, Read returns either
// valid accounts or one error naming the file and wrapping a sentinel, and
// never panics. Each is seeded with the sample files of its format
// (testdata/samples) and the hand-written cases of the table tests.

// fuzzSentinels are the errors a reader may end in.
var fuzzSentinels = []error{ErrPasswordRequired, ErrWrongPassword, ErrUnknownFormat, ErrTooLarge, ErrMalformed, ErrUnsupported}

// fuzzPassword is what the targets answer when a file asks for its
// password. Aegis files get none: scrypt at Aegis's N=2^15 would make each
// run of an encrypted mutant take a second under coverage instrumentation,
// leaving the fuzzer a handful of runs; the vault package still parses the
// header and slots (and bounds their scrypt parameters) before asking.
// Decryption itself is covered by TestInteropFiles and TestPasswordErrors.
func fuzzPassword(format Format) func() ([]byte, error) {
	if format == FormatAegis || format == FormatAuto {
		return nil
	}
	return password("test")
}

func fuzzRead(f *testing.F, format Format) {
	for _, tc := range sampleFiles {
		if tc.format == format {
			f.Add(readSample(f, tc.file))
		}
	}
	for _, tc := range readErrorSeeds {
		f.Add([]byte(tc))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := Read("fuzz", bytes.NewReader(data), ReadOptions{Format: format, Password: fuzzPassword(format)})
		checkFuzzResult(t, b, err)
	})
}

func checkFuzzResult(t *testing.T, b *Batch, err error) {
	t.Helper()
	if err != nil {
		if !strings.HasPrefix(err.Error(), "fuzz: ") {
			t.Fatalf("error %q does not name the file", err)
		}
		for _, s := range fuzzSentinels {
			if errors.Is(err, s) {
				return
			}
		}
		t.Fatalf("error %q wraps none of the package's sentinels", err)
	}
	for _, a := range b.Accounts {
		if verr := a.Validate(); verr != nil {
			t.Fatalf("imported an invalid account: %v", verr)
		}
	}
	for _, s := range b.Skipped {
		if s.Item == "" || s.Reason == "" {
			t.Fatalf("skipped entry without item or reason: %+v", s)
		}
	}
}

// readErrorSeeds are small odd inputs shared by every target.
var readErrorSeeds = []string{
	"",
	"otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP&digits=12",
	"otpauth-migration://offline?data=CgcKAQESAWEQAQ%3D%3D",
	`{"schemaVersion":4,"services":[],"servicesEncrypted":"AAAA:AAAA:AAAAAAAAAAAAAAAA","reference":"AAAA:AAAA:AAAAAAAAAAAAAAAA"}`,
	`{"version":1,"header":{"slots":null,"params":null},"db":{"version":3,"entries":[{}]}}`,
	`{"version":1,"header":{"slots":[{"type":1,"n":1073741824,"r":8,"p":1}],"params":{}},"db":"AA=="}`,
	`[{"secret":"JBSWY3DP","type":"HOTP","counter":18446744073709551615}]`,
	`{"tokens":[{"secret":[-1,2,3],"type":"HOTP","counter":18446744073709551615}]}`,
	`{"encrypted":false,"items":[{"name":"x","login":{"totp":"steam://JBSWY3DP"}}]}`,
	`{"version":1,"entries":[{"content":{"uri":"steam://JBSWY3DP","name":"n"},"note":"x"}]}`,
}

func FuzzReadAegis(f *testing.F)     { fuzzRead(f, FormatAegis) }
func FuzzRead2FAS(f *testing.F)      { fuzzRead(f, Format2FAS) }
func FuzzReadURI(f *testing.F)       { fuzzRead(f, FormatURI) }
func FuzzReadBitwarden(f *testing.F) { fuzzRead(f, FormatBitwarden) }
func FuzzReadAndOTP(f *testing.F)    { fuzzRead(f, FormatAndOTP) }
func FuzzReadFreeOTP(f *testing.F)   { fuzzRead(f, FormatFreeOTP) }
func FuzzReadProton(f *testing.F)    { fuzzRead(f, FormatProton) }

// FuzzReadGoogle is also seeded with Gatekey's own migration export.
func FuzzReadGoogle(f *testing.F) {
	uris, _ := FormatGoogleBatch(sampleAccounts(f), 3)
	f.Add([]byte(strings.Join(uris, "\n")))
	fuzzRead(f, FormatGoogle)
}

// FuzzDetect runs detection, then the whole import, on any input.
func FuzzDetect(f *testing.F) {
	for _, tc := range sampleFiles {
		f.Add(readSample(f, tc.file))
	}
	for _, tc := range readErrorSeeds {
		f.Add([]byte(tc))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		format, err := Detect(data)
		if err != nil {
			if !errors.Is(err, ErrUnknownFormat) && !errors.Is(err, ErrUnsupported) {
				t.Fatalf("Detect error %q is neither ErrUnknownFormat nor ErrUnsupported", err)
			}
			return
		}
		b, err := Read("fuzz", bytes.NewReader(data), ReadOptions{Password: fuzzPassword(FormatAuto)})
		checkFuzzResult(t, b, err)
		if err == nil && b.Format != format {
			t.Fatalf("Read used %q, Detect said %q", b.Format, format)
		}
	})
}
