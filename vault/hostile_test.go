package vault

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/scrypt"
)

// slotSpec is one password slot of a hand-made vault: its scrypt
// parameters as written in the file, and the password it wraps the master
// key under ("" for a slot that holds garbage and must not be tried).
type slotSpec struct {
	n, r, p  string
	password string
}

// writeSlotsVault writes an encrypted vault with one TOTP account and the
// given password slots, following formats.md §4 without the package.
func writeSlotsVault(t *testing.T, path string, specs []slotSpec) {
	t.Helper()
	master := bytes.Repeat([]byte{7}, 32)
	var slots []string
	for i, sp := range specs {
		salt := bytes.Repeat([]byte{byte(i)}, 32)
		wk, kn, kt := make([]byte, 32), make([]byte, 12), make([]byte, 16)
		if sp.password != "" {
			var n, r, p int
			fmt.Sscan(sp.n, &n)
			fmt.Sscan(sp.r, &r)
			fmt.Sscan(sp.p, &p)
			kek, err := scrypt.Key([]byte(sp.password), salt, n, r, p, 32)
			if err != nil {
				t.Fatal(err)
			}
			wk, kn, kt = sealForTest(t, kek, master)
		}
		slots = append(slots, fmt.Sprintf(`{"type": 1, "uuid": "%08d-4444-4444-8444-444444444444", "key": %q, "key_params": {"nonce": %q, "tag": %q}, "n": %s, "r": %s, "p": %s, "salt": %q}`,
			i, hex.EncodeToString(wk), hex.EncodeToString(kn), hex.EncodeToString(kt), sp.n, sp.r, sp.p, hex.EncodeToString(salt)))
	}
	db := `{"version": 3, "entries": [{"type": "totp", "uuid": "u1", "name": "alice", "issuer": "Example", "info": {"secret": "JBSWY3DPEHPK3PXP", "algo": "SHA1", "digits": 6, "period": 30}}]}`
	ct, n, tg := sealForTest(t, master, []byte(db))
	file := fmt.Sprintf(`{"version": 1, "header": {"slots": [%s], "params": {"nonce": %q, "tag": %q}}, "db": %q}`,
		strings.Join(slots, ","), hex.EncodeToString(n), hex.EncodeToString(tg), base64.StdEncoding.EncodeToString(ct))
	if err := os.WriteFile(path, []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
}

// A slot asking for an absurd scrypt cost is bad input with its own error,
// which names the cost, not a wrong password: the command line exits 2 on
// it. A file with a good slot besides still opens.
func TestAbsurdScryptCostIsItsOwnError(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name    string
		n, r, p string
		want    string
	}{
		{"N=2^40", "1099511627776", "8", "1", "password slot 1 asks for scrypt N=2^40, more than Gatekey allows"},
		{"N=2^21", "2097152", "1", "1", "password slot 1 asks for scrypt N=2^21, more than Gatekey allows"},
		{"r*p", "32768", "8", "1073741824", "password slot 1 asks for scrypt N=2^15, r=8, p=1073741824, more than Gatekey allows"},
		{"n beyond 64 bits", "1267650600228229401496703205376", "8", "1", "password slot 1 asks for scrypt N=126765060022822940149670…, more than Gatekey allows"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name+".json")
			writeSlotsVault(t, path, []slotSpec{{n: tc.n, r: tc.r, p: tc.p}})
			_, err := Open(path, OpenOptions{Password: []byte("pw"), Keychain: &memKeychain{}})
			mustFileError(t, err, path, ErrTooCostly)
			if errors.Is(err, ErrWrongPassword) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q, want one saying %q and not a wrong password", err, tc.want)
			}
			_, _, err = ReadFile(path, []byte("pw"))
			mustFileError(t, err, path, ErrTooCostly)
			// Beside a usable slot the costly one is skipped.
			writeSlotsVault(t, path, []slotSpec{{n: tc.n, r: tc.r, p: tc.p}, {n: "16", r: "8", p: "1", password: "pw"}})
			if _, err := Open(path, OpenOptions{Password: []byte("pw"), Keychain: &memKeychain{}}); err != nil {
				t.Fatalf("a file with a usable slot besides: %v", err)
			}
			_, err = Open(path, OpenOptions{Password: []byte("wrong"), Keychain: &memKeychain{}})
			mustFileError(t, err, path, ErrWrongPassword)
		})
	}
}

