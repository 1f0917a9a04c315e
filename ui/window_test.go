package ui

import (
	"bytes"
	"image"
	"image/png"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/gatekey/gatekey/app"
	"github.com/gatekey/gatekey/otp"
	"github.com/gatekey/gatekey/transfer"
)

// The list shows every account with its grouped code and countdown; with
// 1,000 accounts the list creates rows only for what is visible.
func TestListShowsCodes(t *testing.T) {
	svc := vaultWith(1000)
	g, _ := newTestWindow(t, svc, app.DefaultSettings())
	v := g.codes
	if v == nil || v.list.Length() != 1000 {
		t.Fatalf("list does not hold the 1,000 accounts")
	}
	if len(v.rows) == 0 || len(v.rows) > 40 {
		t.Fatalf("%d rows created for a 640-pixel window; the list is not virtualised", len(v.rows))
	}
	first := v.shown[0]
	want, _ := first.Code(fixedNow)
	row := rowFor(t, v, 0)
	if row.code.Text != app.GroupCode(want) || !strings.Contains(row.code.Text, " ") {
		t.Errorf("row 0 shows %q, want %q", row.code.Text, app.GroupCode(want))
	}
	if row.left.Text != "20 s" || row.left.Importance == widget.WarningImportance {
		t.Errorf("countdown %q (importance %v), want 20 s, not warning", row.left.Text, row.left.Importance)
	}
	// In the last 5 s the countdown turns warning-coloured.
	g.now = func() time.Time { return fixedNow.Add(16 * time.Second) }
	v.tick()
	if row.left.Text != "4 s" || row.left.Importance != widget.WarningImportance {
		t.Errorf("at 4 s left: %q importance %v", row.left.Text, row.left.Importance)
	}
}

func rowFor(t *testing.T, v *codesView, id int) *accountRow {
	t.Helper()
	for _, r := range v.rows {
		if r.id == id {
			return r
		}
	}
	t.Fatalf("no row bound to item %d", id)
	return nil
}

// Typing filters by issuer or name; Enter copies the highlighted code and
// the notice says when the clipboard is cleared.
func TestSearchAndCopy(t *testing.T) {
	svc := vaultWith(300)
	g, a := newTestWindow(t, svc, app.DefaultSettings())
	v := g.codes
	test.TypeOnCanvas(g.win.Canvas(), "Issuer 14") // typed with nothing focused: goes to search
	if got := v.list.Length(); got != 11 {
		t.Fatalf("search 'Issuer 14' shows %d accounts, want 11 (14, 140-149)", got)
	}
	v.search.SetText("user299")
	if v.list.Length() != 1 {
		t.Fatalf("search by name shows %d", v.list.Length())
	}
	v.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	want, _ := v.shown[0].Code(fixedNow)
	if got := a.Clipboard().Content(); got != want {
		t.Fatalf("clipboard %q, want %q", got, want)
	}
	if !strings.Contains(v.notice.Text, "cleared in 30 s") {
		t.Errorf("notice %q does not say when the clipboard is cleared", v.notice.Text)
	}
	if g.settings.LastUsed[v.shown[0].UUID] != fixedNow.Unix() {
		t.Error("copying did not record the last use")
	}
}

// The clipboard is cleared after the delay only while it holds our code,
// and on lock.
func TestClipboardClearing(t *testing.T) {
	svc := vaultWith(3)
	g, a := newTestWindow(t, svc, app.DefaultSettings())
	var pending func()
	g.clip.after = func(d time.Duration, f func()) func() {
		if d != 30*time.Second {
			t.Errorf("clearing scheduled after %v, want 30 s", d)
		}
		pending = f
		return func() { pending = nil }
	}
	g.codes.onSelected(0)
	pending()
	if got := a.Clipboard().Content(); got != "" {
		t.Fatalf("clipboard still holds %q after the delay", got)
	}
	g.codes.onSelected(1)
	a.Clipboard().SetContent("something the person copied")
	pending()
	if got := a.Clipboard().Content(); got != "something the person copied" {
		t.Fatalf("the person's own clipboard was cleared: %q", got)
	}
	g.codes.onSelected(2)
	g.lock()
	if got := a.Clipboard().Content(); got != "" {
		t.Fatalf("clipboard holds %q after lock", got)
	}
}

