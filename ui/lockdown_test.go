package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/gatekey/gatekey/app"
)

// Locking closes every dialog and pop-up (the QR code dialog shows the
// secret), zeroes the window's copies of the accounts, and leaves the
// actions that were reachable before the lock unable to do anything.
func TestLockClosesDialogsAndForgetsSecrets(t *testing.T) {
	svc := vaultWith(3)
	svc.accounts[1].Favorite = true
	g, a := newTestWindow(t, svc, app.DefaultSettings())
	v := g.codes
	acc := v.shown[0]
	secrets := make([][]byte, len(v.all))
	for i := range v.all {
		secrets[i] = v.all[i].Secret // the same memory the list keeps
	}
	v.onRowMenu(acc, v.addBtn)
	v.onShowQR(acc)
	if n := len(g.win.Canvas().Overlays().List()); n < 2 {
		t.Fatalf("%d overlays open before the lock, want the menu and the dialog", n)
	}

	g.lock()

	if n := len(g.win.Canvas().Overlays().List()); n != 0 {
		t.Fatalf("%d dialogs or menus still open over the lock screen", n)
	}
	for i, s := range secrets {
		if slices.ContainsFunc(s, func(b byte) bool { return b != 0 }) {
			t.Errorf("secret %d is still in the window's memory after the lock", i)
		}
	}
	if v.all != nil || v.shown != nil {
		t.Errorf("the list keeps %d accounts after the lock", len(v.all)+len(v.shown))
	}
	for _, r := range v.rows {
		if r.acc.Secret != nil || r.acc.UUID != "" {
			t.Errorf("a row keeps %q after the lock", r.acc.Name)
		}
	}
	for _, item := range g.trayMenu().Items {
		if item.Label == app.Label(svc.accounts[1]) {
			t.Error("the tray menu lists a favourite while locked")
		}
	}
	// What was reachable before the lock does nothing now.
	a.Clipboard().SetContent("")
	v.copyAccount(acc)
	g.copyByUUID(acc.UUID)
	if got := a.Clipboard().Content(); got != "" {
		t.Errorf("a code was copied while locked: %q", got)
	}
	if _, ok := v.accountByUUID(acc.UUID); ok {
		t.Error("an account is found while locked")
	}
}

// In keychain mode the lock screen says plainly that unlocking needs no
// password and only hides the codes; Unlock brings them back without one.
func TestKeychainModeLockScreen(t *testing.T) {
	svc := vaultWith(2)
	svc.mode = app.UnlockKeychain
	g, _ := newTestWindow(t, svc, app.DefaultSettings())
	g.lock()
	lv := g.lockScreen
	if lv == nil || lv.withPass {
		t.Fatal("keychain mode asks for a password")
	}
	if !strings.Contains(labelsIn(lv.content), "needs no password") || !strings.Contains(labelsIn(lv.content), "only hides the codes") {
		t.Fatalf("the lock screen does not say what keychain mode means:\n%s", labelsIn(lv.content))
	}
	lv.onUnlock()
	if svc.locked {
		t.Fatal("Unlock without a password did not unlock in keychain mode")
	}
}

// Switching to password mode in Settings asks for the password and checks
// it before the key leaves the keychain.
func TestSettingsSwitchToPasswordMode(t *testing.T) {
	svc := vaultWith(1)
	svc.mode = app.UnlockKeychain
	g, _ := newTestWindow(t, svc, app.DefaultSettings())
	vs := newVaultSettings(g)
	vs.mode.SetSelected(modePasswordLabel)
	vs.apply()
	form := g.win.Canvas().Overlays().Top()
	if form == nil {
		t.Fatal("password mode did not ask for the password")
	}
	for _, o := range test.LaidOutObjects(form) {
		if e, ok := o.(*shortcutEntry); ok && e.Password {
			test.Type(e, "pw")
			e.OnSubmitted(e.Text)
		}
	}
	if svc.mode != app.UnlockPassword {
		t.Fatalf("mode %v after the password was given", svc.mode)
	}
}
