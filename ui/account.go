package ui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/gatekey/gatekey/app"
	"github.com/gatekey/gatekey/otp"
)

// onSelected copies the clicked row's code. The selection is dropped at
// once so that clicking the same row again copies again.
func (v *codesView) onSelected(id widget.ListItemID) {
	v.list.Unselect(id)
	if id < 0 || id >= len(v.shown) {
		return
	}
	v.setCurrent(id)
	v.copyAccount(v.shown[id])
}

// setCurrent moves the highlight Enter and Delete act on.
func (v *codesView) setCurrent(id int) {
	if len(v.shown) == 0 {
		return
	}
	v.current = min(max(id, 0), len(v.shown)-1)
	for _, r := range v.rows {
		r.setCurrent(r.id == v.current)
	}
	v.list.ScrollTo(v.current)
}

func (v *codesView) copyCurrent() {
	if v.current >= 0 && v.current < len(v.shown) {
		v.copyAccount(v.shown[v.current])
	}
}

// copyAccount copies the account's current code (a HOTP account's next
// code: the counter is saved first) and notes when it was used.
func (v *codesView) copyAccount(acc otp.Account) {
	if v.g.locked() {
		return
	}
	v.g.touch()
	if acc.Type == otp.HOTP {
		v.onNextHOTP(acc)
		return
	}
	code, err := acc.Code(v.g.now())
	if err != nil {
		showError(v.g.win, "This account cannot produce codes", err)
		return
	}
	v.reveal(acc.UUID)
	v.g.clip.copy(code, "the code of "+app.Label(acc), v.g.settings.ClipboardClear())
	v.used(acc.UUID)
}

// copyNext copies the code of the next time step, for sites that are
// about to expire the current one.
func (v *codesView) copyNext(acc otp.Account) {
	if v.g.locked() {
		return
	}
	v.g.touch()
	code, err := acc.Code(v.g.now().Add(time.Duration(acc.Period) * time.Second))
	if err != nil {
		showError(v.g.win, "This account cannot produce codes", err)
		return
	}
	v.g.clip.copy(code, "the next code of "+app.Label(acc), v.g.settings.ClipboardClear())
	v.used(acc.UUID)
}

// onNextHOTP advances a HOTP counter (saved before the code shows), shows
// and copies the new code.
func (v *codesView) onNextHOTP(acc otp.Account) {
	if v.g.locked() {
		return
	}
	v.g.touch()
	code, updated, err := v.g.svc.NextHOTP(acc.UUID)
	if err != nil {
		showError(v.g.win, "The counter could not be saved, so no code is shown", err)
		return
	}
	v.hotpCodes[acc.UUID] = code
	v.reveal(acc.UUID)
	for i := range v.shown {
		if v.shown[i].UUID == acc.UUID {
			v.shown[i] = updated
			v.list.RefreshItem(i)
		}
	}
	v.g.clip.copy(code, "the code of "+app.Label(acc), v.g.settings.ClipboardClear())
	v.used(acc.UUID)
}

func (v *codesView) reveal(uuid string) {
	if v.g.settings.HideCodes && !v.revealed[uuid] {
		v.revealed[uuid] = true
		for i := range v.shown {
			if v.shown[i].UUID == uuid {
				v.list.RefreshItem(i)
			}
		}
	}
}

func (v *codesView) used(uuid string) {
	if v.g.settings.LastUsed == nil {
		v.g.settings.LastUsed = map[string]int64{}
	}
	v.g.settings.LastUsed[uuid] = v.g.now().Unix()
	v.g.saveSettings()
}

// onRowMenu shows an account's actions beside its "more" button. The menu
// keeps only the account's uuid: each action finds the account when it
// runs, and does nothing once the vault is locked.
func (v *codesView) onRowMenu(acc otp.Account, anchor fyne.CanvasObject) {
	v.g.touch()
	uuid := acc.UUID
	act := func(f func(otp.Account)) func() {
		return func() {
			if a, ok := v.accountByUUID(uuid); ok {
				f(a)
			}
		}
	}
	items := []*fyne.MenuItem{fyne.NewMenuItem("Copy code", act(v.copyAccount))}
	if acc.Type != otp.HOTP {
		items = append(items, fyne.NewMenuItem("Copy next code", act(v.copyNext)))
	}
	items = append(items,
		fyne.NewMenuItem("Edit…", act(v.onEdit)),
		fyne.NewMenuItem("Show QR code…", act(v.onShowQR)),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Delete…", act(v.onDelete)))
	menu := widget.NewPopUpMenu(fyne.NewMenu("", items...), v.g.win.Canvas())
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(anchor)
	menu.ShowAtPosition(pos.AddXY(anchor.Size().Width-menu.MinSize().Width, anchor.Size().Height))
}

// onEdit changes what the person sees of an account; the secret and code
// parameters stay as they are.
func (v *codesView) onEdit(acc otp.Account) {
	issuer := widget.NewEntry()
	issuer.SetText(acc.Issuer)
	name := widget.NewEntry()
	name.SetText(acc.Name)
	name.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" && strings.TrimSpace(issuer.Text) == "" {
			return fmt.Errorf("give the account a name")
		}
		return nil
	}
	note := widget.NewMultiLineEntry()
	note.SetText(acc.Note)
	note.SetMinRowsVisible(2)
	fav := widget.NewCheck("Show first and in the tray", nil)
	fav.SetChecked(acc.Favorite)
	groups := widget.NewEntry()
	groups.SetText(strings.Join(acc.Groups, ", "))
	groups.PlaceHolder = "work, personal"
	items := []*widget.FormItem{
		widget.NewFormItem("Issuer", issuer),
		widget.NewFormItem("Name", name),
		widget.NewFormItem("Note", note),
		widget.NewFormItem("Favourite", fav),
		{Text: "Groups", Widget: groups, HintText: "separated by commas"},
	}
	d := dialog.NewForm("Edit "+app.Label(acc), "Save", "Cancel", items, func(ok bool) {
		if !ok || v.g.locked() {
			return
		}
		acc.Issuer = strings.TrimSpace(issuer.Text)
		acc.Name = strings.TrimSpace(name.Text)
		acc.Note = note.Text
		acc.Favorite = fav.Checked
		acc.Groups = splitGroups(groups.Text)
		if err := v.g.svc.Update(acc); err != nil {
			showError(v.g.win, "The account was not saved", err)
			return
		}
		v.reload()
	}, v.g.win)
	d.Resize(fyne.NewSize(420, d.MinSize().Height))
	d.Show()
}

