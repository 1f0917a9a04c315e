//go:build linux || freebsd || openbsd || netbsd

package app

import (
	"context"
	"os"
	"sync"
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

const (
	login1Name    = "org.freedesktop.login1"
	login1Path    = dbus.ObjectPath("/org/freedesktop/login1")
	login1Manager = "org.freedesktop.login1.Manager"
	sleepSignal   = login1Manager + ".PrepareForSleep"
)

// WatchSession reports on the returned channel each time the desktop locks
// the screen or the machine is about to sleep, so that the window locks the
// vault too (security.md), and calls SessionEvent.Locked when it has. From
// the start of the watch it holds a logind delay inhibitor for sleep,
// released after the vault is locked for a sleep and taken again at the
// wake-up. Buses or services that are missing are skipped: on a desktop
// without them nothing is ever reported. The watch ends with ctx.
func WatchSession(ctx context.Context) <-chan SessionEvent {
	return watchSession(ctx, sessionBuses{session: sessionBus, system: systemBus})
}

// sessionBuses connects to the buses a watch listens on; nil skips one.
// Tests point them at private buses.
type sessionBuses struct {
	session, system func() (*dbus.Conn, error)
}

func sessionBus() (*dbus.Conn, error) { return privateBus(false) }
func systemBus() (*dbus.Conn, error)  { return privateBus(true) }

// sleepDeliveryTimeout bounds how long a sleep report waits for the window
// to take it. logind does not wait longer than InhibitDelayMaxSec anyway;
// then the inhibitor is released rather than held through the sleep.
var sleepDeliveryTimeout = 10 * time.Second

func watchSession(ctx context.Context, buses sessionBuses) <-chan SessionEvent {
	out := make(chan SessionEvent, 1)
	for _, bus := range []struct {
		system  bool
		connect func() (*dbus.Conn, error)
	}{{false, buses.session}, {true, buses.system}} {
		if bus.connect == nil {
			continue
		}
		conn, err := bus.connect()
		if err != nil {
			continue
		}
		if !subscribe(conn, bus.system) {
			conn.Close()
			continue
		}
		w := &sessionWatch{conn: conn, out: out}
		if bus.system {
			w.sleep = &inhibitor{conn: conn}
			w.sleep.take()
		}
		signals := make(chan *dbus.Signal, 8)
		conn.Signal(signals)
		go w.run(ctx, signals)
	}
	return out
}

// subscribe asks the bus for the signals of sessionLockSignals it carries.
func subscribe(conn *dbus.Conn, system bool) bool {
	subscribed := false
	for _, s := range sessionLockSignals {
		if s.system != system {
			continue
		}
		opts := []dbus.MatchOption{dbus.WithMatchInterface(s.iface), dbus.WithMatchMember(s.member)}
		if system {
			// Only logind's own signals, not another client's imitation.
			opts = append(opts, dbus.WithMatchSender(login1Name))
		}
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
	return subscribed
}

// sessionWatch turns one bus's signals into reports.
type sessionWatch struct {
	conn  *dbus.Conn
	out   chan SessionEvent
	sleep *inhibitor // nil on the session bus
}

func (w *sessionWatch) run(ctx context.Context, signals <-chan *dbus.Signal) {
	defer w.conn.Close()
	if w.sleep != nil {
		defer w.sleep.release(nil)
	}
	for {
		select {
		case <-ctx.Done():
			return
		case sig, ok := <-signals:
			if !ok {
				return
			}
			w.handle(ctx, sig)
		}
	}
}

func (w *sessionWatch) handle(ctx context.Context, sig *dbus.Signal) {
	switch {
	case w.sleep != nil && sig.Name == sleepSignal && !isLockSignal(sig):
		// The wake-up: an inhibitor not released by then was held through
		// the sleep; drop it and take one for the next sleep.
		w.sleep.release(nil)
		w.sleep.take()
	case w.sleep != nil && sig.Name == sleepSignal:
		w.reportSleep(ctx)
	case isLockSignal(sig):
		select {
		case w.out <- SessionEvent{}:
		default: // a lock is already waiting to be handled
		}
	}
}

// reportSleep hands a sleep report over and releases the inhibitor held
// now when the window says the vault is locked.
func (w *sessionWatch) reportSleep(ctx context.Context) {
	held := w.sleep.current()
	var once sync.Once
	ev := SessionEvent{Sleep: true, done: func() { once.Do(func() { w.sleep.release(held) }) }}
	timer := time.NewTimer(sleepDeliveryTimeout)
	defer timer.Stop()
	select {
	case w.out <- ev:
	case <-timer.C:
		ev.Locked()
	case <-ctx.Done():
		ev.Locked()
	}
}

// inhibitor holds logind's delay lock for sleep: the file descriptor
// logind's Inhibit returns; closing it releases the lock.
type inhibitor struct {
	conn *dbus.Conn
	mu   sync.Mutex
	fd   *os.File
}

// take asks logind for a delay inhibitor, unless one is held. Without
// logind (or with a logind that refuses) sleep is simply not delayed.
func (in *inhibitor) take() {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.fd != nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var fd dbus.UnixFD
	err := in.conn.Object(login1Name, login1Path).CallWithContext(ctx, login1Manager+".Inhibit", 0,
		"sleep", "Gatekey", "lock the vault before sleeping", "delay").Store(&fd)
	if err == nil {
		in.fd = os.NewFile(uintptr(fd), "logind-inhibitor")
	}
}

// current is the inhibitor held now, or nil.
func (in *inhibitor) current() *os.File {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.fd
}

// release closes the inhibitor if it is still f (nil: whichever is held).
func (in *inhibitor) release(f *os.File) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.fd != nil && (f == nil || in.fd == f) {
		in.fd.Close()
		in.fd = nil
	}
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
	return authenticated(conn)
}

// authenticated completes a private connection's handshake. The EXTERNAL
// authentication negotiates Unix file descriptor passing, which Inhibit
// needs.
func authenticated(conn *dbus.Conn) (*dbus.Conn, error) {
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
	err := conn.Object(login1Name, login1Path).
		CallWithContext(ctx, login1Manager+".GetSessionByPID", 0, uint32(os.Getpid())).Store(&path)
	return path, err
}
