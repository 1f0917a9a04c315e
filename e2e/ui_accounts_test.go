package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/gatekey/gatekey/app"
)

// TestAccountsWindow starts the window on a vault of 300 accounts in
// password mode and does what a person does every day: unlock, search,
// copy a code (compared with what `gatekey code` prints), lock, and unlock
// with the password again.
func TestAccountsWindow(t *testing.T) {
	home := t.TempDir()
	makeVaultIn(t, home, 300, app.UnlockPassword)
	s := startGatekey(t, home)
	s.shot("locked-at-start", 16)
	s.typeText(vaultPassword)
	s.key("Return")
	time.Sleep(2 * time.Second)
	s.shot("accounts", 64)

	s.key("ctrl+f")
	s.typeText("Issuer 142")
	time.Sleep(500 * time.Millisecond)
	s.shot("search", 32)
	s.key("Return")
	var got string
	if !waitFor(5*time.Second, func() bool { got = clipboard(t); return len(strings.TrimSpace(got)) == 6 }) {
		t.Fatalf("the clipboard holds %q after Enter, want a 6-digit code", got)
	}
	want := strings.Fields(s.cli("code", "Issuer 142", "--password-file", s.passwordFile(vaultPassword)))
	if len(want) == 0 || got != want[0] {
		// The code may have rolled over between the copy and the check.
		again := strings.Fields(s.cli("code", "Issuer 142", "--password-file", s.passwordFile(vaultPassword)))
		if len(again) == 0 || got != again[0] {
			t.Fatalf("copied %q, gatekey code says %v", got, want)
		}
	}
	s.shot("copied", 32)

	s.key("ctrl+l")
	time.Sleep(500 * time.Millisecond)
	s.shot("locked", 16)
	if clip := clipboard(t); clip != "" {
		t.Errorf("the clipboard still holds %q after lock", clip)
	}

	s.typeText("wrong password")
	s.key("Return")
	time.Sleep(2 * time.Second)
	s.shot("wrong-password", 16)

	s.typeText(vaultPassword)
	s.key("Return")
	time.Sleep(2 * time.Second)
	s.shot("unlocked", 64)
	s.key("ctrl+f")
	s.typeText("Issuer 007")
	s.key("Return")
	if !waitFor(5*time.Second, func() bool { return len(strings.TrimSpace(clipboard(t))) == 6 }) {
		t.Fatalf("after unlocking, Enter copied nothing (clipboard %q)", clipboard(t))
	}
	s.closeAndWait()
}
