package ui

import (
	"context"
	"net/url"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/storage"

	"github.com/gatekey/gatekey/app"
	"github.com/gatekey/gatekey/icons"
)

// MainWindow is Gatekey's window and the state the screens share: which
// screen shows, the clipboard guard, the idle timer and the tray menu.
type MainWindow struct {
	app     fyne.App
	win     fyne.Window
	svc     Service
	routers RouterService // nil: no Routers tab
	// validationDialog is the last validation-code question, for tests.
	validationDialog *dialog.ConfirmDialog
	settings         app.Settings
	save             func(app.Settings) error
	tray             bool
	now              func() time.Time
	// background runs slow work (scrypt, screen capture, file reading) off
	// the Fyne thread; tests make it synchronous.
	background func(func())

	clip         *clipboardGuard
	codes        *codesView
	lockScreen   *lockView
	routerTabs   *routerTabs // the Accounts and Routers tabs, when the service manages routers
	lastActivity time.Time
	shortcuts    map[string]func()
	// everySecond are the other screens' countdowns (the enrolment code),
	// driven by the accounts screen's one ticker, keyed by their owner.
	everySecond map[any]func()
	ticks       <-chan time.Time // nil: a real one-second ticker
}

// inBackground runs work off the Fyne goroutine and then the function it
// returns (nil for none) back on it through fyne.Do: the one way the
// screens do slow work (scrypt, screen capture, files, router requests).
func (g *MainWindow) inBackground(work func() (then func())) {
	g.background(func() {
		if then := work(); then != nil {
			fyne.Do(then)
		}
	})
}

// withTimeout is inBackground for work bounded by a timeout, such as a
// router request.
func (g *MainWindow) withTimeout(timeout time.Duration, work func(ctx context.Context) (then func())) {
	g.inBackground(func() func() {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		return work(ctx)
	})
}

// NewMainWindow builds the window on a and opens the vault: through the
// keychain when it can, else the lock screen asks for the password; with no
// vault yet, the first-run screen shows.
func NewMainWindow(a fyne.App, opts Options) *MainWindow {
	g := &MainWindow{
		app: a, svc: opts.Service, routers: opts.Routers, settings: opts.Settings, save: opts.SaveSettings,
		tray: opts.Tray, now: opts.Now, ticks: opts.Ticks,
		background: func(f func()) { go f() },
	}
	if g.now == nil {
		g.now = time.Now
	}
	a.SetIcon(icons.AppIcon)
	applyTheme(a, g.settings.Theme)
	g.win = a.NewWindow(Title)
	g.win.SetIcon(icons.AppIcon)
	g.win.SetMaster()
	g.clip = newClipboardGuard(a.Clipboard(), g.notice)
	size := fyne.NewSize(480, 640)
	if w := g.settings.Window; w.Width >= 320 && w.Height >= 320 {
		size = fyne.NewSize(w.Width, w.Height)
	}
	g.win.Resize(size)
	g.win.SetCloseIntercept(g.onClose)
	g.win.SetOnDropped(g.onDropped)
	g.addShortcuts()
	g.start()
	g.updateTray()
	if g.routers != nil {
		g.routers.AskValidationCodes(g.askValidationCode)
	}
	if opts.SessionLocks != nil {
		go func() {
			for ev := range opts.SessionLocks {
				// The watcher learns of the wipe only once it is done, so
				// that a sleep waits for it.
				fyne.Do(func() {
					g.onSessionLock()
					ev.Locked()
				})
			}
		}()
	}
	return g
}

// onSessionLock locks the vault when the desktop locks its screen or the
// machine goes to sleep: whoever unlocks the desktop later should still need
// Gatekey's own unlock (security.md).
func (g *MainWindow) onSessionLock() { g.lock() }

// Window is the main window, for tests and for main to show.
func (g *MainWindow) Window() fyne.Window { return g.win }

// start shows the screen that fits the vault's state.
func (g *MainWindow) start() {
	if !g.svc.VaultExists() {
		g.win.SetContent(newFirstRunView(g).content)
		return
	}
	err := g.svc.Open(nil)
	switch {
	case err == nil:
		g.showCodes()
	case app.Classify(err) == app.ProblemPasswordRequired, app.Classify(err) == app.ProblemNoKeychain:
		g.showLock()
	default:
		g.win.SetContent(errorScreen(err))
	}
}

func (g *MainWindow) locked() bool { return g.svc.Locked() }

// showCodes puts the accounts screen in the window and starts its ticker.
func (g *MainWindow) showCodes() {
	g.touch()
	if g.codes == nil {
		g.codes = newCodesView(g)
	}
	g.codes.reload()
	g.win.SetContent(g.withRouters(g.codes.content))
	g.codes.start()
	g.updateTray()
}

