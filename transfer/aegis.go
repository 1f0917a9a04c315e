package transfer

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/gatekey/gatekey/internal/atomicfile"
	"github.com/gatekey/gatekey/otp"
	"github.com/gatekey/gatekey/vault"
)

// readAegis reads an Aegis vault or export through the vault package, which
// owns the format (formats.md §4) and bounds the scrypt parameters of its
// slots. The password is asked for only when the file turns out to be
// encrypted.
func readAegis(data []byte, ask func() ([]byte, error), b *Batch) error {
	accounts, skipped, err := vault.Parse(data, nil)
	if errors.Is(err, vault.ErrPasswordRequired) {
		pw, perr := askPassword(ask)
		if errors.Is(perr, ErrPasswordRequired) {
			return &dualError{ErrPasswordRequired, err}
		}
		if perr != nil {
			return perr
		}
		accounts, skipped, err = vault.Parse(data, pw)
	}
	if err != nil {
		return aegisError(err)
	}
	b.Accounts = accounts
	for i, e := range skipped {
		b.addSkipped(Skipped{Item: itemName(e.Issuer, e.Name, i), Reason: e.Reason})
	}
	return nil
}

// aegisError maps the vault's sentinels to this package's, keeping both
// reachable through errors.Is.
func aegisError(err error) error {
	switch {
	case errors.Is(err, vault.ErrPasswordRequired):
		return &dualError{ErrPasswordRequired, err}
	case errors.Is(err, vault.ErrWrongPassword):
		return &dualError{ErrWrongPassword, err}
	case errors.Is(err, vault.ErrUnsupportedVersion):
		return &dualError{ErrUnsupported, err}
	}
	return &dualError{ErrMalformed, err}
}

// WriteAegis writes accounts to w as an Aegis vault (formats.md §4), which
// Aegis and Gatekey both import. With a password the file is encrypted
// under a new master key wrapped by that password (scrypt N=2^15, r=8, p=1,
// as Aegis writes); with an empty password it is a plain export holding the
// secrets in clear, which callers must have the user confirm. Accounts that
// cannot produce codes are returned as skipped and left out.
func WriteAegis(w io.Writer, accounts []otp.Account, password []byte) ([]Skipped, error) {
	return writeAegis(w, "", accounts, password)
}

// WriteAegisFile is WriteAegis to a new file at path, written atomically
// with mode 0600 (a temporary file in the same folder, synced, then
// renamed over path).
func WriteAegisFile(path string, accounts []otp.Account, password []byte) ([]Skipped, error) {
	var buf bytesBuffer
	defer buf.wipe()
	skipped, err := writeAegis(&buf, filepath.Dir(path), accounts, password)
	if err != nil {
		return skipped, &FileError{Path: path, Err: err}
	}
	if err := atomicfile.Write(path, buf.b); err != nil {
		return skipped, &FileError{Path: path, Err: err}
	}
	return skipped, nil
}

func writeAegis(w io.Writer, tmpDir string, accounts []otp.Account, password []byte) ([]Skipped, error) {
	valid, skipped := validOnly(accounts)
	var data []byte
	var err error
	if len(password) == 0 {
		data, err = encodePlainAegis(valid)
	} else {
		data, err = sealAegis(tmpDir, valid, password)
	}
	if err != nil {
		return skipped, err
	}
	defer clear(data)
	if _, err := w.Write(data); err != nil {
		return skipped, fmt.Errorf("writing the Aegis export: %w", err)
	}
	return skipped, nil
}

