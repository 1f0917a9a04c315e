package vault

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// noKeychainChild runs with DBUS_SESSION_BUS_ADDRESS pointing at a dead
// socket, as on a desktop without a Secret Service, and checks that the
// vault says so plainly and still works with its password.
func noKeychainChild(dir string) int {
	fail := func(format string, args ...any) int {
		fmt.Fprintf(os.Stderr, format+"\n", args...)
		return 1
	}
	path := filepath.Join(dir, "vault.json")
	_, err := Create(path, CreateOptions{})
	if !errors.Is(err, ErrNoKeychain) {
		return fail("Create without password or keychain: %v, want ErrNoKeychain", err)
	}
	if _, serr := os.Stat(path); serr == nil {
		return fail("Create without any key wrote a file")
	}
	fmt.Println("create without password:", err)
	v, err := Create(path, CreateOptions{Password: []byte("pw"), Mode: UnlockKeychain})
	if err != nil {
		return fail("Create with a password in keychain mode: %v", err)
	}
	if in := v.Info(); in.Keychain != KeychainUnavailable || !errors.Is(in.KeychainError, ErrNoKeychain) {
		return fail("Info after Create: %v %v", in.Keychain, in.KeychainError)
	}
	if _, err := v.Add(testAccount(1)); err != nil {
		return fail("Add: %v", err)
	}
	if err := v.Save(); err != nil {
		return fail("Save: %v", err)
	}
	_, err = Open(path, OpenOptions{})
	if !errors.Is(err, ErrPasswordRequired) || !errors.Is(err, ErrNoKeychain) {
		return fail("Open without password: %v, want ErrPasswordRequired and ErrNoKeychain", err)
	}
	fmt.Println("open without password:", err)
	v, err = Open(path, OpenOptions{Password: []byte("pw")})
	if err != nil {
		return fail("Open with password: %v", err)
	}
	if len(v.Accounts()) != 1 {
		return fail("accounts lost")
	}
	if err := v.StoreKeyInKeychain(); !errors.Is(err, ErrNoKeychain) {
		return fail("StoreKeyInKeychain: %v, want ErrNoKeychain", err)
	}
	if err := v.RemovePassword(); !errors.Is(err, ErrLastKey) {
		return fail("RemovePassword: %v, want ErrLastKey", err)
	}
	return 0
}

func TestNoKeychain(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=nokeychain", childPathEnv+"="+dir,
		"DBUS_SESSION_BUS_ADDRESS=unix:path="+filepath.Join(dir, "no-such-bus"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	// The message a user sees names the missing service.
	if !strings.Contains(string(out), "no keychain available") {
		t.Errorf("messages do not say the keychain is missing:\n%s", out)
	}
	t.Logf("%s", out)
}

// hungKeychainChild runs with DBUS_SESSION_BUS_ADDRESS pointing at a socket
// that accepts connections and never answers, like a Secret Service stuck
// behind an unlock prompt nobody answers: every keychain call must give up
// and report the keychain as unavailable.
func hungKeychainChild() int {
	keychainTimeout = time.Second
	start := time.Now()
	_, err := SystemKeychain{}.Get(keychainService, "vault:hung")
	if !errors.Is(err, ErrNoKeychain) || !strings.Contains(err.Error(), "did not answer") {
		fmt.Fprintf(os.Stderr, "Get from a hung keychain: %v, want ErrNoKeychain\n", err)
		return 1
	}
	if err := (SystemKeychain{}).Set(keychainService, "vault:hung", "x"); !errors.Is(err, ErrNoKeychain) {
		fmt.Fprintf(os.Stderr, "Set on a hung keychain: %v, want ErrNoKeychain\n", err)
		return 1
	}
	if d := time.Since(start); d > 10*time.Second {
		fmt.Fprintf(os.Stderr, "two calls took %v with a 1 s bound\n", d)
		return 1
	}
	return 0
}

func TestHungKeychainTimesOut(t *testing.T) {
	dir := t.TempDir()
	bus := filepath.Join(dir, "hung-bus")
	l, err := net.Listen("unix", bus)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	var conns []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c) // held open, never answered
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=hungkeychain", "DBUS_SESSION_BUS_ADDRESS=unix:path="+bus)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
}
