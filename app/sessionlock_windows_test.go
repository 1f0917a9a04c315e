//go:build windows

package app

import (
	"context"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

var procFindWindowW = user32.NewProc("FindWindowW")

// findWatchWindow waits for the hidden window of a session watch.
func findWatchWindow(t *testing.T, want bool) windows.HWND {
	t.Helper()
	class, _ := windows.UTF16PtrFromString(sessionWatchClassName)
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		h, _, _ := procFindWindowW.Call(uintptr(unsafe.Pointer(class)), 0)
		if (h != 0) == want {
			return windows.HWND(h)
		}
		if time.Now().After(deadline) {
			t.Fatalf("the session watch window exists: %v, want %v", h != 0, want)
		}
	}
}

// The messages Windows sends when the workstation locks or the machine goes
// to sleep are posted to the watch window as Windows would send them; the
// ones for unlocking and waking up, and unrelated ones, report nothing.
func TestWatchSessionWindows(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	locks := WatchSession(ctx)
	hwnd := findWatchWindow(t, true)
	post := func(msg uint32, wParam uintptr) {
		t.Helper()
		if r, _, err := procPostMessageW.Call(uintptr(hwnd), uintptr(msg), wParam, 0); r == 0 {
			t.Fatalf("posting message %#x: %v", msg, err)
		}
	}
	expect := func(want bool, what string) {
		t.Helper()
		select {
		case ev := <-locks:
			ev.Locked()
			if !want {
				t.Fatalf("%s reported a lock", what)
			}
		case <-time.After(time.Second):
			if want {
				t.Fatalf("%s reported no lock", what)
			}
		}
	}
	const (
		wtsSessionUnlock        = 0x8
		wtsConsoleConnect       = 0x1
		pbtAPMResumeAutomatic   = 0x12
		pbtAPMPowerStatusChange = 0xA
	)
	post(wmWTSSessionChange, wtsSessionUnlock)
	expect(false, "unlocking the workstation")
	post(wmWTSSessionChange, wtsConsoleConnect)
	expect(false, "a console connecting")
	post(wmWTSSessionChange, wtsSessionLock)
	expect(true, "locking the workstation")
	post(wmPowerBroadcast, pbtAPMPowerStatusChange)
	expect(false, "a power status change")
	post(wmPowerBroadcast, pbtAPMResumeAutomatic)
	expect(false, "waking up")
	post(wmPowerBroadcast, pbtAPMSuspend)
	expect(true, "going to sleep")

	// The window goes away with the context.
	cancel()
	findWatchWindow(t, false)
}
