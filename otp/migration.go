package otp

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"google.golang.org/protobuf/encoding/protowire"
)

// ErrBatchMismatch reports migration payloads that do not belong to one
// export: different batch ids or sizes, or an index outside the batch.
var ErrBatchMismatch = errors.New("migration payloads are not one batch")

// maxMigrationLen bounds an otpauth-migration URI. Google's QR codes carry
// 10 accounts in well under 4 KiB; 64 KiB leaves room for hand-made exports.
const maxMigrationLen = 64 << 10

// MigrationBatchSize is how many accounts FormatMigration puts in one
// payload, as Google Authenticator does, so each QR code stays scannable.
const MigrationBatchSize = 10

// maxBatchCodes bounds the batch size BatchComplete accepts from a payload,
// so a forged size cannot make it allocate gigabytes. 1,000 QR codes is
// 10,000 accounts, beyond any real export.
const maxBatchCodes = 1000

// Migration is one decoded otpauth-migration payload (one QR code of a
// Google Authenticator export).
type Migration struct {
	Accounts   []Account
	Skipped    []Skipped // entries the payload holds but Gatekey cannot use
	Version    int32
	BatchSize  int32 // QR codes in the export
	BatchIndex int32 // 0-based position of this one
	BatchID    int32 // the same for every QR code of one export
}

// Skipped names an account that was not carried across, and why, so that it
// can be shown to the person instead of disappearing. It holds no secret.
type Skipped struct {
	UUID   string // empty when read from a migration payload
	Issuer string
	Name   string
	Reason error // wraps ErrUnsupported or ErrInvalidAccount
}

// Wire numbers and enum values of Google's MigrationPayload (formats.md §3).
const (
	fieldOTPParameters protowire.Number = 1
	fieldVersion       protowire.Number = 2
	fieldBatchSize     protowire.Number = 3
	fieldBatchIndex    protowire.Number = 4
	fieldBatchID       protowire.Number = 5

	fieldSecret    protowire.Number = 1
	fieldName      protowire.Number = 2
	fieldIssuer    protowire.Number = 3
	fieldAlgorithm protowire.Number = 4
	fieldDigits    protowire.Number = 5
	fieldType      protowire.Number = 6
	fieldCounter   protowire.Number = 7

	googleSHA1, googleSHA256, googleSHA512, googleMD5 = 1, 2, 3, 4
	googleSix, googleEight                            = 1, 2
	googleHOTP, googleTOTP                            = 1, 2
)

// ParseMigration decodes an otpauth-migration://offline?data=... URI. The
// data parameter is read from the raw query without turning '+' into a
// space, and spaces a careless decoder left are turned back into '+', since
// Base64 has no spaces (the trap in formats.md §3). Entries Gatekey cannot
// use (MD5, unknown types or digit counts) are listed in Skipped.
//
// Errors wrap ErrInvalidURI.
func ParseMigration(s string) (Migration, error) {
	if len(s) > maxMigrationLen {
		return Migration{}, fmt.Errorf("%w: longer than %d bytes", ErrInvalidURI, maxMigrationLen)
	}
	const prefix = "otpauth-migration://offline?"
	if len(s) < len(prefix) || !strings.EqualFold(s[:len(prefix)], prefix) {
		return Migration{}, fmt.Errorf("%w: does not start with %s", ErrInvalidURI, prefix)
	}
	data, err := migrationData(s[len(prefix):])
	if err != nil {
		return Migration{}, err
	}
	m, err := decodePayload(data)
	if err != nil {
		return Migration{}, fmt.Errorf("%w: data: %w", ErrInvalidURI, err)
	}
	return m, nil
}

// migrationData finds and decodes the data parameter of a raw query.
func migrationData(rawQuery string) ([]byte, error) {
	for pair := range strings.SplitSeq(rawQuery, "&") {
		k, v, _ := strings.Cut(pair, "=")
		if !strings.EqualFold(k, "data") {
			continue
		}
		// Not url.QueryUnescape: it would turn '+' into a space.
		// PathUnescape decodes %XX only and keeps '+'.
		text, err := url.PathUnescape(v)
		if err != nil {
			return nil, fmt.Errorf("%w: data is not valid percent-encoding", ErrInvalidURI)
		}
		text = strings.ReplaceAll(text, " ", "+")
		// Tolerate URL-safe Base64 and missing padding from other exporters.
		text = strings.NewReplacer("-", "+", "_", "/").Replace(strings.TrimRight(text, "="))
		b, err := base64.RawStdEncoding.DecodeString(text)
		if err != nil {
			return nil, fmt.Errorf("%w: data is not Base64", ErrInvalidURI)
		}
		return b, nil
	}
	return nil, fmt.Errorf("%w: no data parameter", ErrInvalidURI)
}

