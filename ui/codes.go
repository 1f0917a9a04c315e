package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/gatekey/gatekey/app"
	"github.com/gatekey/gatekey/icons"
	"github.com/gatekey/gatekey/otp"
)

// Sort choices as the sort selector shows them.
var sortLabels = map[string]string{app.SortIssuer: "By issuer", app.SortName: "By name", app.SortLastUsed: "Last used"}

const allGroups = "All groups"

// codesView is the accounts screen: search, the virtualised list of codes,
// the Add menu and the lock button; while the vault is empty, a single
// clear first step.
type codesView struct {
	g       *MainWindow
	content *fyne.Container

	all      []otp.Account // every account, in list order
	shown    []otp.Account // after search and group filter
	rows     []*accountRow // every row the list created, visible or pooled
	current  int           // the row Enter and Delete act on
	revealed map[string]bool
	// hotpCodes keeps the last code of each HOTP account shown this
	// session; it is forgotten on lock.
	hotpCodes map[string]string

	search   *shortcutEntry
	groupSel *widget.Select
	sortSel  *widget.Select
	list     *widget.List
	notice   *widget.Label
	addBtn   *widget.Button
	body     *fyne.Container
	empty    fyne.CanvasObject
	firstBtn *widget.Button

	stopTicker chan struct{}
	icons      map[string]fyne.Resource // accounts' own icons, by uuid and content
}

func newCodesView(g *MainWindow) *codesView {
	v := &codesView{g: g, revealed: map[string]bool{}, hotpCodes: map[string]string{}}
	v.search = newShortcutEntry(g)
	v.search.PlaceHolder = "Search (Ctrl+F)"
	v.search.OnChanged = func(string) { g.touch(); v.filter() }
	v.search.OnSubmitted = func(string) { v.copyCurrent() }
	v.search.onKey = v.onSearchKey
	v.groupSel = widget.NewSelect(nil, func(string) { g.touch(); v.filter() })
	sorts := []string{sortLabels[app.SortIssuer], sortLabels[app.SortName], sortLabels[app.SortLastUsed]}
	v.sortSel = widget.NewSelect(sorts, v.onSort)
	v.sortSel.Selected = sortLabels[g.settings.Sort]
	v.list = widget.NewList(v.length, v.createRow, v.updateRow)
	v.list.OnSelected = v.onSelected
	v.notice = wrappedLabel("")
	v.addBtn = &widget.Button{Text: "Add", Icon: theme.ContentAddIcon(), Importance: widget.HighImportance, OnTapped: v.onAdd}
	lockBtn := &widget.Button{Icon: theme.LogoutIcon(), OnTapped: g.lock}
	settingsBtn := &widget.Button{Icon: theme.SettingsIcon(), OnTapped: v.onSettings}
	v.firstBtn = &widget.Button{Text: "Add your first account", Icon: theme.ContentAddIcon(), Importance: widget.HighImportance, OnTapped: v.onAdd}
	v.empty = v.emptyState()

	top := container.NewBorder(nil, nil, nil, container.NewHBox(v.addBtn, lockBtn, settingsBtn), v.search)
	filters := container.NewGridWithColumns(2, v.groupSel, v.sortSel)
	v.body = container.NewStack(v.list)
	v.content = container.NewBorder(container.NewVBox(top, filters), v.notice, nil, nil, v.body)
	g.win.Canvas().SetOnTypedRune(v.onTypedRune)
	g.win.Canvas().SetOnTypedKey(v.onTypedKey)
	return v
}