// Lock forgets the codes and shows the lock screen; a wrong password says
// so; the right one brings the list back.
func TestLockUnlock(t *testing.T) {
	svc := vaultWith(5)
	g, _ := newTestWindow(t, svc, app.DefaultSettings())
	svc.mode = app.UnlockPassword
	g.shortcut(&desktopShortcutL)
	if !svc.locked {
		t.Fatal("Ctrl+L did not lock the vault")
	}
	lv := findLockView(t, g)
	test.Type(lv.password, "nope")
	lv.onUnlock()
	if !svc.locked || lv.message.Text != "Wrong password." {
		t.Fatalf("wrong password: locked %v, message %q", svc.locked, lv.message.Text)
	}
	test.Type(lv.password, "pw")
	lv.onUnlock()
	if svc.locked || g.win.Content() != g.codes.content || g.codes.list.Length() != 5 {
		t.Fatal("the right password did not bring the accounts back")
	}
}

// The desktop locking its screen locks the vault.
func TestSessionLockLocksTheVault(t *testing.T) {
	svc := vaultWith(3)
	g, _ := newTestWindow(t, svc, app.DefaultSettings())
	svc.mode = app.UnlockPassword
	g.onSessionLock()
	if !svc.locked {
		t.Fatal("a screen lock did not lock the vault")
	}
	findLockView(t, g)
	g.onSessionLock() // a second report while locked changes nothing
	if !svc.locked {
		t.Fatal("the vault unlocked")
	}
}

// Idle for the auto-lock time locks the vault.
func TestAutoLock(t *testing.T) {
	svc := vaultWith(2)
	g, _ := newTestWindow(t, svc, app.DefaultSettings())
	g.idleCheck(fixedNow.Add(4 * time.Minute))
	if svc.locked {
		t.Fatal("locked after 4 minutes with a 5-minute setting")
	}
	g.idleCheck(fixedNow.Add(5 * time.Minute))
	if !svc.locked {
		t.Fatal("not locked after 5 idle minutes")
	}
}

// Manual entry validates the secret and adds with defaults; adding the
// same account again names it as a duplicate.
func TestAddManualAndDuplicate(t *testing.T) {
	svc := vaultWith(0)
	g, _ := newTestWindow(t, svc, app.DefaultSettings())
	f := newManualForm()
	test.Type(f.issuer, "Example")
	test.Type(f.name, "alice")
	test.Type(f.secret, "not base32!")
	if f.secret.Validate() == nil {
		t.Fatal("an invalid secret passes validation")
	}
	f.secret.SetText("jbsw y3dp ehpk 3pxp")
	acc, err := f.account()
	if err != nil {
		t.Fatal(err)
	}
	if acc.Type != otp.TOTP || acc.Digits != 6 || acc.Period != 30 || acc.Algorithm != otp.SHA1 {
		t.Errorf("defaults: %+v", acc)
	}
	g.codes.add([]otp.Account{acc}, nil)
	if g.codes.list.Length() != 1 || !strings.Contains(g.codes.notice.Text, "Added Example:alice") {
		t.Fatalf("after add: %d shown, notice %q", g.codes.list.Length(), g.codes.notice.Text)
	}
	g.codes.add([]otp.Account{acc}, nil)
	if len(svc.accounts) != 1 {
		t.Fatal("a duplicate was added twice")
	}
	if !dialogShows(g.win, "Already in the vault") || !dialogShows(g.win, "Example:alice") {
		t.Error("the duplicate is not named")
	}
}

// A migration code with several accounts shows the list before adding.
func TestScanOffersList(t *testing.T) {
	svc := vaultWith(0)
	svc.scan = app.Scan{Accounts: []otp.Account{account(1), account(2), account(3)}}
	g, _ := newTestWindow(t, svc, app.DefaultSettings())
	g.codes.onScanScreen()
	if len(svc.accounts) != 0 {
		t.Fatal("several accounts were added without showing them first")
	}
	if !dialogShows(g.win, "3 accounts in the screen") || !dialogShows(g.win, "Issuer 2:user2") {
		t.Fatal("the list of scanned accounts is not shown")
	}
}