// showLock puts the lock screen in the window.
func (g *MainWindow) showLock() {
	lv := newLockView(g)
	g.lockScreen = lv
	g.win.SetContent(lv.content)
	g.win.Canvas().Focus(lv.password)
	g.updateTray()
}

// lock closes every dialog and pop-up, clears a copied code, forgets the
// window's copies of the secrets and the vault's, and shows the lock
// screen.
func (g *MainWindow) lock() {
	if g.svc.Locked() {
		return
	}
	g.closeOverlays()
	g.clip.clearNow()
	if g.codes != nil {
		g.codes.stop()
	}
	g.forgetSecrets()
	err := g.svc.Lock()
	g.showLock()
	g.returnMemory()
	if err != nil {
		showError(g.win, "The vault is locked, but the last changes were not saved", err)
	}
}

// unlocked is called by the lock and first-run screens once the vault is
// open.
func (g *MainWindow) unlocked() { g.showCodes() }

// touch records user activity for auto-lock.
func (g *MainWindow) touch() { g.lastActivity = g.now() }

// idleCheck locks when the user has been away longer than the setting.
func (g *MainWindow) idleCheck(now time.Time) {
	limit := g.settings.AutoLock()
	if limit > 0 && !g.svc.Locked() && now.Sub(g.lastActivity) >= limit {
		g.lock()
	}
}

// onClose hides the window to the tray when one exists and the setting
// asks for it; otherwise it quits, since a hidden window without a tray
// could never be shown again.
func (g *MainWindow) onClose() {
	if g.tray && g.settings.CloseToTray {
		g.win.Hide()
		return
	}
	g.quit()
}

// quit clears a copied code, remembers the window size and ends the app.
func (g *MainWindow) quit() {
	g.clip.clearNow()
	if g.codes != nil {
		g.codes.stop()
	}
	if size := g.win.Canvas().Size(); size.Width > 0 && size.Height > 0 {
		g.settings.Window = app.WindowSize{Width: size.Width, Height: size.Height}
		g.saveSettings()
	}
	if !g.svc.Locked() {
		_ = g.svc.Lock() // saves unsaved changes and forgets the key before exit
	}
	g.app.Quit()
}

func (g *MainWindow) saveSettings() {
	if g.save == nil {
		return
	}
	if err := g.save(g.settings); err != nil {
		fyne.LogError("saving settings", err)
	}
}

// notice shows a short message at the bottom of the accounts screen.
func (g *MainWindow) notice(text string) {
	if g.codes != nil {
		g.codes.setNotice(text)
	}
}

// addShortcuts binds Ctrl+N, Ctrl+F, Ctrl+L and Ctrl+Q on the window. The
// entries of the window forward them too (see shortcutEntry), since a
// focused entry otherwise keeps every shortcut to itself.
func (g *MainWindow) addShortcuts() {
	g.shortcuts = map[string]func(){}
	bind := func(key fyne.KeyName, f func()) {
		s := &desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault}
		g.shortcuts[s.ShortcutName()] = f
		g.win.Canvas().AddShortcut(s, func(fyne.Shortcut) { f() })
	}
	bind(fyne.KeyN, func() {
		if g.codes != nil && !g.svc.Locked() {
			g.codes.onAdd()
		}
	})
	bind(fyne.KeyF, func() {
		if g.codes != nil && !g.svc.Locked() {
			g.codes.focusSearch()
		}
	})
	bind(fyne.KeyL, g.lock)
	bind(fyne.KeyQ, g.quit)
}

// shortcut runs the window's action for s, reporting whether there was one.
func (g *MainWindow) shortcut(s fyne.Shortcut) bool {
	if f, ok := g.shortcuts[s.ShortcutName()]; ok {
		g.touch()
		f()
		return true
	}
	return false
}

// onDropped reads dropped images as QR codes and other files as exports.
func (g *MainWindow) onDropped(_ fyne.Position, uris []fyne.URI) {
	if g.codes == nil || g.svc.Locked() {
		return
	}
	g.touch()
	for _, u := range uris {
		if u.Scheme() == "file" {
			g.codes.addFromFile(u.Path())
		}
	}
}

// showInFolder opens the folder that holds path in the desktop's file
// manager.
func (g *MainWindow) showInFolder(path string) error {
	u, err := url.Parse(storage.NewFileURI(filepath.Dir(path)).String())
	if err != nil {
		return err
	}
	return g.app.OpenURL(u)
}
