//go:build windows

package app

import (
	"context"
	"runtime"
	"sync"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// Windows tells a window when the workstation is locked (WM_WTSSESSION_CHANGE
// with WTS_SESSION_LOCK, once the window is registered with
// WTSRegisterSessionNotification) and when the machine is about to sleep
// (WM_POWERBROADCAST with PBT_APMSUSPEND). The watch owns a hidden window on
// a thread of its own. It is a top-level window that is never shown rather
// than a message-only one, because WM_POWERBROADCAST is broadcast to
// top-level windows and message-only windows receive no broadcasts.
// golang.org/x/sys/windows has no wrappers for these user32 and wtsapi32
// calls, so they are declared here.

var (
	user32                             = windows.NewLazySystemDLL("user32.dll")
	wtsapi32                           = windows.NewLazySystemDLL("wtsapi32.dll")
	procRegisterClassExW               = user32.NewProc("RegisterClassExW")
	procCreateWindowExW                = user32.NewProc("CreateWindowExW")
	procDestroyWindow                  = user32.NewProc("DestroyWindow")
	procDefWindowProcW                 = user32.NewProc("DefWindowProcW")
	procGetMessageW                    = user32.NewProc("GetMessageW")
	procDispatchMessageW               = user32.NewProc("DispatchMessageW")
	procPostMessageW                   = user32.NewProc("PostMessageW")
	procPostQuitMessage                = user32.NewProc("PostQuitMessage")
	procWTSRegisterSessionNotification = wtsapi32.NewProc("WTSRegisterSessionNotification")
	procWTSUnRegisterSessionNotif      = wtsapi32.NewProc("WTSUnRegisterSessionNotification")
)

// Window messages and their parameters (winuser.h, wtsapi32.h).
const (
	wmDestroy             = 0x0002
	wmClose               = 0x0010
	wmPowerBroadcast      = 0x0218
	wmWTSSessionChange    = 0x02B1
	wtsSessionLock        = 0x7
	pbtAPMSuspend         = 0x4
	notifyForThisSession  = 0
	sessionWatchClassName = "GatekeySessionWatch"
)

// sessionWatchers maps each watch window to the function that reports a
// lock. The window procedure is one callback for the whole process
// (windows.NewCallback allocates from a fixed pool), so it looks the
// window up here.
var (
	sessionWatchers    sync.Map // windows.HWND -> func(sleep bool)
	registerWatchClass sync.Once
	watchClassErr      error
)

// suspendWait is how long the suspend notice waits for the lock to finish
// before it lets Windows go on: Windows allows an application about two
// seconds to answer PBT_APMSUSPEND.
const suspendWait = 1500 * time.Millisecond

// WatchSession reports on the returned channel each time the workstation
// is locked or the machine is about to sleep, so that the window can lock
// the vault too (security.md). For a sleep, the window procedure waits
// (within the time Windows allows) until SessionEvent.Locked is called, so
// that the wipe comes before the suspend. If the hidden window cannot be
// made, nothing is ever reported and the idle auto-lock remains. The watch
// ends with ctx.
func WatchSession(ctx context.Context) <-chan SessionEvent {
	out := make(chan SessionEvent, 1)
	notify := func(sleep bool) {
		done := make(chan struct{})
		var once sync.Once
		ev := SessionEvent{Sleep: sleep, done: func() { once.Do(func() { close(done) }) }}
		select {
		case out <- ev:
		default: // a lock is already waiting to be handled
			return
		}
		if sleep {
			select {
			case <-done:
			case <-time.After(suspendWait):
			}
		}
	}
	go watchSession(ctx, notify)
	return out
}

// watchSession runs the hidden window's message loop until ctx ends.
func watchSession(ctx context.Context, notify func(sleep bool)) {
	// A window belongs to the thread that made it, and only that thread
	// receives its messages.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	hwnd, err := createWatchWindow()
	if err != nil {
		return
	}
	sessionWatchers.Store(hwnd, notify)
	defer sessionWatchers.Delete(hwnd)
	// Without Remote Desktop Services (or under Wine) registration may
	// fail; sleep is still reported.
	registered, _, _ := procWTSRegisterSessionNotification.Call(uintptr(hwnd), notifyForThisSession)
	stop := context.AfterFunc(ctx, func() { procPostMessageW.Call(uintptr(hwnd), wmClose, 0, 0) })
	defer stop()
	var msg struct {
		hwnd           windows.HWND
		message        uint32
		wParam, lParam uintptr
		time           uint32
		ptX, ptY       int32
		lPrivate       uint32
	}
	for {
		r, _, _ := procGetMessageW.Call(uintptr(unsafe.Pointer(&msg)), 0, 0, 0)
		if int32(r) <= 0 { // WM_QUIT, or an error
			break
		}
		procDispatchMessageW.Call(uintptr(unsafe.Pointer(&msg)))
	}
	if registered != 0 {
		procWTSUnRegisterSessionNotif.Call(uintptr(hwnd))
	}
}

// createWatchWindow registers the window class once and makes one hidden
// window of it.
func createWatchWindow() (windows.HWND, error) {
	className, _ := windows.UTF16PtrFromString(sessionWatchClassName)
	registerWatchClass.Do(func() {
		var instance windows.Handle
		if err := windows.GetModuleHandleEx(0, nil, &instance); err != nil {
			watchClassErr = err
			return
		}
		wc := struct {
			size, style            uint32
			wndProc                uintptr
			clsExtra, wndExtra     int32
			instance, icon, cursor windows.Handle
			background             windows.Handle
			menuName, className    *uint16
			iconSm                 windows.Handle
		}{wndProc: windows.NewCallback(sessionWatchProc), instance: instance, className: className}
		wc.size = uint32(unsafe.Sizeof(wc))
		atom, _, err := procRegisterClassExW.Call(uintptr(unsafe.Pointer(&wc)))
		if atom == 0 {
			watchClassErr = err
		}
	})
	if watchClassErr != nil {
		return 0, watchClassErr
	}
	title, _ := windows.UTF16PtrFromString("Gatekey session watch")
	// WS_OVERLAPPED (0) and never shown; no parent, so that it is a
	// top-level window and hears broadcasts.
	h, _, err := procCreateWindowExW.Call(0, uintptr(unsafe.Pointer(className)), uintptr(unsafe.Pointer(title)),
		0, 0, 0, 0, 0, 0, 0, 0, 0)
	if h == 0 {
		return 0, err
	}
	return windows.HWND(h), nil
}

// sessionWatchProc is the window procedure of every watch window.
func sessionWatchProc(hwnd windows.HWND, msg uint32, wParam, lParam uintptr) uintptr {
	switch msg {
	case wmWTSSessionChange:
		if wParam == wtsSessionLock {
			reportSessionLock(hwnd, false)
		}
		return 0
	case wmPowerBroadcast:
		if wParam == pbtAPMSuspend {
			reportSessionLock(hwnd, true)
		}
		return 1 // TRUE: nothing objects to the change
	case wmClose:
		procDestroyWindow.Call(uintptr(hwnd))
		return 0
	case wmDestroy:
		procPostQuitMessage.Call(0)
		return 0
	}
	r, _, _ := procDefWindowProcW.Call(uintptr(hwnd), uintptr(msg), wParam, lParam)
	return r
}

func reportSessionLock(hwnd windows.HWND, sleep bool) {
	if notify, ok := sessionWatchers.Load(hwnd); ok {
		notify.(func(bool))(sleep)
	}
}