// Edit changes issuer, name, favourite and groups; delete asks first,
// naming the account.
func TestEditAndDelete(t *testing.T) {
	svc := vaultWith(2)
	g, _ := newTestWindow(t, svc, app.DefaultSettings())
	acc := g.codes.shown[1]
	acc.Issuer, acc.Favorite, acc.Groups = "Renamed", true, splitGroups(" work, home ,")
	if err := svc.Update(acc); err != nil {
		t.Fatal(err)
	}
	g.codes.reload()
	if g.codes.shown[0].Issuer != "Renamed" {
		t.Fatal("a favourite is not listed first")
	}
	if got := g.codes.shown[0].Groups; len(got) != 2 || got[1] != "home" {
		t.Errorf("groups %q", got)
	}
	g.codes.onDelete(g.codes.shown[0])
	if !dialogShows(g.win, "Delete Renamed:user1?") {
		t.Fatal("the delete confirmation does not name the account")
	}
	if len(svc.accounts) != 2 {
		t.Fatal("deleted before confirmation")
	}
}

// The import report names each skipped entry and why.
func TestImportReport(t *testing.T) {
	svc := vaultWith(1)
	svc.report = transfer.Report{Imported: 4, Duplicates: 1, Skipped: []transfer.Skipped{{Item: "Yandex:bob", Reason: "Yandex accounts are not supported"}}}
	g, _ := newTestWindow(t, svc, app.DefaultSettings())
	g.codes.importFile("/tmp/export.json")
	for _, want := range []string{"Imported: 4", "Already in the vault: 1", "Skipped: 1", "Yandex:bob: Yandex accounts are not supported"} {
		if !dialogShows(g.win, want) {
			t.Errorf("the import report does not show %q", want)
		}
	}
	if !svc.importPasswordAsked {
		t.Error("the import passes no way to ask for a password")
	}
}

// The first run says plainly when no keychain exists and insists on a
// password then.
func TestFirstRunWithoutKeychain(t *testing.T) {
	svc := &fakeService{}
	g, _ := newTestWindow(t, svc, app.DefaultSettings())
	if !canvasShows(g.win.Canvas(), "No system keychain is available") {
		t.Fatal("the missing keychain is not mentioned")
	}
	v := newFirstRunView(g)
	g.win.SetContent(v.content)
	v.onCreate()
	if svc.exists || !strings.Contains(v.createMsg.Text, "Choose a password") {
		t.Fatalf("created without a password and keychain: %q", v.createMsg.Text)
	}
	test.Type(v.password, "pw")
	test.Type(v.confirm, "pw")
	v.onCreate()
	if !svc.exists || g.codes == nil || g.win.Content() != g.codes.content {
		t.Fatal("creating with a password did not open the accounts screen")
	}
}

// An account's own icon (Aegis keeps one per entry) replaces the coloured
// initial; one whose header claims a huge image is not drawn.
func TestAccountIcons(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 32, 32))
	var small bytes.Buffer
	if err := png.Encode(&small, img); err != nil {
		t.Fatal(err)
	}
	huge := image.NewGray(image.Rect(0, 0, 2000, 1))
	var large bytes.Buffer
	if err := png.Encode(&large, huge); err != nil {
		t.Fatal(err)
	}
	svc := &fakeService{exists: true, keychain: true, password: "pw"}
	withIcon, tooLarge, plain := account(0), account(1), account(2)
	withIcon.Icon, withIcon.IconMime = small.Bytes(), "image/png"
	tooLarge.Icon, tooLarge.IconMime = large.Bytes(), "image/png"
	svc.Add(withIcon)
	svc.Add(tooLarge)
	svc.Add(plain)
	g, _ := newTestWindow(t, svc, app.DefaultSettings())
	for id, want := range []bool{true, false, false} {
		row := rowFor(t, g.codes, id)
		if row.icon.Visible() != want {
			t.Errorf("row %d (%s): icon shown %v, want %v", id, row.acc.Name, row.icon.Visible(), want)
		}
		if want && row.icon.Resource == nil {
			t.Errorf("row %d: icon shown without a resource", id)
		}
		if row.initial.Visible() == want {
			t.Errorf("row %d: initial shown %v beside icon shown %v", id, row.initial.Visible(), want)
		}
	}
}
