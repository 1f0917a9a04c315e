package vault

import (
	"bufio"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/gatekey/gatekey/otp"
)

// crashContent is one of the two account sets the crash child alternates
// between; each is large enough that a save takes a moment.
func crashContent(version int) []otp.Account {
	var out []otp.Account
	for i := range 300 {
		a := testAccount(i)
		a.UUID = fmt.Sprintf("00000000-0000-4000-8000-%012d", i)
		a.Note = fmt.Sprintf("version %d", version)
		a.Secret = append(a.Secret, byte(version))
		out = append(out, a)
	}
	return out
}

// crashChild saves the vault at path in a loop, alternating between the
// two contents, until it is killed. It prints "ready" after its first save.
func crashChild(path string) int {
	v, err := Open(path, OpenOptions{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	for i := 1; ; i++ {
		for _, a := range crashContent(i % 2) {
			if err := v.Update(a); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
		}
		if err := v.Save(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		if i == 1 {
			fmt.Println("ready")
		}
	}
}

// whichContent says which crash content the accounts are, or -1.
func whichContent(list []otp.Account) int {
	for version := range 2 {
		want := crashContent(version)
		if len(list) != len(want) {
			return -1
		}
		same := true
		for i := range want {
			g, w := list[i], want[i]
			if g.UUID != w.UUID || g.Note != w.Note || string(g.Secret) != string(w.Secret) || g.Issuer != w.Issuer {
				same = false
				break
			}
		}
		if same {
			return version
		}
	}
	return -1
}

// A process killed with SIGKILL at any moment of a save leaves a vault
// that opens and holds either the old or the new content.
func TestCrashDuringSave(t *testing.T) {
	if testing.Short() {
		t.Skip("the crash test starts 200 processes")
	}
	v := createTestVault(t, "")
	for _, a := range crashContent(0) {
		if _, err := v.Add(a); err != nil {
			t.Fatal(err)
		}
	}
	if err := v.Save(); err != nil {
		t.Fatal(err)
	}
	path := v.Path()
	seen := [2]int{}
	const kills = 200
	for round := range kills {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), childEnv+"=crash", childPathEnv+"="+path)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, _ := bufio.NewReader(out).ReadString('\n')
		if line != "ready\n" {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("round %d: child did not start: %q %s", round, line, stderr.String())
		}
		time.Sleep(time.Duration(rand.IntN(20000)) * time.Microsecond)
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		err = cmd.Wait()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != -1 {
			t.Fatalf("round %d: child ended by itself (%v): %s", round, err, stderr.String())
		}
		after, err := Open(path, OpenOptions{})
		if err != nil {
			t.Fatalf("round %d: vault does not open after a kill: %v", round, err)
		}
		which := whichContent(after.Accounts())
		if which < 0 {
			t.Fatalf("round %d: vault holds neither the old nor the new content", round)
		}
		seen[which]++
		if _, err := Open(path+".bak", OpenOptions{}); err != nil {
			t.Fatalf("round %d: backup does not open: %v", round, err)
		}
	}
	t.Logf("after %d kills: content 0 %d times, content 1 %d times", kills, seen[0], seen[1])
	if seen[0] == 0 || seen[1] == 0 {
		t.Errorf("kills always found the same content (%v): the child did not get to save", seen)
	}
}
