package vault

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/gatekey/gatekey/internal/testenv"
	"github.com/gatekey/gatekey/otp"
)

func TestMain(m *testing.M) {
	// Password slots written by tests use a tiny scrypt work factor; the
	// product writes N=32768 (see TestNewSlotUsesAegisScryptCost).
	testOnlyScryptN = 16
	switch os.Getenv(childEnv) {
	case "":
	case "crash":
		os.Exit(crashChild(os.Getenv(childPathEnv)))
	case "nokeychain":
		os.Exit(noKeychainChild(os.Getenv(childPathEnv)))
	case "hungkeychain":
		os.Exit(hungKeychainChild())
	case "writer":
		w, _ := strconv.Atoi(os.Getenv(writerEnv))
		os.Exit(writerChild(os.Getenv(childPathEnv), w))
	default:
		fmt.Fprintln(os.Stderr, "unknown child role")
		os.Exit(2)
	}
	os.Exit(m.Run())
}

const (
	childEnv     = "GATEKEY_VAULT_TEST_CHILD"
	childPathEnv = "GATEKEY_VAULT_TEST_PATH"
	writerEnv    = "GATEKEY_VAULT_TEST_WRITER"
)

// createTestVault makes a vault in a fresh folder through the real
// keychain and removes its keychain item when the test ends.
func createTestVault(t testing.TB, password string) *Vault {
	t.Helper()
	testenv.SecretService(t)
	path := filepath.Join(t.TempDir(), "gatekey", "vault.json")
	v, err := Create(path, CreateOptions{Password: []byte(password)})
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	forgetKeyAtCleanup(t, v)
	return v
}

func forgetKeyAtCleanup(t testing.TB, v *Vault) {
	t.Cleanup(func() {
		if id := v.file.header.id; id != "" {
			_ = keychainDelete(SystemKeychain{}, id)
		}
	})
}

// testAccount is a valid account whose fields all derive from i.
func testAccount(i int) otp.Account {
	a := otp.Account{
		Type:      otp.TOTP,
		Issuer:    fmt.Sprintf("Issuer %d", i),
		Name:      fmt.Sprintf("user%d@example.com", i),
		Secret:    []byte(fmt.Sprintf("secret-%08d-xyz!", i)),
		Algorithm: otp.SHA1,
		Digits:    6,
		Period:    30,
	}
	switch i % 3 {
	case 1:
		a.Type, a.Period, a.Counter, a.Algorithm = otp.HOTP, 0, uint64(i), otp.SHA256
	case 2:
		a.Algorithm, a.Digits, a.Period = otp.SHA512, 8, 60
	}
	return a
}

// memKeychain is a keychain in memory, for the tests that are about what
// the vault does when the keychain misbehaves rather than about the OS
// keychain itself.
type memKeychain struct {
	items map[string]string
	err   error // returned by every call when set
}

func (m *memKeychain) Get(service, user string) (string, error) {
	if m.err != nil {
		return "", m.err
	}
	s, ok := m.items[service+"/"+user]
	if !ok {
		return "", ErrNotInKeychain
	}
	return s, nil
}

func (m *memKeychain) Set(service, user, secret string) error {
	if m.err != nil {
		return m.err
	}
	if m.items == nil {
		m.items = map[string]string{}
	}
	m.items[service+"/"+user] = secret
	return nil
}

func (m *memKeychain) Delete(service, user string) error {
	if m.err != nil {
		return m.err
	}
	delete(m.items, service+"/"+user)
	return nil
}

func mustFileError(t *testing.T, err error, path string, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("error %v, want %v", err, want)
	}
	var fe *FileError
	if !errors.As(err, &fe) || fe.Path != path {
		t.Fatalf("error %v does not name %s", err, path)
	}
}

// recordingKeychain passes every call to another keychain and counts them
// by kind, so that a test can tell whether the keychain was asked at all.
type recordingKeychain struct {
	Keychain
	gets, sets, deletes int
}

func (r *recordingKeychain) Get(service, user string) (string, error) {
	r.gets++
	return r.Keychain.Get(service, user)
}

func (r *recordingKeychain) Set(service, user, secret string) error {
	r.sets++
	return r.Keychain.Set(service, user, secret)
}

func (r *recordingKeychain) Delete(service, user string) error {
	r.deletes++
	return r.Keychain.Delete(service, user)
}

func (r *recordingKeychain) calls() int { return r.gets + r.sets + r.deletes }
