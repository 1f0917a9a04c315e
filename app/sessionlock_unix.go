//go:build linux || freebsd || openbsd || netbsd

package app

import (
	"context"
	"os"
	"time"

	"github.com/godbus/dbus/v5"
)

// Desktops announce a locked screen on the session bus (the freedesktop
// screensaver interface, and GNOME's own), and logind announces sleep on the
// system bus. Each is a signal with one boolean that is true when the lock or
// the sleep begins.
var sessionLockSignals = []struct {
	system          bool
	iface, member   string
	requireTrueBool bool
}{
	{false, "org.freedesktop.ScreenSaver", "ActiveChanged", true},
	{false, "org.gnome.ScreenSaver", "ActiveChanged", true},
	{true, "org.freedesktop.login1.Manager", "PrepareForSleep", true},
	{true, "org.freedesktop.login1.Session", "Lock", false},
}

// WatchSessionLock reports on the returned channel each time the desktop
// locks the screen or the machine is about to sleep, so that the window can
// lock the vault too (security.md). Buses or services that are missing are
// skipped: on a desktop without them nothing is ever reported. The watch
// ends with ctx.
func WatchSessionLock(ctx context.Context) <-chan struct{} {
	out := make(chan struct{}, 1)
	notify := func() {
		select {
		case out <- struct{}{}:
		default: // a lock is already waiting to be handled
		}
	}
	for _, system := range []bool{false, true} {
		conn, err := privateBus(system)
		if err != nil {
			continue
		}
		subscribed := false
		for _, s := range sessionLockSignals {
			if s.system != system {
				continue
			}
			opts := []dbus.MatchOption{dbus.WithMatchInterface(s.iface), dbus.WithMatchMember(s.member)}
			if s.iface == "org.freedesktop.login1.Session" {
				// Only this login session's Lock, not other users'.
				path, err := ownLoginSession(conn)
				if err != nil {
					continue
				}
				opts = append(opts, dbus.WithMatchObjectPath(path))
			}
			if conn.AddMatchSignal(opts...) == nil {
				subscribed = true
			}
		}
		if !subscribed {
			conn.Close()
			continue
		}
		signals := make(chan *dbus.Signal, 8)
		conn.Signal(signals)
		go func() {
			defer conn.Close()
			for {
				select {
				case <-ctx.Done():
					return
				case sig, ok := <-signals:
					if !ok {
						return
					}
					if isLockSignal(sig) {
						notify()
					}
				}
			}
		}()
	}
	return out
}

// isLockSignal tells a lock (or sleep) from an unlock (or wake-up).
func isLockSignal(sig *dbus.Signal) bool {
	for _, s := range sessionLockSignals {
		if sig.Name != s.iface+"."+s.member {
			continue
		}
		if !s.requireTrueBool {
			return true
		}
		if len(sig.Body) > 0 {
			if b, ok := sig.Body[0].(bool); ok {
				return b
			}
		}
	}
	return false
}

func privateBus(system bool) (*dbus.Conn, error) {
	var conn *dbus.Conn
	var err error
	if system {
		conn, err = dbus.SystemBusPrivate()
	} else {
		conn, err = dbus.SessionBusPrivate()
	}
	if err != nil {
		return nil, err
	}
	if err := conn.Auth(nil); err != nil {
		conn.Close()
		return nil, err
	}
	if err := conn.Hello(); err != nil {
		conn.Close()
		return nil, err
	}
	return conn, nil
}

// ownLoginSession asks logind for the session this process runs in.
func ownLoginSession(conn *dbus.Conn) (dbus.ObjectPath, error) {
	// It runs at start-up: a logind that does not answer must not hold the
	// window back.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var path dbus.ObjectPath
	err := conn.Object("org.freedesktop.login1", "/org/freedesktop/login1").
		CallWithContext(ctx, "org.freedesktop.login1.Manager.GetSessionByPID", 0, uint32(os.Getpid())).Store(&path)
	return path, err
}