// emptyState explains what Gatekey is for and offers the one thing to do.
func (v *codesView) emptyState() fyne.CanvasObject {
	logo := canvas.NewImageFromResource(icons.AppIcon)
	logo.FillMode = canvas.ImageFillContain
	logo.SetMinSize(fyne.NewSize(96, 96))
	title := widget.NewLabelWithStyle("No accounts yet", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	hint := widget.NewLabelWithStyle(
		"Scan a QR code from the screen, open an image,\npaste a link or import from another app.",
		fyne.TextAlignCenter, fyne.TextStyle{})
	return container.NewCenter(container.NewVBox(
		container.NewCenter(logo), title, hint, container.NewCenter(v.firstBtn)))
}

// reload reads the accounts again after a change or an unlock.
func (v *codesView) reload() {
	v.all = v.g.svc.Accounts()
	app.OrderAccounts(v.all, v.g.settings.Sort, v.g.settings.LastUsed)
	groups := append([]string{allGroups}, v.g.svc.Groups()...)
	v.groupSel.Options = groups
	if v.groupSel.Selected == "" {
		v.groupSel.Selected = allGroups
	}
	if len(groups) == 1 {
		v.groupSel.Disable()
	} else {
		v.groupSel.Enable()
	}
	v.groupSel.Refresh()
	v.filter()
	v.g.updateTray()
}

// filter applies the search text and the group to the list.
func (v *codesView) filter() {
	group := v.groupSel.Selected
	if group == allGroups {
		group = ""
	}
	v.shown = app.Match(app.InGroup(v.all, group), v.search.Text)
	v.current = 0
	if len(v.all) == 0 {
		v.body.Objects = []fyne.CanvasObject{v.empty}
	} else {
		v.body.Objects = []fyne.CanvasObject{v.list}
	}
	v.body.Refresh()
	v.list.UnselectAll()
	v.list.Refresh()
	v.list.ScrollToTop()
}

func (v *codesView) length() int { return len(v.shown) }

func (v *codesView) createRow() fyne.CanvasObject {
	r := newAccountRow(v)
	v.rows = append(v.rows, r)
	return r.content
}

func (v *codesView) updateRow(id widget.ListItemID, obj fyne.CanvasObject) {
	if id < 0 || id >= len(v.shown) {
		return
	}
	for _, r := range v.rows {
		if r.content == obj {
			r.bind(id, v.shown[id], v.g.now())
			return
		}
	}
}

// start runs the one ticker of the screen: each second, on the Fyne thread,
// it refreshes the countdowns and codes of the rows the list has bound
// (the visible ones and a few pooled), and checks the idle time.
func (v *codesView) start() {
	if v.stopTicker != nil {
		return
	}
	stop := make(chan struct{})
	v.stopTicker = stop
	ticks := v.g.ticks
	var t *time.Ticker
	if ticks == nil {
		t = time.NewTicker(time.Second)
		ticks = t.C
	}
	go func() {
		if t != nil {
			defer t.Stop()
		}
		for {
			select {
			case <-stop:
				return
			case <-ticks:
				fyne.Do(v.tick)
			}
		}
	}()
}

func (v *codesView) stop() {
	if v.stopTicker != nil {
		close(v.stopTicker)
		v.stopTicker = nil
	}
	v.revealed = map[string]bool{}
	v.hotpCodes = map[string]string{}
}

func (v *codesView) tick() {
	if v.g.svc.Locked() || v.stopTicker == nil {
		return
	}
	now := v.g.now()
	for _, r := range v.rows {
		if r.id >= 0 && r.id < len(v.shown) && r.acc.UUID == v.shown[r.id].UUID {
			r.tick(now)
		}
	}
	for _, f := range v.g.everySecond {
		f()
	}
	v.g.idleCheck(now)
}

func (v *codesView) hidden(uuid string) bool {
	return v.g.settings.HideCodes && !v.revealed[uuid]
}

func (v *codesView) setNotice(text string) { v.notice.SetText(text) }

func (v *codesView) focusSearch() {
	v.g.win.Canvas().Focus(v.search)
	v.search.TypedShortcut(&fyne.ShortcutSelectAll{}) // typing then replaces the query
}

func (v *codesView) onSort(label string) {
	for key, l := range sortLabels {
		if l == label && v.g.settings.Sort != key {
			v.g.settings.Sort = key
			v.g.saveSettings()
			v.reload()
		}
	}
}
