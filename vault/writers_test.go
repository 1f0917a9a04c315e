package vault

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/gatekey/gatekey/otp"
)

// writerRounds is how many changes each of the two writer processes saves.
const writerRounds = 500

const writerPassword = "two writers"

// writerCounterUUID is the HOTP account writer w owns and bumps each round.
func writerCounterUUID(w int) string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", w) }

// writerAddedUUID is the account writer w adds in round r.
func writerAddedUUID(w, r int) string { return fmt.Sprintf("%08d-0000-4000-8000-%012d", w, r+1) }

// writerChild opens the vault at path with its password and, writerRounds
// times, adds an account of its own and sets its own HOTP counter to the
// round number, saving after each round as the window and `gatekey add`
// do. A save refused because the file changed (a merge conflict) is
// retried after a reload. It prints how many saves were refused.
func writerChild(path string, w int) int {
	fail := func(format string, args ...any) int {
		fmt.Fprintf(os.Stderr, "writer %d: "+format+"\n", append([]any{w}, args...)...)
		return 1
	}
	v, err := Open(path, OpenOptions{Password: []byte(writerPassword), Keychain: &memKeychain{}})
	if err != nil {
		return fail("open: %v", err)
	}
	refused := 0
	for r := range writerRounds {
		for attempt := 0; ; attempt++ {
			if attempt == 50 {
				return fail("round %d: 50 saves refused in a row", r)
			}
			if err := writerRound(v, w, r); err != nil {
				return fail("round %d: %v", r, err)
			}
			err := v.Save()
			if err == nil {
				break
			}
			if !errors.Is(err, ErrChangedOnDisk) {
				return fail("round %d: save: %v", r, err)
			}
			refused++
			if err := v.Reload(); err != nil {
				return fail("round %d: reload: %v", r, err)
			}
		}
	}
	fmt.Printf("refused %d\n", refused)
	return 0
}

// writerRound makes round r's changes of writer w, unless they are there.
func writerRound(v *Vault, w, r int) error {
	if _, err := v.Find(writerAddedUUID(w, r)); errors.Is(err, ErrNotFound) {
		a := testAccount(r)
		a.UUID = writerAddedUUID(w, r)
		if _, err := v.Add(a); err != nil {
			return err
		}
	}
	c, err := v.Find(writerCounterUUID(w))
	if err != nil {
		return err
	}
	c.Counter = uint64(r + 1)
	return v.Update(c)
}

// Two processes saving the same vault at the same moment (the window and
// `gatekey add`, or a sync tool) lose nothing: every account each added
// and each one's last counter are in the file at the end.
func TestTwoWritersLoseNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "vault.json")
	v, err := Create(path, CreateOptions{Password: []byte(writerPassword), Keychain: &memKeychain{}})
	if err != nil {
		t.Fatal(err)
	}
	for w := range 2 {
		a := otp.Account{Type: otp.HOTP, UUID: writerCounterUUID(w), Issuer: "Writer", Name: strconv.Itoa(w),
			Secret: []byte("0123456789"), Algorithm: otp.SHA1, Digits: 6}
		if _, err := v.Add(a); err != nil {
			t.Fatal(err)
		}
	}
	if err := v.Save(); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	outs := make([]string, 2)
	errs := make([]error, 2)
	for w := range 2 {
		wg.Go(func() {
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), childEnv+"=writer", childPathEnv+"="+path, writerEnv+"="+strconv.Itoa(w))
			out, err := cmd.CombinedOutput()
			outs[w], errs[w] = string(out), err
		})
	}
	wg.Wait()
	for w := range 2 {
		if errs[w] != nil {
			t.Fatalf("writer %d: %v\n%s", w, errs[w], outs[w])
		}
	}
	final, err := Open(path, OpenOptions{Password: []byte(writerPassword), Keychain: &memKeychain{}})
	if err != nil {
		t.Fatal(err)
	}
	lostAdds, lostCounters := 0, 0
	for w := range 2 {
		for r := range writerRounds {
			if _, err := final.Find(writerAddedUUID(w, r)); err != nil {
				lostAdds++
			}
		}
		if c, err := final.Find(writerCounterUUID(w)); err != nil || c.Counter != writerRounds {
			lostCounters++
		}
	}
	t.Logf("%d rounds by each of 2 writers (%s, %s): %d added accounts lost, %d final counters wrong",
		writerRounds, strings.TrimSpace(outs[0]), strings.TrimSpace(outs[1]), lostAdds, lostCounters)
	if lostAdds+lostCounters > 0 {
		t.Errorf("changes lost: %d of %d added accounts, %d of 2 counters", lostAdds, 2*writerRounds, lostCounters)
	}
}

// A program that does not take the lock (a sync tool) replacing the file
// between a save's read and its rename: the save notices, merges the new
// file and loses neither side's change.
func TestSaveMergesFileReplacedDuringSave(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "vault.json")
	kc := &memKeychain{}
	a, err := Create(path, CreateOptions{Keychain: kc})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Save(); err != nil {
		t.Fatal(err)
	}
	original, _ := os.ReadFile(path)
	// The file the sync tool brings: another device added an account.
	b, err := Open(path, OpenOptions{Keychain: kc})
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := b.Add(testAccount(1))
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Save(); err != nil {
		t.Fatal(err)
	}
	synced, _ := os.ReadFile(path)
	if err := os.WriteFile(path, original, 0o600); err != nil {
		t.Fatal(err)
	}
	ours, err := a.Add(testAccount(2))
	if err != nil {
		t.Fatal(err)
	}
	replaced := 0
	testOnlyBeforeCheck = func(p string) {
		if replaced == 0 {
			if err := os.WriteFile(p, synced, 0o600); err != nil {
				t.Error(err)
			}
		}
		replaced++
	}
	defer func() { testOnlyBeforeCheck = nil }()
	if err := a.Save(); err != nil {
		t.Fatal(err)
	}
	if replaced != 2 {
		t.Errorf("the save checked the file %d times, want 2 (once replaced, once merged)", replaced)
	}
	c, err := Open(path, OpenOptions{Keychain: kc})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{theirs, ours} {
		if _, err := c.Find(id); err != nil {
			t.Errorf("account %s lost: %v", id, err)
		}
	}
}
