//go:build linux || freebsd || openbsd || netbsd

package app

import (
	"context"
	"time"

	"github.com/godbus/dbus/v5"
)

// statusNotifierWatcher is the D-Bus name of the host that shows
// StatusNotifierItem icons: the protocol Fyne's tray speaks on these systems
// (fyne.io/systray registers with it and only logs when it is missing).
const statusNotifierWatcher = "org.kde.StatusNotifierWatcher"

// TrayAvailable reports whether a system tray will show Gatekey's icon: on
// Linux and the BSDs, whether a StatusNotifierWatcher owns its name on the
// session bus. Without one, closing the window must quit rather than hide
// it where nobody can bring it back.
func TrayAvailable() bool {
	conn, err := dbus.SessionBusPrivate()
	if err != nil {
		return false
	}
	defer conn.Close()
	if err := conn.Auth(nil); err != nil {
		return false
	}
	if err := conn.Hello(); err != nil {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var has bool
	err = conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.NameHasOwner", 0, statusNotifierWatcher).Store(&has)
	return err == nil && has
}
