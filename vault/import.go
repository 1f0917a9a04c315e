package vault

import (
	"context"
	"errors"
	"fmt"

	"github.com/gatekey/gatekey/otp"
)

// ReadFile reads the accounts of an Aegis vault or Aegis export at path,
// plain or encrypted, for importing them. An encrypted file needs its
// password (ErrPasswordRequired without one); the keychain is not used.
// Entries Gatekey cannot use (other types, MD5) are returned as skipped so
// that the caller can name them to the user.
func ReadFile(path string, password []byte) ([]otp.Account, []Skipped, error) {
	data, err := readBounded(path)
	if err != nil {
		return nil, nil, &FileError{Path: path, Err: err}
	}
	accounts, skipped, err := Parse(data, password)
	if err != nil {
		return nil, nil, &FileError{Path: path, Err: err}
	}
	return accounts, skipped, nil
}

// Parse is ReadFile for a file already in memory.
func Parse(data, password []byte) ([]otp.Account, []Skipped, error) {
	f, err := parseFile(data)
	if err != nil {
		return nil, nil, corrupt(err)
	}
	var plain []byte
	if f.header.plain {
		plain = f.db
	} else {
		if len(password) == 0 {
			return nil, nil, ErrPasswordRequired
		}
		ct, err := decodeDBCiphertext(f.db)
		if err != nil {
			return nil, nil, corrupt(err)
		}
		key, err := unwrapWithPassword(context.Background(), f.header.slots, password)
		if errors.Is(err, errNoPasswordSlot) {
			return nil, nil, fmt.Errorf("%w: the file has no password slot", ErrWrongPassword)
		}
		if err != nil {
			return nil, nil, err
		}
		plain, err = gcmOpen(key, f.header.nonce, ct, f.header.tag)
		clear(key)
		if err != nil {
			return nil, nil, fmt.Errorf("%w: it does not decrypt with the key its password slot holds", ErrCorrupt)
		}
		defer clear(plain)
	}
	d, err := parseDB(plain)
	if err != nil {
		return nil, nil, corrupt(err)
	}
	names := d.groupNames()
	var accounts []otp.Account
	var skipped []Skipped
	for _, e := range d.entries {
		if e.raw != nil {
			skipped = append(skipped, Skipped{UUID: e.acct.UUID, Issuer: e.acct.Issuer, Name: e.acct.Name, Reason: e.skip})
		} else {
			accounts = append(accounts, e.account(names))
		}
		e.wipe()
	}
	return accounts, skipped, nil
}
