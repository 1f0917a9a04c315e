//go:build ignore

// make.go writes the sample export files in this folder from one table of
// accounts. It follows docs/formats.md and imports nothing of Gatekey, so
// that the importers are checked against a second, independent writer of
// each format. Run it from the repository root:
//
//	go run testdata/samples/make.go
//
// It also adds the samples to the seed corpora of the fuzz targets of otp
// and vault. The output is the same on every run: keys, salts and nonces are derived
// from fixed labels instead of drawn at random, which is fine for files
// whose only purpose is to be read by tests.
package main

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/pbkdf2"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/crypto/scrypt"
)

// password opens every encrypted sample.
const password = "test"

type account struct {
	Type      string `json:"type"`
	Issuer    string `json:"issuer"`
	Name      string `json:"name"`
	Secret    string `json:"secret"`
	Algorithm string `json:"algorithm"`
	Digits    int    `json:"digits"`
	Period    int    `json:"period,omitempty"`
	Counter   uint64 `json:"counter,omitempty"`
}

// accounts are the seven accounts of the samples: every type and
// algorithm, 5 to 8 digits, odd periods, a space and non-ASCII letters in
// labels, and HOTP counters from 1 to 10300.
var accounts = []account{
	{Type: "totp", Issuer: "Example Mail", Name: "ada@example.com", Secret: "3QNSEAS5BGR4JXK2UA3GG2FM4U", Algorithm: "SHA1", Digits: 6, Period: 30},
	{Type: "totp", Issuer: "Build Farm", Name: "ci-bot", Secret: "YCTM5LX2TGGUHXJ7QIJK2QDCME", Algorithm: "SHA256", Digits: 7, Period: 20},
	{Type: "totp", Issuer: "Café Crème", Name: "zoë", Secret: "3345GV62DA56A23HVTPDE33MUQ", Algorithm: "SHA512", Digits: 8, Period: 50},
	{Type: "hotp", Issuer: "Ledger", Name: "lin", Secret: "SYD6NA6BRXIVKO5EOR7QDG3T5Q", Algorithm: "SHA1", Digits: 6, Counter: 1},
	{Type: "hotp", Issuer: "Blue Harbor", Name: "omar", Secret: "YCVPVLMYJXVU3XBU5BMVZR7NTQ", Algorithm: "SHA256", Digits: 7, Counter: 50},
	{Type: "hotp", Issuer: "Tiny Git", Name: "sam", Secret: "5RZVYJIEYLNAPTA72O4RYIGD7Q", Algorithm: "SHA512", Digits: 8, Counter: 10300},
	{Type: "steam", Issuer: "Steam", Name: "player1", Secret: "33GOZUCN5GACPSWQQKVDESQ5PEGPTSZ7", Algorithm: "SHA1", Digits: 5, Period: 30},
}

// Indexes into accounts, for the files that hold a subset.
const (
	exampleMail = iota
	buildFarm
	cafeCreme
	ledger
	blueHarbor
	tinyGit
	steam
)

func main() {
	dir := filepath.Join("testdata", "samples")
	files := map[string][]byte{
		"accounts.json":        indent(map[string]any{"entries": accounts}),
		"aegis_plain.json":     aegisPlain(),
		"aegis_encrypted.json": aegisEncrypted(),
		"2fas_plain.2fas":      twoFASPlain(),
		"2fas_encrypted.2fas":  twoFASEncrypted(),
		"uris.txt":             uriList(),
		"ente.txt":             enteList(),
		"bitwarden.json":       bitwarden(),
		"andotp.json":          andOTP(),
		"freeotp_plus.json":    freeOTP(),
		"proton.json":          proton(),
		"google_migration.txt": googleMigration(),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			log.Fatal(err)
		}
	}
	writeFuzzSeeds(files)
}