func splitGroups(s string) []string {
	var out []string
	for g := range strings.SplitSeq(s, ",") {
		if g = strings.TrimSpace(g); g != "" {
			out = append(out, g)
		}
	}
	return out
}

// onDelete deletes an account after a confirmation that names it.
func (v *codesView) onDelete(acc otp.Account) {
	msg := fmt.Sprintf("Delete %s?\nIts codes can no longer be produced here unless you have a backup,\nso first make sure the site accepts another way to sign in.", app.Label(acc))
	d := dialog.NewConfirm("Delete account", msg, func(ok bool) {
		if !ok || v.g.locked() {
			return
		}
		if err := v.g.svc.Remove(acc.UUID); err != nil {
			showError(v.g.win, "The account was not deleted", err)
			return
		}
		v.setNotice("Deleted " + app.Label(acc) + ".")
		v.reload()
	}, v.g.win)
	d.SetConfirmText("Delete")
	d.SetConfirmImportance(widget.DangerImportance)
	d.Show()
}

// onShowQR shows the account's QR code, after a warning: the code carries
// the secret, for moving the account to a phone.
func (v *codesView) onShowQR(acc otp.Account) {
	msg := fmt.Sprintf("The QR code of %s holds its secret: anyone who sees or photographs it\ncan produce your codes. Show it only to move the account to a phone.", app.Label(acc))
	uuid := acc.UUID
	d := dialog.NewConfirm("Show QR code", msg, func(ok bool) {
		acc, found := v.accountByUUID(uuid)
		if !ok || !found {
			return
		}
		img, err := v.g.svc.QRCode(acc, 600)
		if err != nil {
			showError(v.g.win, "The QR code could not be drawn", err)
			return
		}
		qr := canvas.NewImageFromImage(img)
		qr.FillMode = canvas.ImageFillContain
		qr.SetMinSize(fyne.NewSize(300, 300))
		dialog.NewCustom(app.Label(acc), "Close", qr, v.g.win).Show()
	}, v.g.win)
	d.SetConfirmText("Show")
	d.Show()
}

// onTypedRune starts a search when someone types while nothing has focus.
func (v *codesView) onTypedRune(r rune) {
	if v.g.svc.Locked() || len(v.all) == 0 {
		return
	}
	v.g.touch()
	v.g.win.Canvas().Focus(v.search)
	v.search.TypedRune(r)
}

// onTypedKey handles Enter, Delete and the arrows while nothing has focus.
func (v *codesView) onTypedKey(k *fyne.KeyEvent) {
	if v.g.svc.Locked() {
		return
	}
	v.g.touch()
	v.listKey(k)
}

// onSearchKey lets the arrows move through the list while typing, and
// Delete delete the highlighted account once the query is empty.
func (v *codesView) onSearchKey(k *fyne.KeyEvent) bool {
	v.g.touch()
	switch k.Name {
	case fyne.KeyUp, fyne.KeyDown, fyne.KeyPageUp, fyne.KeyPageDown:
		return v.listKey(k)
	case fyne.KeyDelete:
		if v.search.Text == "" {
			return v.listKey(k)
		}
	case fyne.KeyEscape:
		v.search.SetText("")
		return true
	}
	return false
}

func (v *codesView) listKey(k *fyne.KeyEvent) bool {
	switch k.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		v.copyCurrent()
	case fyne.KeyDelete:
		if v.current >= 0 && v.current < len(v.shown) {
			v.onDelete(v.shown[v.current])
		}
	case fyne.KeyUp:
		v.setCurrent(v.current - 1)
	case fyne.KeyDown:
		v.setCurrent(v.current + 1)
	case fyne.KeyPageUp:
		v.setCurrent(v.current - 10)
	case fyne.KeyPageDown:
		v.setCurrent(v.current + 10)
	default:
		return false
	}
	return true
}
