package otp

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// ErrInvalidURI reports an otpauth:// or otpauth-migration:// URI that is
// malformed or lacks a required part. It is always wrapped with what is wrong;
// the secret never appears in the message.
var ErrInvalidURI = errors.New("invalid otpauth URI")

// maxURILen bounds the text ParseURI accepts. A QR code holds at most about
// 4,300 characters; the slack covers URIs pasted from elsewhere.
const maxURILen = 16 << 10

// ParseURI reads a Key URI (otpauth://totp/..., otpauth://hotp/... or
// otpauth://steam/...) as described in formats.md §2. The label is
// percent-decoded and split into issuer and account at the first colon, with
// spaces trimmed; the issuer parameter wins over the label's prefix; algorithm
// defaults to SHA1, digits to 6 (5 for Steam), period to 30; counter is
// required for HOTP. A TOTP URI with encoder=steam (KeePassXC's spelling) is
// read as Steam. Unknown parameters are ignored.
//
// Errors wrap ErrInvalidURI, plus ErrInvalidSecret for a bad secret or
// ErrUnsupported for an unknown type or algorithm.
func ParseURI(s string) (Account, error) {
	if len(s) > maxURILen {
		return Account{}, fmt.Errorf("%w: longer than %d bytes", ErrInvalidURI, maxURILen)
	}
	const scheme = "otpauth://"
	if len(s) < len(scheme) || !strings.EqualFold(s[:len(scheme)], scheme) {
		return Account{}, fmt.Errorf("%w: does not start with %s", ErrInvalidURI, scheme)
	}
	rest, rawQuery, _ := strings.Cut(s[len(scheme):], "?")
	typ, rawLabel, _ := strings.Cut(rest, "/")
	label, err := url.PathUnescape(rawLabel)
	if err != nil {
		return Account{}, fmt.Errorf("%w: label is not valid percent-encoding", ErrInvalidURI)
	}
	q, err := parseQuery(rawQuery)
	if err != nil {
		return Account{}, err
	}

	a := Account{Type: Type(strings.ToLower(typ)), Algorithm: SHA1, Digits: 6, Period: 30}
	switch a.Type {
	case TOTP:
		if strings.EqualFold(q["encoder"], "steam") {
			a.Type = Steam
		}
	case HOTP, Steam:
	default:
		return Account{}, fmt.Errorf("%w: %w: type %q", ErrInvalidURI, ErrUnsupported, typ)
	}
	if a.Type == Steam {
		a.Digits = SteamDigits
	}

	secret, ok := q["secret"]
	if !ok {
		return Account{}, fmt.Errorf("%w: no secret parameter", ErrInvalidURI)
	}
	if a.Secret, err = DecodeBase32(secret); err != nil {
		return Account{}, fmt.Errorf("%w: secret: %w", ErrInvalidURI, err)
	}
	a.Issuer, a.Name = splitLabel(label, q["issuer"])

	if v, ok := q["algorithm"]; ok {
		a.Algorithm = Algorithm(strings.ToUpper(v))
		if _, err := a.Algorithm.hash(); err != nil {
			return Account{}, fmt.Errorf("%w: %w", ErrInvalidURI, err)
		}
	}
	if v, ok := q["digits"]; ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < MinDigits || n > MaxDigits {
			return Account{}, fmt.Errorf("%w: digits %q, want %d to %d", ErrInvalidURI, v, MinDigits, MaxDigits)
		}
		a.Digits = n
	}
	if v, ok := q["period"]; ok && a.Type != HOTP {
		n, err := strconv.ParseInt(v, 10, 32)
		if err != nil || n <= 0 {
			return Account{}, fmt.Errorf("%w: period %q, want a positive number of seconds", ErrInvalidURI, v)
		}
		a.Period = int(n)
	}
	if a.Type == HOTP {
		v, ok := q["counter"]
		if !ok {
			return Account{}, fmt.Errorf("%w: hotp URI without counter parameter", ErrInvalidURI)
		}
		if a.Counter, err = strconv.ParseUint(v, 10, 64); err != nil {
			return Account{}, fmt.Errorf("%w: counter %q is not a whole number", ErrInvalidURI, v)
		}
		a.Period = 0
	}
	return a, nil
}

