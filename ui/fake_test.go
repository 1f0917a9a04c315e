package ui

import (
	"context"
	"errors"
	"image"
	"slices"
	"strconv"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/gatekey/gatekey/app"
	"github.com/gatekey/gatekey/otp"
	"github.com/gatekey/gatekey/transfer"
	"github.com/gatekey/gatekey/vault"
)

// fakeService is an in-memory vault, so that screens are tested without
// files, keychain or scrypt.
type fakeService struct {
	exists, keychain, locked bool
	password                 string
	mode                     app.UnlockMode // zero: keychain
	accounts                 []otp.Account
	nextID                   int
	scan                     app.Scan
	report                   transfer.Report
	importPasswordAsked      bool
}

func (f *fakeService) VaultExists() bool       { return f.exists }
func (f *fakeService) KeychainAvailable() bool { return f.keychain }
func (f *fakeService) Open(pw []byte) error {
	if pw == nil && !f.keychain {
		return vault.ErrPasswordRequired
	}
	return f.Unlock(pw)
}
func (f *fakeService) Create(pw []byte, mode app.UnlockMode) error {
	if len(pw) == 0 && !f.keychain {
		return vault.ErrNoKeychain
	}
	f.exists, f.locked, f.password, f.mode = true, false, string(pw), mode
	return nil
}
func (f *fakeService) UnlockMode() app.UnlockMode {
	if f.mode == app.UnlockPassword {
		return f.mode
	}
	return app.UnlockKeychain
}
func (f *fakeService) SetUnlockMode(m app.UnlockMode, pw []byte) error {
	if m == app.UnlockPassword && string(pw) != f.password {
		return vault.ErrWrongPassword
	}
	f.mode = m
	return nil
}
func (f *fakeService) ChangePassword(current, next []byte, newKey bool) (app.PasswordChangeResult, error) {
	if f.password != "" && string(current) != f.password {
		return app.PasswordChangeResult{}, vault.ErrWrongPassword
	}
	f.password = string(next)
	return app.PasswordChangeResult{NewKey: newKey}, nil
}
func (f *fakeService) VaultInfo() app.VaultInfo         { return app.VaultInfo{} }
func (f *fakeService) Adopt(string, []byte, bool) error { return errors.New("not in this fake") }
func (f *fakeService) Accounts() []otp.Account {
	if f.locked {
		return nil
	}
	// Copies with their own secrets, as the real vault hands out.
	out := slices.Clone(f.accounts)
	for i := range out {
		out[i].Secret = slices.Clone(out[i].Secret)
	}
	app.SortAccounts(out)
	return out
}
func (f *fakeService) Groups() []string { return nil }
func (f *fakeService) Add(accs ...otp.Account) (added, dups []otp.Account, err error) {
	for _, a := range accs {
		if slices.ContainsFunc(f.accounts, func(e otp.Account) bool { return app.SameAccount(e, a) }) {
			dups = append(dups, a)
			continue
		}
		f.nextID++
		a.UUID = "uuid-" + strconv.Itoa(f.nextID)
		f.accounts = append(f.accounts, a)
		added = append(added, a)
	}
	return added, dups, nil
}
func (f *fakeService) Update(acc otp.Account) error {
	for i := range f.accounts {
		if f.accounts[i].UUID == acc.UUID {
			f.accounts[i] = acc
			return nil
		}
	}
	return vault.ErrNotFound
}
func (f *fakeService) Remove(uuid string) error {
	n := len(f.accounts)
	f.accounts = slices.DeleteFunc(f.accounts, func(a otp.Account) bool { return a.UUID == uuid })
	if len(f.accounts) == n {
		return vault.ErrNotFound
	}
	return nil
}
func (f *fakeService) NextHOTP(uuid string) (string, otp.Account, error) {
	for i := range f.accounts {
		if f.accounts[i].UUID == uuid {
			f.accounts[i].Counter++
			code, err := f.accounts[i].Code(time.Time{})
			return code, f.accounts[i], err
		}
	}
	return "", otp.Account{}, vault.ErrNotFound
}
func (f *fakeService) Lock() error       { f.locked = true; return nil }
func (f *fakeService) Locked() bool      { return f.locked }
func (f *fakeService) HasPassword() bool { return f.password != "" }
func (f *fakeService) Unlock(pw []byte) error {
	if pw == nil {
		if !f.keychain {
			return vault.ErrNoKeychain
		}
		if f.mode == app.UnlockPassword {
			return vault.ErrPasswordRequired
		}
	} else if string(pw) != f.password {
		return vault.ErrWrongPassword
	}
	f.locked = false
	return nil
}
func (f *fakeService) ScanScreen(context.Context) (app.Scan, error)    { return f.scan, nil }
func (f *fakeService) ScanImageFile(string) (app.Scan, error)          { return f.scan, nil }
func (f *fakeService) ScanClipboard(context.Context) (app.Scan, error) { return f.scan, nil }
func (f *fakeService) QRCode(otp.Account, int) (image.Image, error) {
	return image.NewGray(image.Rect(0, 0, 10, 10)), nil
}
func (f *fakeService) Import(_ string, pw func() ([]byte, error)) (transfer.Report, error) {
	if pw != nil {
		f.importPasswordAsked = true
	}
	return f.report, nil
}

// fixedNow is the fake clock: 10 s into a 30 s step.
var fixedNow = time.Unix(1_700_000_000-1_700_000_000%30+10, 0)

func account(i int) otp.Account {
	return otp.Account{Type: otp.TOTP, Issuer: "Issuer " + strconv.Itoa(i), Name: "user" + strconv.Itoa(i),
		Secret: []byte("secret-" + strconv.Itoa(i)), Algorithm: otp.SHA1, Digits: 6, Period: 30}
}

// newTestWindow opens the main window on svc with the fake clock and a
// synchronous background runner, in a test app.
func newTestWindow(t *testing.T, svc *fakeService, settings app.Settings) (*MainWindow, fyne.App) {
	t.Helper()
	a := test.NewTempApp(t)
	g := &MainWindow{}
	opts := Options{Service: svc, Settings: settings, Now: func() time.Time { return fixedNow }, Ticks: make(chan time.Time)}
	g = NewMainWindow(a, opts)
	headless(t, g)
	g.win.Resize(fyne.NewSize(480, 640))
	return g, a
}

// headless makes a window safe for Fyne's test driver, which runs fyne.Do
// on the calling goroutine instead of queueing it for one UI thread: work
// meant for the background runs at once, the clipboard's clearing is never
// scheduled (a real timer would fire during a later test and race with it
// in Fyne's shared caches), and the ticker stops with the test.
func headless(t *testing.T, g *MainWindow) {
	t.Helper()
	g.background = func(f func()) { f() }
	g.clip.after = func(time.Duration, func()) func() { return func() {} }
	t.Cleanup(func() {
		if g.codes != nil {
			g.codes.stop()
		}
	})
}

func vaultWith(n int) *fakeService {
	// Keychain mode, so that the window opens on the codes; the lock
	// tests switch to password mode after the start.
	svc := &fakeService{exists: true, keychain: true, password: "pw"}
	for i := range n {
		svc.Add(account(i))
	}
	return svc
}