// writeFuzzSeeds puts the samples into the seed corpora of the fuzz
// targets of otp and vault (testdata/fuzz/FuzzX in each package), which
// go test runs as ordinary tests too; transfer's targets read the samples
// themselves.
func writeFuzzSeeds(files map[string][]byte) {
	lines := func(names ...string) []string {
		var out []string
		for _, n := range names {
			out = append(out, strings.Fields(string(files[n]))...)
		}
		return out
	}
	seeds := map[string][]string{}
	for i, l := range lines("uris.txt", "ente.txt") {
		seeds[fmt.Sprintf("otp/testdata/fuzz/FuzzParseURI/sample-uri-%d", i+1)] = []string{"string", l}
	}
	for i, l := range lines("google_migration.txt") {
		seeds[fmt.Sprintf("otp/testdata/fuzz/FuzzParseMigration/sample-migration-%d", i+1)] = []string{"string", l}
	}
	seeds["vault/testdata/fuzz/FuzzParseFile/sample-aegis-plain"] = []string{"[]byte", string(files["aegis_plain.json"])}
	seeds["vault/testdata/fuzz/FuzzParseFile/sample-aegis-encrypted"] = []string{"[]byte", string(files["aegis_encrypted.json"])}
	seeds["vault/testdata/fuzz/FuzzParseDB/sample-db"] = []string{"[]byte", string(compact(aegisDB()))}
	for path, seed := range seeds {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			log.Fatal(err)
		}
		data := "go test fuzz v1\n" + seed[0] + "(" + strconv.Quote(seed[1]) + ")\n"
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			log.Fatal(err)
		}
	}
}

// derive makes a deterministic byte string of length n for a label.
func derive(label string, n int) []byte {
	var out []byte
	for i := 0; len(out) < n; i++ {
		sum := sha256.Sum256([]byte(fmt.Sprintf("gatekey sample %s %d", label, i)))
		out = append(out, sum[:]...)
	}
	return out[:n]
}

func secretBytes(a account) []byte {
	b, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(a.Secret)
	if err != nil {
		log.Fatal(err)
	}
	return b
}

func indent(v any) []byte {
	b, err := json.MarshalIndent(v, "", "    ")
	if err != nil {
		log.Fatal(err)
	}
	return append(b, '\n')
}

func compact(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		log.Fatal(err)
	}
	return b
}