// decodePayload reads a MigrationPayload message.
func decodePayload(b []byte) (Migration, error) {
	var m Migration
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return Migration{}, protowire.ParseError(n)
		}
		b = b[n:]
		switch {
		case num == fieldOTPParameters && typ == protowire.BytesType:
			v, n := protowire.ConsumeBytes(b)
			if n < 0 {
				return Migration{}, fmt.Errorf("account %d: %w", len(m.Accounts)+len(m.Skipped)+1, protowire.ParseError(n))
			}
			b = b[n:]
			a, err := decodeParameters(v)
			var skip *Skipped
			if errors.As(err, &skip) {
				m.Skipped = append(m.Skipped, *skip)
				continue
			}
			if err != nil {
				return Migration{}, fmt.Errorf("account %d: %w", len(m.Accounts)+len(m.Skipped)+1, err)
			}
			m.Accounts = append(m.Accounts, a)
		case num >= fieldVersion && num <= fieldBatchID && typ == protowire.VarintType:
			v, n := protowire.ConsumeVarint(b)
			if n < 0 {
				return Migration{}, protowire.ParseError(n)
			}
			b = b[n:]
			// int32 fields: protobuf sign-extends negatives to 64 bits and
			// truncation back to 32 is the defined decoding.
			switch num {
			case fieldVersion:
				m.Version = int32(v)
			case fieldBatchSize:
				m.BatchSize = int32(v)
			case fieldBatchIndex:
				m.BatchIndex = int32(v)
			case fieldBatchID:
				m.BatchID = int32(v)
			}
		default:
			n := protowire.ConsumeFieldValue(num, typ, b)
			if n < 0 {
				return Migration{}, protowire.ParseError(n)
			}
			b = b[n:]
		}
	}
	return m, nil
}

// Error makes a Skipped usable as the error decodeParameters returns for an
// entry that is readable but unusable.
func (s *Skipped) Error() string {
	label := joinLabel(s.Issuer, s.Name)
	return fmt.Sprintf("%q skipped: %v", label, s.Reason)
}

// Unwrap returns the reason, so errors.Is(skipped, ErrUnsupported) works.
func (s *Skipped) Unwrap() error { return s.Reason }

// decodeParameters reads one OtpParameters message. Malformed wire data is
// an error; an entry Gatekey cannot compute codes for is a *Skipped.
func decodeParameters(b []byte) (Account, error) {
	a := Account{Type: TOTP, Algorithm: SHA1, Digits: 6, Period: 30}
	var name, issuer string
	var algorithm, digits, typ uint64
	var counter uint64
	for len(b) > 0 {
		num, wtyp, n := protowire.ConsumeTag(b)
		if n < 0 {
			return Account{}, protowire.ParseError(n)
		}
		b = b[n:]
		switch {
		case num >= fieldSecret && num <= fieldIssuer && wtyp == protowire.BytesType:
			v, n := protowire.ConsumeBytes(b)
			if n < 0 {
				return Account{}, protowire.ParseError(n)
			}
			b = b[n:]
			switch num {
			case fieldSecret:
				a.Secret = slices.Clone(v)
			case fieldName:
				name = string(v)
			case fieldIssuer:
				issuer = string(v)
			}
		case num >= fieldAlgorithm && num <= fieldCounter && wtyp == protowire.VarintType:
			v, n := protowire.ConsumeVarint(b)
			if n < 0 {
				return Account{}, protowire.ParseError(n)
			}
			b = b[n:]
			switch num {
			case fieldAlgorithm:
				algorithm = v
			case fieldDigits:
				digits = v
			case fieldType:
				typ = v
			case fieldCounter:
				counter = v
			}
		default:
			n := protowire.ConsumeFieldValue(num, wtyp, b)
			if n < 0 {
				return Account{}, protowire.ParseError(n)
			}
			b = b[n:]
		}
	}
	a.Issuer, a.Name = splitLabel(name, issuer)
	skip := func(format string, args ...any) (Account, error) {
		return Account{}, &Skipped{Issuer: a.Issuer, Name: a.Name, Reason: fmt.Errorf(format, args...)}
	}
	switch algorithm {
	case 0, googleSHA1:
	case googleSHA256:
		a.Algorithm = SHA256
	case googleSHA512:
		a.Algorithm = SHA512
	case googleMD5:
		return skip("%w: MD5 algorithm", ErrUnsupported)
	default:
		return skip("%w: algorithm %d", ErrUnsupported, algorithm)
	}
	switch digits {
	case 0, googleSix:
	case googleEight:
		a.Digits = 8
	default:
		return skip("%w: digit count %d", ErrUnsupported, digits)
	}
	switch typ {
	case 0, googleTOTP:
	case googleHOTP:
		a.Type, a.Period, a.Counter = HOTP, 0, counter
	default:
		return skip("%w: OTP type %d", ErrUnsupported, typ)
	}
	if len(a.Secret) == 0 {
		return skip("%w: empty secret", ErrInvalidAccount)
	}
	return a, nil
}

// migrationReason says why an account cannot travel in a Google export, or
// returns nil when it can.
func migrationReason(a *Account) error {
	if err := a.Validate(); err != nil {
		return err
	}
	switch {
	case a.Type == Steam:
		return fmt.Errorf("%w: Google Authenticator has no Steam codes", ErrUnsupported)
	case a.Digits != 6 && a.Digits != 8:
		return fmt.Errorf("%w: %d digits (the export carries 6 or 8)", ErrUnsupported, a.Digits)
	case a.Type == TOTP && a.Period != 30:
		return fmt.Errorf("%w: period %d s (the export carries only 30 s)", ErrUnsupported, a.Period)
	}
	return nil
}