// A file with more password slots than Aegis ever writes is refused before
// any scrypt runs, even when the last slot would open.
func TestTooManyPasswordSlots(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vault.json")
	specs := make([]slotSpec, maxPasswordSlots+1)
	for i := range specs {
		specs[i] = slotSpec{n: "16", r: "8", p: "1", password: fmt.Sprint("other", i)}
	}
	specs[maxPasswordSlots].password = "pw"
	writeSlotsVault(t, path, specs)
	_, err := Open(path, OpenOptions{Password: []byte("pw"), Keychain: &memKeychain{}})
	mustFileError(t, err, path, ErrTooCostly)
	if !strings.Contains(err.Error(), "the file has 17 password slots, more than Gatekey allows") {
		t.Fatalf("error %q does not name the number of slots", err)
	}
	writeSlotsVault(t, path, specs[1:])
	if _, err := Open(path, OpenOptions{Password: []byte("pw"), Keychain: &memKeychain{}}); err != nil {
		t.Fatalf("16 slots: %v", err)
	}
}

// Unlocking is cancellable: a vault whose slots each take a long scrypt
// run stops waiting as soon as the context is cancelled.
func TestOpenIsCancellable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vault.json")
	specs := make([]slotSpec, maxPasswordSlots)
	for i := range specs {
		specs[i] = slotSpec{n: "16384", r: "8", p: "1", password: fmt.Sprint("other", i)}
	}
	writeSlotsVault(t, path, specs)
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err := OpenContext(ctx, path, OpenOptions{Password: []byte("pw"), Keychain: &memKeychain{}})
	elapsed := time.Since(start)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if elapsed > time.Second {
		t.Fatalf("cancelled at 100 ms, returned after %v", elapsed)
	}
	// The same file takes far longer when nobody cancels.
	start = time.Now()
	_, err = Open(path, OpenOptions{Password: []byte("pw"), Keychain: &memKeychain{}})
	full := time.Since(start)
	if !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("uncancelled: %v", err)
	}
	t.Logf("cancelled after %v; trying all 16 slots takes %v", elapsed, full)
	if full < 2*elapsed {
		t.Errorf("the slots are too cheap for the test to show anything (%v for 16)", full)
	}
}

// A save that would write a file larger than Gatekey reads back is
// refused and writes nothing: the vault would never open again.
func TestSaveRefusesFileLargerThanTheReaderAccepts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vault.json")
	kc := &memKeychain{}
	v, err := Create(path, CreateOptions{Keychain: kc})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Add(testAccount(1)); err != nil {
		t.Fatal(err)
	}
	if err := v.Save(); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	big := testAccount(2)
	big.Note = strings.Repeat("n", maxFileSize*3/4)
	if _, err := v.Add(big); err != nil {
		t.Fatal(err)
	}
	err = v.Save()
	mustFileError(t, err, path, ErrTooLarge)
	if now, _ := os.ReadFile(path); !bytes.Equal(now, before) {
		t.Fatal("a refused save changed the file")
	}
	if _, err := Open(path, OpenOptions{Keychain: kc}); err != nil {
		t.Fatalf("the vault no longer opens: %v", err)
	}
}

// Icons are bounded: an account with a larger icon is not stored, and one
// read from a file is not handed out but kept in the file as it was.
func TestIconSizeIsBounded(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vault.json")
	kc := &memKeychain{}
	v, err := Create(path, CreateOptions{Keychain: kc})
	if err != nil {
		t.Fatal(err)
	}
	a := testAccount(0)
	a.Icon, a.IconMime = make([]byte, maxIconSize+1), "image/png"
	if _, err := v.Add(a); !errors.Is(err, ErrInvalidAccount) {
		t.Fatalf("Add with an icon of %d bytes: %v, want ErrInvalidAccount", len(a.Icon), err)
	}
	a.Icon = a.Icon[:maxIconSize]
	if _, err := v.Add(a); err != nil {
		t.Fatalf("Add with an icon of %d bytes: %v", len(a.Icon), err)
	}
	// A file made elsewhere with a larger icon.
	huge := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{0x89}, 2*maxIconSize))
	d, err := parseDB([]byte(`{"version":3,"entries":[{"type":"totp","uuid":"u","name":"n","issuer":"i","icon":"` + huge +
		`","icon_mime":"image/png","icon_hash":"h","info":{"secret":"JBSWY3DP","algo":"SHA1","digits":6,"period":30}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	e := d.entries[0]
	if e.raw != nil || len(e.account(nil).Icon) != 0 {
		t.Fatalf("the account is skipped (%q) or hands out a %d-byte icon", e.skip, len(e.account(nil).Icon))
	}
	renamed := e.account(nil)
	renamed.Name = "renamed"
	d.entries[0] = newEntry(renamed, nil, e)
	out := string(d.encode())
	if !strings.Contains(out, `"icon":"`+huge+`","icon_mime":"image/png","icon_hash":"h"`) {
		t.Fatal("the large icon was not written back as it was")
	}
}
