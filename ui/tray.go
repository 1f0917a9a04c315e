package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/gatekey/gatekey/app"
	"github.com/gatekey/gatekey/icons"
)

// maxTrayAccounts bounds the favourites listed in the tray menu, which
// cannot scroll.
const maxTrayAccounts = 15

// updateTray rebuilds the tray menu: the favourite accounts (a click copies
// the code), then Show, Lock and Quit. It does nothing without a tray.
func (g *MainWindow) updateTray() {
	desk, ok := g.app.(desktop.App)
	if !ok || !g.tray {
		return
	}
	desk.SetSystemTrayMenu(g.trayMenu())
	desk.SetSystemTrayIcon(icons.AppIcon)
}

func (g *MainWindow) trayMenu() *fyne.Menu {
	var items []*fyne.MenuItem
	if !g.svc.Locked() && g.codes != nil {
		for _, acc := range g.codes.all {
			if !acc.Favorite || acc.Type == "hotp" {
				continue
			}
			if len(items) == maxTrayAccounts {
				break
			}
			uuid := acc.UUID // the menu keeps no copy of the secret
			items = append(items, fyne.NewMenuItem(app.Label(acc), func() { g.copyByUUID(uuid) }))
		}
		if len(items) > 0 {
			items = append(items, fyne.NewMenuItemSeparator())
		}
	}
	show := fyne.NewMenuItem("Show Gatekey", func() {
		g.win.Show()
		g.win.RequestFocus()
	})
	lock := fyne.NewMenuItem("Lock", g.lock)
	lock.Disabled = g.svc.Locked()
	quit := fyne.NewMenuItem("Quit", g.quit)
	quit.IsQuit = true
	items = append(items, show, lock, quit)
	return fyne.NewMenu(Title, items...)
}

// copyByUUID copies the code of the account the list holds under uuid;
// while locked it does nothing.
func (g *MainWindow) copyByUUID(uuid string) {
	if g.codes == nil {
		return
	}
	if acc, ok := g.codes.accountByUUID(uuid); ok {
		g.codes.copyAccount(acc)
	}
}