// FormatMigration writes accounts as Google Authenticator export URIs,
// MigrationBatchSize accounts per URI (one QR code each), all sharing
// batchID. Accounts the format cannot carry (Steam, a period other than 30 s,
// digits other than 6 or 8, or an invalid account) are returned in skipped,
// in input order, and left out of the URIs. No accounts give no URIs.
func FormatMigration(accounts []Account, batchID int32) (uris []string, skipped []Skipped) {
	var keep []*Account
	for i := range accounts {
		a := &accounts[i]
		if err := migrationReason(a); err != nil {
			skipped = append(skipped, Skipped{UUID: a.UUID, Issuer: a.Issuer, Name: a.Name, Reason: err})
			continue
		}
		keep = append(keep, a)
	}
	batches := slices.Collect(slices.Chunk(keep, MigrationBatchSize))
	for i, batch := range batches {
		var b []byte
		for _, a := range batch {
			b = protowire.AppendTag(b, fieldOTPParameters, protowire.BytesType)
			b = protowire.AppendBytes(b, encodeParameters(a))
		}
		for _, f := range []struct {
			num protowire.Number
			v   int32
		}{{fieldVersion, 1}, {fieldBatchSize, int32(len(batches))}, {fieldBatchIndex, int32(i)}, {fieldBatchID, batchID}} {
			b = protowire.AppendTag(b, f.num, protowire.VarintType)
			b = protowire.AppendVarint(b, uint64(int64(f.v))) // int32 sign-extends
		}
		uris = append(uris, "otpauth-migration://offline?data="+url.QueryEscape(base64.StdEncoding.EncodeToString(b)))
	}
	return uris, skipped
}

// encodeParameters writes one OtpParameters message. The name field holds
// "issuer:account" as Google Authenticator's own exports do.
func encodeParameters(a *Account) []byte {
	var b []byte
	b = protowire.AppendTag(b, fieldSecret, protowire.BytesType)
	b = protowire.AppendBytes(b, a.Secret)
	b = protowire.AppendTag(b, fieldName, protowire.BytesType)
	b = protowire.AppendString(b, joinLabel(a.Issuer, a.Name))
	if a.Issuer != "" {
		b = protowire.AppendTag(b, fieldIssuer, protowire.BytesType)
		b = protowire.AppendString(b, a.Issuer)
	}
	algorithm := map[Algorithm]uint64{SHA1: googleSHA1, SHA256: googleSHA256, SHA512: googleSHA512}[a.Algorithm]
	digits := uint64(googleSix)
	if a.Digits == 8 {
		digits = googleEight
	}
	typ := uint64(googleTOTP)
	if a.Type == HOTP {
		typ = googleHOTP
	}
	for _, f := range []struct {
		num protowire.Number
		v   uint64
	}{{fieldAlgorithm, algorithm}, {fieldDigits, digits}, {fieldType, typ}} {
		b = protowire.AppendTag(b, f.num, protowire.VarintType)
		b = protowire.AppendVarint(b, f.v)
	}
	if a.Type == HOTP {
		b = protowire.AppendTag(b, fieldCounter, protowire.VarintType)
		b = protowire.AppendVarint(b, a.Counter)
	}
	return b
}

// BatchComplete reports which payloads of one export are still missing: the
// indexes in 0..BatchSize-1 that no payload in ms has, in order. An empty
// result means the batch is complete. Payloads scanned twice are fine; an
// error wrapping ErrBatchMismatch means ms mixes exports or holds an index
// outside its batch. A payload without batch fields (BatchSize 0, as some
// single-code exports have) counts as a batch of one.
func BatchComplete(ms []Migration) (missing []int, err error) {
	if len(ms) == 0 {
		return nil, fmt.Errorf("%w: no payloads", ErrBatchMismatch)
	}
	size, id := max(ms[0].BatchSize, 1), ms[0].BatchID
	if size > maxBatchCodes {
		return nil, fmt.Errorf("%w: batch size %d is more than %d codes", ErrBatchMismatch, size, maxBatchCodes)
	}
	seen := make([]bool, size)
	for i, m := range ms {
		if max(m.BatchSize, 1) != size || m.BatchID != id {
			return nil, fmt.Errorf("%w: payload %d is from batch %d of %d codes, payload 1 from batch %d of %d",
				ErrBatchMismatch, i+1, m.BatchID, max(m.BatchSize, 1), id, size)
		}
		if m.BatchIndex < 0 || m.BatchIndex >= size {
			return nil, fmt.Errorf("%w: payload %d has index %d, outside 0..%d", ErrBatchMismatch, i+1, m.BatchIndex, size-1)
		}
		seen[m.BatchIndex] = true
	}
	for i, ok := range seen {
		if !ok {
			missing = append(missing, i)
		}
	}
	return missing, nil
}