// gcmSeal encrypts with AES-256-GCM and returns the ciphertext and the tag
// apart, as Aegis stores them.
func gcmSeal(key, nonce, plain []byte) (ct, tag []byte) {
	block, err := aes.NewCipher(key)
	if err != nil {
		log.Fatal(err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		log.Fatal(err)
	}
	sealed := aead.Seal(nil, nonce, plain, nil)
	return sealed[:len(sealed)-aead.Overhead()], sealed[len(sealed)-aead.Overhead():]
}

// uri writes an account as a Key URI: the label percent-encoded, the query
// form-encoded (a space becomes '+', as several apps write it).
func uri(a account) string {
	q := url.Values{}
	q.Set("secret", a.Secret)
	q.Set("issuer", a.Issuer)
	q.Set("algorithm", a.Algorithm)
	q.Set("digits", fmt.Sprint(a.Digits))
	if a.Type == "hotp" {
		q.Set("counter", fmt.Sprint(a.Counter))
	} else {
		q.Set("period", fmt.Sprint(a.Period))
	}
	// url.Values.Encode sorts the keys; apps put the secret first.
	query := "secret=" + q.Get("secret")
	q.Del("secret")
	return "otpauth://" + a.Type + "/" + url.PathEscape(a.Issuer) + ":" + url.PathEscape(a.Name) + "?" + query + "&" + q.Encode()
}

// Aegis (formats.md §4).

type aegisInfo struct {
	Secret  string  `json:"secret"`
	Algo    string  `json:"algo"`
	Digits  int     `json:"digits"`
	Period  int     `json:"period,omitempty"`
	Counter *uint64 `json:"counter,omitempty"`
}

type aegisEntry struct {
	Type     string    `json:"type"`
	UUID     string    `json:"uuid"`
	Name     string    `json:"name"`
	Issuer   string    `json:"issuer"`
	Note     string    `json:"note"`
	Favorite bool      `json:"favorite"`
	Icon     *string   `json:"icon"`
	Info     aegisInfo `json:"info"`
	Groups   []string  `json:"groups"`
}

func uuid(label string) string {
	b := derive("uuid "+label, 16)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func aegisDB() map[string]any {
	work := uuid("group Work")
	var entries []aegisEntry
	for i, a := range accounts {
		info := aegisInfo{Secret: a.Secret, Algo: a.Algorithm, Digits: a.Digits, Period: a.Period}
		if a.Type == "hotp" {
			info.Period, info.Counter = 0, &a.Counter
		}
		groups := []string{}
		if i%2 == 0 {
			groups = []string{work}
		}
		entries = append(entries, aegisEntry{Type: a.Type, UUID: uuid(a.Issuer), Name: a.Name, Issuer: a.Issuer,
			Favorite: i == 0, Info: info, Groups: groups})
	}
	return map[string]any{"version": 3, "entries": entries, "groups": []map[string]string{{"uuid": work, "name": "Work"}}}
}

func aegisPlain() []byte {
	return indent(map[string]any{
		"version": 1,
		"header":  map[string]any{"slots": nil, "params": nil},
		"db":      aegisDB(),
	})
}

// aegisEncrypted wraps a master key in one password slot (scrypt N=2^15,
// r=8, p=1, Aegis's cost) and encrypts the db under it.
func aegisEncrypted() []byte {
	master := derive("aegis master key", 32)
	salt := derive("aegis slot salt", 32)
	kek, err := scrypt.Key([]byte(password), salt, 1<<15, 8, 1, 32)
	if err != nil {
		log.Fatal(err)
	}
	slotNonce := derive("aegis slot nonce", 12)
	wrapped, slotTag := gcmSeal(kek, slotNonce, master)
	dbNonce := derive("aegis db nonce", 12)
	ct, tag := gcmSeal(master, dbNonce, compact(aegisDB()))
	slot := map[string]any{
		"type": 1, "uuid": uuid("aegis slot"), "key": hex.EncodeToString(wrapped),
		"key_params": map[string]string{"nonce": hex.EncodeToString(slotNonce), "tag": hex.EncodeToString(slotTag)},
		"n":          1 << 15, "r": 8, "p": 1, "salt": hex.EncodeToString(salt), "repaired": true, "is_backup": false,
	}
	return indent(map[string]any{
		"version": 1,
		"header": map[string]any{
			"slots":  []any{slot},
			"params": map[string]string{"nonce": hex.EncodeToString(dbNonce), "tag": hex.EncodeToString(tag)},
		},
		"db": base64.StdEncoding.EncodeToString(ct),
	})
}

// 2FAS (formats.md §5). The app keeps 30-second and 60-second periods and
// 6 to 8 digits; the 20-second and 50-second accounts are left out as it
// would leave them out.

var twoFASAccounts = []int{exampleMail, ledger, blueHarbor, tinyGit, steam}

type twoFASOTP struct {
	Link      string  `json:"link"`
	Label     string  `json:"label"`
	Account   string  `json:"account"`
	Issuer    string  `json:"issuer"`
	Digits    int     `json:"digits"`
	Period    int     `json:"period,omitempty"`
	Algorithm string  `json:"algorithm"`
	Counter   *uint64 `json:"counter,omitempty"`
	TokenType string  `json:"tokenType"`
	Source    string  `json:"source"`
}

type twoFASService struct {
	Name      string         `json:"name"`
	Secret    string         `json:"secret"`
	UpdatedAt int64          `json:"updatedAt"`
	OTP       twoFASOTP      `json:"otp"`
	Order     map[string]int `json:"order"`
	Icon      map[string]any `json:"icon"`
}

func twoFASServices() []twoFASService {
	var out []twoFASService
	for pos, i := range twoFASAccounts {
		a := accounts[i]
		o := twoFASOTP{Link: uri(a), Label: a.Name, Account: a.Name, Issuer: a.Issuer, Digits: a.Digits,
			Period: a.Period, Algorithm: a.Algorithm, TokenType: strings.ToUpper(a.Type), Source: "Link"}
		if a.Type == "hotp" {
			o.Counter = &a.Counter
		}
		out = append(out, twoFASService{Name: a.Issuer, Secret: a.Secret, UpdatedAt: 1767225600000 + int64(pos)*1000, OTP: o,
			Order: map[string]int{"position": pos},
			Icon:  map[string]any{"selected": "Label", "label": map[string]string{"text": strings.ToUpper(a.Issuer[:2]), "backgroundColor": "Indigo"}}})
	}
	return out
}

func twoFASFile(services any, encrypted, reference string) map[string]any {
	f := map[string]any{"services": services, "groups": []any{}, "updatedAt": 1767225700000, "schemaVersion": 4,
		"appVersionCode": 5000009, "appVersionName": "5.1.0", "appOrigin": "android"}
	if encrypted != "" {
		f["servicesEncrypted"], f["reference"] = encrypted, reference
	}
	return f
}

func twoFASPlain() []byte { return indent(twoFASFile(twoFASServices(), "", "")) }

// twoFASEncrypted seals the services with PBKDF2-HMAC-SHA256 (10000
// iterations) and AES-256-GCM; the reference is the same key over a fixed
// text, with its own nonce.
func twoFASEncrypted() []byte {
	salt := derive("2fas salt", 256)
	key, err := pbkdf2.Key(sha256.New, password, salt, 10000, 32)
	if err != nil {
		log.Fatal(err)
	}
	seal := func(label string, plain []byte) string {
		iv := derive(label, 12)
		ct, tag := gcmSeal(key, iv, plain)
		b64 := base64.StdEncoding.EncodeToString
		return b64(append(ct, tag...)) + ":" + b64(salt) + ":" + b64(iv)
	}
	services := seal("2fas services iv", compact(twoFASServices()))
	reference := seal("2fas reference iv", []byte("Gatekey sample reference text"))
	return compact(twoFASFile([]any{}, services, reference))
}

// Text lists (formats.md §2, §6).

func uriList() []byte {
	var b strings.Builder
	for _, a := range accounts {
		b.WriteString(uri(a) + "\n")
	}
	return []byte(b.String())
}

// enteList writes what Ente Auth exports: its own order, a codeDisplay
// parameter on every line, and lower-case algorithm names with a stray
// period on HOTP lines.
func enteList() []byte {
	display := "&codeDisplay=" + url.QueryEscape(`{"pinned":false,"trashed":false,"lastUsedAt":0,"tapCount":0,"tags":[]}`)
	var b strings.Builder
	for _, i := range []int{tinyGit, cafeCreme, steam, exampleMail, blueHarbor, ledger, buildFarm} {
		line := uri(accounts[i])
		if accounts[i].Type == "hotp" {
			line = strings.Replace(line, "algorithm="+accounts[i].Algorithm, "algorithm="+strings.ToLower(accounts[i].Algorithm), 1) + "&period=30"
		}
		b.WriteString(line + display + "\n")
	}
	return []byte(b.String())
}

// Bitwarden (formats.md §6): the TOTP field holds a URI, a bare secret or
// steam://SECRET; items without one are other logins and notes.
func bitwarden() []byte {
	type login struct {
		URIs     any     `json:"uris"`
		Username *string `json:"username"`
		Password *string `json:"password"`
		TOTP     *string `json:"totp"`
	}
	type item struct {
		ID             string  `json:"id"`
		OrganizationID *string `json:"organizationId"`
		FolderID       *string `json:"folderId"`
		Type           int     `json:"type"`
		Name           string  `json:"name"`
		Notes          *string `json:"notes"`
		Favorite       bool    `json:"favorite"`
		Login          *login  `json:"login,omitempty"`
		CollectionIDs  any     `json:"collectionIds"`
	}
	str := func(s string) *string { return &s }
	mail, farm, cafe, game := accounts[exampleMail], accounts[buildFarm], accounts[cafeCreme], accounts[steam]
	items := []item{
		{ID: uuid("bw 1"), Type: 1, Name: mail.Issuer, Login: &login{Username: str(mail.Name), TOTP: str(mail.Secret)}},
		{ID: uuid("bw 2"), Type: 1, Name: "Build server", Login: &login{Username: str("ci-bot"), TOTP: str(uri(farm))}},
		{ID: uuid("bw 3"), Type: 1, Name: "Café", Login: &login{TOTP: str(uri(cafe))}},
		{ID: uuid("bw 4"), Type: 1, Name: game.Issuer, Login: &login{Username: str(game.Name), TOTP: str("steam://" + game.Secret)}},
		{ID: uuid("bw 5"), Type: 1, Name: "Router", Login: &login{Username: str("admin")}},
		{ID: uuid("bw 6"), Type: 2, Name: "A note", Notes: str("no login here")},
	}
	return indent(map[string]any{"encrypted": false, "folders": []any{}, "items": items})
}

// andOTP (formats.md §6): padded Base32, upper-case types, tags.
func andOTP() []byte {
	type entry struct {
		Secret    string   `json:"secret"`
		Issuer    string   `json:"issuer"`
		Label     string   `json:"label"`
		Digits    int      `json:"digits"`
		Type      string   `json:"type"`
		Algorithm string   `json:"algorithm"`
		Thumbnail string   `json:"thumbnail"`
		LastUsed  int64    `json:"last_used"`
		Period    int      `json:"period,omitempty"`
		Counter   *uint64  `json:"counter,omitempty"`
		Tags      []string `json:"tags"`
	}
	var out []entry
	for i, a := range accounts {
		padded := a.Secret + strings.Repeat("=", (8-len(a.Secret)%8)%8)
		e := entry{Secret: padded, Issuer: a.Issuer, Label: a.Name, Digits: a.Digits, Type: strings.ToUpper(a.Type),
			Algorithm: a.Algorithm, Thumbnail: "Default", LastUsed: 1767225600000 + int64(i), Period: a.Period, Tags: []string{}}
		if a.Type == "hotp" {
			e.Period, e.Counter = 0, &a.Counter
		}
		if i%3 == 0 {
			e.Tags = []string{"work"}
		}
		out = append(out, e)
	}
	return indent(out)
}

// FreeOTP+ (formats.md §6): signed bytes and the counter of the code last
// shown, one below the next; no Steam.
func freeOTP() []byte {
	type token struct {
		Algo      string  `json:"algo"`
		Counter   uint64  `json:"counter"`
		Digits    int     `json:"digits"`
		IssuerExt string  `json:"issuerExt"`
		IssuerInt string  `json:"issuerInt"`
		Label     string  `json:"label"`
		Period    int     `json:"period"`
		Secret    []int16 `json:"secret"`
		Type      string  `json:"type"`
	}
	var tokens []token
	var order []string
	for _, i := range []int{tinyGit, blueHarbor, ledger, cafeCreme, buildFarm, exampleMail} {
		a := accounts[i]
		t := token{Algo: a.Algorithm, Digits: a.Digits, IssuerExt: a.Issuer, IssuerInt: a.Issuer, Label: a.Name,
			Period: a.Period, Type: strings.ToUpper(a.Type)}
		if a.Type == "hotp" {
			t.Counter, t.Period = a.Counter-1, 30
		}
		for _, c := range secretBytes(a) {
			t.Secret = append(t.Secret, int16(int8(c)))
		}
		tokens = append(tokens, t)
		order = append(order, a.Issuer+":"+a.Name)
	}
	return indent(map[string]any{"tokenOrder": order, "tokens": tokens})
}

// Proton Authenticator: a URI per entry; this export holds the TOTP accounts.
func proton() []byte {
	type content struct {
		URI       string `json:"uri"`
		EntryType string `json:"entry_type"`
		Name      string `json:"name"`
	}
	type entry struct {
		ID      string  `json:"id"`
		Content content `json:"content"`
		Note    *string `json:"note"`
	}
	var entries []entry
	for _, i := range []int{exampleMail, buildFarm, cafeCreme} {
		a := accounts[i]
		entries = append(entries, entry{ID: uuid("proton " + a.Issuer), Content: content{URI: uri(a), EntryType: "Totp", Name: a.Name}})
	}
	return indent(map[string]any{"version": 1, "entries": entries})
}

// Google Authenticator (formats.md §3): a batch of two QR codes holding
// the accounts the format can carry (30 s, 6 or 8 digits, no Steam). The
// first names its account "issuer:account", as the app does.
func googleMigration() []byte {
	param := func(a account, name string) []byte {
		algorithm := map[string]uint64{"SHA1": 1, "SHA256": 2, "SHA512": 3}[a.Algorithm]
		digits := map[int]uint64{6: 1, 8: 2}[a.Digits]
		typ := map[string]uint64{"hotp": 1, "totp": 2}[a.Type]
		b := protoBytes(nil, 1, secretBytes(a))
		b = protoBytes(b, 2, []byte(name))
		b = protoBytes(b, 3, []byte(a.Issuer))
		b = protoVarint(b, 4, algorithm)
		b = protoVarint(b, 5, digits)
		b = protoVarint(b, 6, typ)
		if a.Type == "hotp" {
			b = protoVarint(b, 7, a.Counter)
		}
		return b
	}
	payload := func(index uint64, params ...[]byte) string {
		var b []byte
		for _, p := range params {
			b = protoBytes(b, 1, p)
		}
		b = protoVarint(b, 2, 1)          // version
		b = protoVarint(b, 3, 2)          // batch size
		b = protoVarint(b, 4, index)      // batch index
		b = protoVarint(b, 5, 1357924680) // batch id
		return "otpauth-migration://offline?data=" + url.QueryEscape(base64.StdEncoding.EncodeToString(b))
	}
	mail, ledgerAcct, git := accounts[exampleMail], accounts[ledger], accounts[tinyGit]
	first := payload(0, param(mail, mail.Issuer+":"+mail.Name), param(ledgerAcct, ledgerAcct.Name))
	second := payload(1, param(git, git.Name))
	return []byte(first + "\n" + second + "\n")
}

func protoVarint(b []byte, field int, v uint64) []byte {
	b = binary.AppendUvarint(b, uint64(field)<<3)
	return binary.AppendUvarint(b, v)
}

func protoBytes(b []byte, field int, v []byte) []byte {
	b = binary.AppendUvarint(b, uint64(field)<<3|2)
	b = binary.AppendUvarint(b, uint64(len(v)))
	return append(b, v...)
}
