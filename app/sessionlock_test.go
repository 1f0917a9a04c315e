//go:build linux || freebsd || openbsd || netbsd

package app

import (
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/gatekey/gatekey/internal/testenv"
)

// A screensaver that turns on reports a lock; one that turns off does not.
// The signals are emitted on the test desktop's private session bus, as a
// desktop's screensaver would.
func TestWatchSession(t *testing.T) {
	testenv.SecretService(t) // the session bus of scripts/desktop-session
	locks := WatchSession(t.Context())
	conn, err := privateBus(false)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	emit := func(iface string, active bool) {
		t.Helper()
		if err := conn.Emit("/org/freedesktop/ScreenSaver", iface+".ActiveChanged", active); err != nil {
			t.Fatal(err)
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
		case <-time.After(2 * time.Second):
			if want {
				t.Fatalf("%s reported no lock", what)
			}
		}
	}
	emit("org.freedesktop.ScreenSaver", false)
	expect(false, "the screensaver turning off")
	emit("org.freedesktop.ScreenSaver", true)
	expect(true, "the freedesktop screensaver turning on")
	emit("org.gnome.ScreenSaver", true)
	expect(true, "GNOME's screensaver turning on")
	if err := conn.Emit("/org/example", "org.example.Other.ActiveChanged", true); err != nil {
		t.Fatal(err)
	}
	expect(false, "an unrelated signal")
}

func TestIsLockSignal(t *testing.T) {
	tests := []struct {
		name string
		sig  dbus.Signal
		want bool
	}{
		{"sleep begins", dbus.Signal{Name: "org.freedesktop.login1.Manager.PrepareForSleep", Body: []any{true}}, true},
		{"wake-up", dbus.Signal{Name: "org.freedesktop.login1.Manager.PrepareForSleep", Body: []any{false}}, false},
		{"session lock", dbus.Signal{Name: "org.freedesktop.login1.Session.Lock"}, true},
		{"session unlock", dbus.Signal{Name: "org.freedesktop.login1.Session.Unlock"}, false},
		{"screensaver without a value", dbus.Signal{Name: "org.gnome.ScreenSaver.ActiveChanged"}, false},
		{"screensaver with a string", dbus.Signal{Name: "org.gnome.ScreenSaver.ActiveChanged", Body: []any{"true"}}, false},
	}
	for _, tt := range tests {
		if got := isLockSignal(&tt.sig); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}
