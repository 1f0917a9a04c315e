package ui

import (
	"runtime/debug"

	"github.com/gatekey/gatekey/otp"
)

// Locking must leave nothing readable behind the lock screen: no dialog or
// pop-up still open over it (the QR code dialog shows a secret), and no
// decrypted account in the window's own copies. The vault wipes its
// copies itself; these are the window's.

// closeOverlays removes every dialog and pop-up menu from the window.
func (g *MainWindow) closeOverlays() {
	overlays := g.win.Canvas().Overlays()
	for top := overlays.Top(); top != nil; top = overlays.Top() {
		overlays.Remove(top)
	}
}

// forgetSecrets zeroes and drops every account the window holds: the
// list, its filtered view, the rows, the HOTP codes shown, an enrolment
// in progress. The tray menu holds only uuids.
func (g *MainWindow) forgetSecrets() {
	if g.codes != nil {
		g.codes.forget()
	}
	if g.routerTabs != nil {
		g.routerTabs.routers.forget()
	}
}

// returnMemory hands the freed pages back to the operating system, which
// zeroes them, so that the copies just dropped do not linger in the
// process's memory until the allocator reuses them.
func (g *MainWindow) returnMemory() { g.background(debug.FreeOSMemory) }

func (v *codesView) forget() {
	for i := range v.all {
		wipeAccount(&v.all[i])
	}
	for i := range v.shown {
		wipeAccount(&v.shown[i])
	}
	for _, r := range v.rows {
		wipeAccount(&r.acc)
		r.code.SetText("")
		r.next.SetText("")
	}
	v.all, v.shown = nil, nil
	clear(v.hotpCodes)
	clear(v.revealed)
	v.list.Refresh()
}

func wipeAccount(a *otp.Account) {
	clear(a.Secret)
	*a = otp.Account{}
}

// forget ends an enrolment in progress (its captured secret is zeroed) and
// returns to the routers list.
func (v *routersView) forget() {
	if v.detail != nil {
		v.detail.passwordResult.Objects = nil // a new router password shown once
		v.detail.passwordResult.Refresh()
	}
	if v.fleet != nil {
		v.fleet.forgetPasswords()
	}
	if v.enrol != nil {
		v.enrol.stopTicker()
		v.enrol.e.Forget()
		v.enrol = nil
		v.back()
	}
}

// accountByUUID is the account the list holds now, for actions whose menu
// or dialog was built earlier and must not keep a copy of the secret.
func (v *codesView) accountByUUID(uuid string) (otp.Account, bool) {
	if v.g.locked() {
		return otp.Account{}, false
	}
	for _, a := range v.all {
		if a.UUID == uuid {
			return a, true
		}
	}
	return otp.Account{}, false
}