// sealAegis makes an encrypted Aegis vault holding accounts. The vault
// package has no function that writes a vault to memory, so the file is made
// through vault.Create in a private temporary folder (0700, beside the
// destination when tmpDir is set) and read back; only ciphertext touches the
// disk, and the folder is removed before returning.
func sealAegis(tmpDir string, accounts []otp.Account, password []byte) ([]byte, error) {
	dir, err := os.MkdirTemp(tmpDir, ".gatekey-export-*")
	if err != nil {
		return nil, fmt.Errorf("making a temporary folder for the export: %w", err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "vault.json")
	v, err := vault.Create(path, vault.CreateOptions{Password: password, Keychain: noKeychain{}})
	if err != nil {
		return nil, fmt.Errorf("creating the encrypted export: %w", err)
	}
	seen := map[string]bool{}
	for _, a := range accounts {
		if a.UUID == "" || seen[a.UUID] {
			a.UUID = "" // the vault gives it a fresh one
		}
		id, err := v.Add(a)
		if err != nil {
			return nil, fmt.Errorf("adding %s to the export: %w", itemName(a.Issuer, a.Name, 0), err)
		}
		seen[id] = true
	}
	if err := v.Lock(); err != nil { // Lock saves, then forgets the key
		return nil, fmt.Errorf("writing the encrypted export: %w", err)
	}
	return os.ReadFile(path)
}

// noKeychain keeps an export's master key out of the OS keychain: the
// export is opened by its password alone, on another device.
type noKeychain struct{}

func (noKeychain) Get(string, string) (string, error) { return "", vault.ErrNotInKeychain }
func (noKeychain) Set(string, string, string) error   { return vault.ErrNoKeychain }
func (noKeychain) Delete(string, string) error        { return nil }

// Plain Aegis export, the shape Aegis writes (formats.md §4) with db version
// 3. The vault package writes only encrypted files, so the plain variant is
// encoded here.
type aegisPlainFile struct {
	Version int              `json:"version"`
	Header  aegisPlainHeader `json:"header"`
	DB      aegisDB          `json:"db"`
}

type aegisPlainHeader struct {
	Slots  *struct{} `json:"slots"`
	Params *struct{} `json:"params"`
}

type aegisDB struct {
	Version int          `json:"version"`
	Entries []aegisEntry `json:"entries"`
	Groups  []aegisGroup `json:"groups"`
}

type aegisGroup struct {
	UUID string `json:"uuid"`
	Name string `json:"name"`
}

type aegisEntry struct {
	Type     string    `json:"type"`
	UUID     string    `json:"uuid"`
	Name     string    `json:"name"`
	Issuer   string    `json:"issuer"`
	Note     string    `json:"note"`
	Favorite bool      `json:"favorite"`
	Icon     *string   `json:"icon"`
	IconMime *string   `json:"icon_mime"`
	Info     aegisInfo `json:"info"`
	Groups   []string  `json:"groups"`
}

type aegisInfo struct {
	Secret  string  `json:"secret"`
	Algo    string  `json:"algo"`
	Digits  int     `json:"digits"`
	Period  *int    `json:"period,omitempty"`
	Counter *uint64 `json:"counter,omitempty"`
}

func encodePlainAegis(accounts []otp.Account) ([]byte, error) {
	f := aegisPlainFile{Version: 1, DB: aegisDB{Version: 3, Entries: []aegisEntry{}, Groups: []aegisGroup{}}}
	groupIDs := map[string]string{}
	seen := map[string]bool{}
	for _, a := range accounts {
		e := aegisEntry{Type: string(a.Type), UUID: a.UUID, Name: a.Name, Issuer: a.Issuer, Note: a.Note,
			Favorite: a.Favorite, Groups: []string{},
			Info: aegisInfo{Secret: otp.EncodeBase32(a.Secret), Algo: string(a.Algorithm), Digits: a.Digits}}
		if e.UUID == "" || seen[e.UUID] {
			e.UUID = newUUID()
		}
		seen[e.UUID] = true
		if a.Type == otp.HOTP {
			c := a.Counter
			e.Info.Counter = &c
		} else {
			p := a.Period
			e.Info.Period = &p
		}
		if len(a.Icon) > 0 {
			icon, mime := base64.StdEncoding.EncodeToString(a.Icon), a.IconMime
			e.Icon, e.IconMime = &icon, &mime
		}
		for _, g := range a.Groups {
			id, ok := groupIDs[g]
			if !ok {
				id = newUUID()
				groupIDs[g] = id
				f.DB.Groups = append(f.DB.Groups, aegisGroup{UUID: id, Name: g})
			}
			e.Groups = append(e.Groups, id)
		}
		f.DB.Entries = append(f.DB.Entries, e)
	}
	return json.MarshalIndent(f, "", "    ")
}

// newUUID returns a random (version 4) UUID, as Aegis gives its entries.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand, Go 1.24+)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
