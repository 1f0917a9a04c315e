// Package ui is Gatekey's window: one struct per screen, built on small
// interfaces that app/ satisfies so that each screen can be tested headless
// with fyne.io/fyne/v2/test. It never imports fyne.io/fyne/v2/app; main.go
// creates the application and hands it in.
package ui

import (
	"context"
	"image"
	"runtime/debug"
	"time"

	"fyne.io/fyne/v2"

	"github.com/gatekey/gatekey/app"
	"github.com/gatekey/gatekey/otp"
	"github.com/gatekey/gatekey/transfer"
)

// Title is the main window's title, which scripts and tests look for.
const Title = "Gatekey"

// Vault is what the window needs of the accounts: the first run, lock and
// unlock, and changes. *app.Desktop satisfies it.
type Vault interface {
	VaultExists() bool
	KeychainAvailable() bool
	Open(password []byte) error
	Create(password []byte, mode app.UnlockMode) error
	Adopt(path string, password []byte, keychain bool) error

	Accounts() []otp.Account
	Groups() []string
	Add(accs ...otp.Account) (added, duplicates []otp.Account, err error)
	Update(acc otp.Account) error
	Remove(uuid string) error
	NextHOTP(uuid string) (string, otp.Account, error)

	Lock() error
	Locked() bool
	HasPassword() bool
	Unlock(password []byte) error

	// UnlockMode is keychain (Lock only hides the codes) or password (Lock
	// really locks); SetUnlockMode switches, ChangePassword adds or
	// changes the vault's password.
	UnlockMode() app.UnlockMode
	SetUnlockMode(mode app.UnlockMode, password []byte) error
	ChangePassword(current, next []byte, newKey bool) (app.PasswordChangeResult, error)
	VaultInfo() app.VaultInfo
}

// Sources is where new accounts come from besides typing: QR codes on the
// screen, in image files and on the clipboard, and other apps' export
// files. *app.Desktop satisfies it.
type Sources interface {
	ScanScreen(ctx context.Context) (app.Scan, error)
	ScanImageFile(path string) (app.Scan, error)
	ScanClipboard(ctx context.Context) (app.Scan, error)
	QRCode(acc otp.Account, size int) (image.Image, error)
	Import(path string, password func() ([]byte, error)) (transfer.Report, error)
}

// Service is everything the window calls.
type Service interface {
	Vault
	Sources
}

// Options configures the window.
type Options struct {
	// Service is the vault and the account sources.
	Service Service
	// Routers is the Routers tab's use cases; nil shows no Routers tab.
	Routers RouterService
	// Settings are the preferences loaded at start.
	Settings app.Settings
	// SaveSettings persists changed preferences; nil keeps them in memory.
	SaveSettings func(app.Settings) error
	// Tray says whether a system tray exists (app.TrayAvailable).
	Tray bool
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Ticks drives the window's one ticker; nil means once a second.
	// Headless tests pass a channel they control: Fyne's test driver runs
	// fyne.Do on the calling goroutine, so a real ticker would race with
	// the test itself.
	Ticks <-chan time.Time
	// SessionLocks reports the desktop locking its screen or going to sleep
	// (app.WatchSession); each report locks the vault, then tells the
	// watcher the lock has finished (a sleep waits for it). Nil: none.
	SessionLocks <-chan app.SessionEvent
}

// Run builds the main window on a, shows it (or only the tray icon, when
// the settings ask to start minimised) and runs the application until the
// user quits.
func Run(a fyne.App, opts Options) {
	g := NewMainWindow(a, opts)
	// Decrypting and parsing the vault leaves garbage several times its
	// size; hand it back now rather than after the first idle GC cycles.
	debug.FreeOSMemory()
	if opts.Tray && opts.Settings.StartMinimised && !g.locked() {
		a.Run()
		return
	}
	g.win.ShowAndRun()
}