// parseQuery decodes name=value pairs, '+' meaning a space (formats.md §2).
// The first of repeated names wins, as with url.Values.Get. Values are not
// echoed in errors because one of them is the secret.
func parseQuery(raw string) (map[string]string, error) {
	q := make(map[string]string)
	for pair := range strings.SplitSeq(raw, "&") {
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			return nil, fmt.Errorf("%w: a parameter name is not valid percent-encoding", ErrInvalidURI)
		}
		key = strings.ToLower(key)
		val, err := url.QueryUnescape(v)
		if err != nil {
			return nil, fmt.Errorf("%w: parameter %q is not valid percent-encoding", ErrInvalidURI, key)
		}
		if _, seen := q[key]; !seen {
			q[key] = val
		}
	}
	return q, nil
}

// splitLabel turns a decoded label and the issuer parameter into issuer and
// account name. Google's format puts "issuer:account" in the label and the
// issuer again as a parameter; the parameter is preferred (formats.md §2).
// When the label starts with the issuer parameter and a colon, exactly that
// prefix is removed, so an issuer that itself contains a colon survives a
// round trip; otherwise the label splits at its first colon. Google
// Authenticator's export uses the same convention for its name field.
func splitLabel(label, issuerParam string) (issuer, name string) {
	issuerParam = strings.TrimSpace(issuerParam)
	if issuerParam != "" {
		if rest, ok := strings.CutPrefix(label, issuerParam+":"); ok {
			return issuerParam, strings.TrimSpace(rest)
		}
	}
	prefix, account, found := strings.Cut(label, ":")
	if !found {
		return issuerParam, strings.TrimSpace(label)
	}
	if issuerParam == "" {
		issuerParam = strings.TrimSpace(prefix)
	}
	return issuerParam, strings.TrimSpace(account)
}

// joinLabel is the inverse of splitLabel. A name containing a colon without
// an issuer gets an empty issuer prefix (":a:b"), because "a:b" would read
// back as issuer "a".
func joinLabel(issuer, name string) string {
	if issuer != "" || strings.Contains(name, ":") {
		return issuer + ":" + name
	}
	return name
}

// FormatURI writes an account as a Key URI in the form Google and Aegis use:
// otpauth://TYPE/Issuer:account?secret=...&issuer=...&algorithm=...&digits=...
// then period (TOTP, Steam) or counter (HOTP). Steam accounts are written as
// otpauth://steam/..., as Aegis does (GoogleAuthInfo.getUri). The account is
// not validated; call Validate first if that matters.
func FormatURI(a Account) string {
	var b strings.Builder
	b.WriteString("otpauth://")
	b.WriteString(string(a.Type))
	b.WriteByte('/')
	b.WriteString(escapeLabel(joinLabel(a.Issuer, a.Name)))
	b.WriteString("?secret=")
	b.WriteString(EncodeBase32(a.Secret))
	if a.Issuer != "" {
		b.WriteString("&issuer=")
		b.WriteString(url.QueryEscape(a.Issuer))
	}
	b.WriteString("&algorithm=")
	b.WriteString(url.QueryEscape(string(a.Algorithm)))
	b.WriteString("&digits=")
	b.WriteString(strconv.Itoa(a.Digits))
	if a.Type == HOTP {
		b.WriteString("&counter=")
		b.WriteString(strconv.FormatUint(a.Counter, 10))
	} else {
		b.WriteString("&period=")
		b.WriteString(strconv.Itoa(a.Period))
	}
	return b.String()
}

// escapeLabel percent-encodes a label but leaves the issuer colon readable,
// as other apps write it. url.PathEscape would leave '+' alone, which is
// fine in a path, but some readers treat it as a space, so it is encoded too.
func escapeLabel(label string) string {
	return strings.ReplaceAll(url.PathEscape(label), "+", "%2B")
}
