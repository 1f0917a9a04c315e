package ui

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/gatekey/gatekey/app"
)

// The routers screens each depend on the few use cases they call, so that
// a screen's test can hand it a small fake; *app.RouterService satisfies
// them all.
type (
	// routerLister is the routers list.
	routerLister interface {
		Summaries() ([]app.RouterSummary, error)
		ProbeSaved(ctx context.Context, name string) (*app.ProbeResult, error)
	}
	// routerAdder is the Add router screen.
	routerAdder interface {
		Probe(ctx context.Context, rawURL string, insecureHTTP bool) (*app.ProbeResult, error)
		Add(ctx context.Context, n app.NewRouter) error
		FirmwareAdvice(model, firmware string) app.Advice
	}
	// routerInspector is a router's details screen.
	routerInspector interface {
		Details(ctx context.Context, name string) (*app.RouterDetails, error)
		TestLogin(ctx context.Context, name string) error
		WebURL(name string) (string, error)
		Audit(ctx context.Context, name string) (*app.AuditReport, error)
		Reboot(ctx context.Context, name string, progress func(string)) (app.Management, error)
		Forget(name string) error
		SetWANURL(name, wanURL string, allowPlainHTTP bool) error
		ChangePassword(ctx context.Context, name, newPassword string, opts app.ChangeOptions) (*app.PasswordChange, error)
	}
	// hardener is the harden panel.
	hardener interface {
		PlanHarden(ctx context.Context, name string, c app.HardenChoices) (*app.HardenPlan, error)
		ApplyHarden(ctx context.Context, name string, plan *app.HardenPlan, opts app.ChangeOptions) (*app.HardenOutcome, error)
		Reboot(ctx context.Context, name string, progress func(string)) (app.Management, error)
	}
	// fleetRunner is the fleet screen.
	fleetRunner interface {
		FleetAudit(ctx context.Context, names []string, progress func(app.FleetProgress)) []app.FleetOutcome
		FleetHarden(ctx context.Context, names []string, c app.HardenChoices, opts app.ChangeOptions, progress func(app.FleetProgress)) []app.FleetOutcome
		FleetChangePassword(ctx context.Context, names []string, newPassword func(string) (string, error), opts app.ChangeOptions, progress func(app.FleetProgress)) []app.FleetOutcome
	}
	// enroller starts the TOTP enrolment wizard.
	enroller interface {
		NewEnrolment(name string) (*app.Enrolment, error)
	}
	// validationCodes lets the window answer a login page's validation
	// picture.
	validationCodes interface {
		AskValidationCodes(ask app.ValidationAsker)
	}
)

// RouterService is everything the Routers tab calls.
type RouterService interface {
	routerLister
	routerAdder
	routerInspector
	hardener
	fleetRunner
	enroller
	validationCodes
}

// BrowserEnv names the program that opens router pages instead of the
// desktop's default browser (it gets the URL as its only argument); the
// end-to-end tests point it at a script so that they control the browser.
const BrowserEnv = "GATEKEY_BROWSER"

// routerTimeout bounds one router action started from the window; a reboot
// takes longer (the profile bounds its wait).
const routerTimeout = 2 * time.Minute

// routersView is the Routers tab: the list, and in its place the details,
// the enrolment wizard or the fleet screen while one is open.
type routersView struct {
	g       *MainWindow
	svc     RouterService
	content *fyne.Container
	body    *fyne.Container

	enrol  *enrolView        // the enrolment wizard while it is open
	detail *routerDetailView // the details screen last opened
	fleet  *fleetView        // the fleet screen last opened

	summaries []app.RouterSummary
	rows      map[fyne.CanvasObject]*routerRow
	list      *widget.List
	notice    *widget.Label
	empty     fyne.CanvasObject
}

func newRoutersView(g *MainWindow, svc RouterService) *routersView {
	v := &routersView{g: g, svc: svc}
	v.rows = map[fyne.CanvasObject]*routerRow{}
	v.list = widget.NewList(func() int { return len(v.summaries) }, v.newRow, v.updateRow)
	v.list.OnSelected = func(id widget.ListItemID) {
		v.list.UnselectAll()
		if id >= 0 && id < len(v.summaries) {
			v.openDetails(v.summaries[id].Name)
		}
	}
	v.notice = wrappedLabel("")
	add := &widget.Button{Text: "Add router", Icon: theme.ContentAddIcon(), Importance: widget.HighImportance, OnTapped: v.onAdd}
	check := &widget.Button{Text: "Check all", Icon: theme.ViewRefreshIcon(), OnTapped: v.onCheckAll}
	fleet := &widget.Button{Text: "Fleet", Icon: theme.ListIcon(), OnTapped: v.onFleet}
	v.empty = container.NewCenter(container.NewVBox(
		widget.NewLabelWithStyle("No routers yet", fyne.TextAlignCenter, fyne.TextStyle{Bold: true}),
		widget.NewLabelWithStyle("Add a DrayTek Vigor router to check its settings,\nenrol TOTP for logins from the Internet and harden it.", fyne.TextAlignCenter, fyne.TextStyle{}),
	))
	top := container.NewHBox(add, check, fleet)
	v.body = container.NewStack()
	listScreen := container.NewBorder(top, v.notice, nil, nil, v.body)
	v.content = container.NewStack(listScreen)
	v.reload()
	return v
}

// show puts a screen over the list; back returns to the list.
func (v *routersView) show(obj fyne.CanvasObject) {
	v.content.Objects = append(v.content.Objects[:1], obj)
	v.content.Objects[0].Hide()
	v.content.Refresh()
}

func (v *routersView) back() {
	v.content.Objects = v.content.Objects[:1]
	v.content.Objects[0].Show()
	v.reload()
	v.content.Refresh()
}

// reload reads the records and what was learnt about them.
func (v *routersView) reload() {
	list, err := v.svc.Summaries()
	if err != nil {
		v.notice.SetText("The routers file could not be read: " + err.Error())
	}
	v.summaries = list
	if len(list) == 0 {
		v.body.Objects = []fyne.CanvasObject{v.empty}
	} else {
		v.body.Objects = []fyne.CanvasObject{v.list}
	}
	v.body.Refresh()
	v.list.Refresh()
}

// onCheckAll probes every router (no login, so no failed-login count).
func (v *routersView) onCheckAll() {
	names := make([]string, len(v.summaries))
	for i, s := range v.summaries {
		names[i] = s.Name
	}
	v.notice.SetText("Checking " + plural(len(names), "router") + "…")
	v.g.withTimeout(time.Minute, func(ctx context.Context) func() {
		for _, n := range names {
			_, _ = v.svc.ProbeSaved(ctx, n)
		}
		return func() {
			v.notice.SetText("")
			v.reload()
		}
	})
}

func (v *routersView) onAdd() { v.show(newAddRouterView(v).content) }

func (v *routersView) onFleet() {
	v.fleet = newFleetView(v)
	v.show(v.fleet.content)
}

func (v *routersView) openDetails(name string) {
	v.detail = newRouterDetailView(v, name)
	v.show(v.detail.content)
}

// openURL opens a router page in the browser: the program named by
// GATEKEY_BROWSER when set, else the desktop's default.
func (v *routersView) openURL(raw string) error {
	if b := os.Getenv(BrowserEnv); b != "" {
		cmd := exec.Command(b, raw)
		if err := cmd.Start(); err != nil {
			return err
		}
		go cmd.Wait()
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	return v.g.app.OpenURL(u)
}

// routerRow is one line of the list.
type routerRow struct {
	name, detail, state *widget.Label
	badge               *widget.Label
}

func (v *routersView) newRow() fyne.CanvasObject {
	r := &routerRow{
		name:   widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		detail: widget.NewLabel(""),
		state:  widget.NewLabel(""),
		badge:  widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}),
	}
	obj := container.NewBorder(nil, nil, nil, r.badge, container.NewVBox(r.name, container.NewHBox(r.detail, r.state)))
	v.rows[obj] = r
	return obj
}

func (v *routersView) updateRow(id widget.ListItemID, obj fyne.CanvasObject) {
	r := v.rows[obj]
	if r == nil || id < 0 || id >= len(v.summaries) {
		return
	}
	s := v.summaries[id]
	r.name.SetText(s.Name)
	r.detail.SetText(describeRouter(s))
	r.state.SetText(reachability(s) + " · " + totpState(s))
	r.badge.SetText(badgeText(s.Badge()))
	r.badge.Importance = badgeImportance(s.Badge())
	r.badge.Refresh()
}

func describeRouter(s app.RouterSummary) string {
	parts := []string{}
	if s.Model != "" {
		parts = append(parts, s.Model)
	}
	if s.Firmware != "" {
		parts = append(parts, "firmware "+s.Firmware)
	}
	if len(parts) == 0 {
		return hostOf(s.URL)
	}
	return strings.Join(parts, ", ")
}

func hostOf(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		return u.Host
	}
	return raw
}

func reachability(s app.RouterSummary) string {
	switch {
	case !s.Probed:
		return "not checked"
	case s.Reachable:
		return "reachable"
	}
	return "unreachable"
}

func totpState(s app.RouterSummary) string {
	if s.TOTPEnrolled() {
		return "TOTP enrolled"
	}
	return "no TOTP"
}

func badgeText(b app.Badge) string {
	switch b {
	case app.BadgeGood:
		return "Good"
	case app.BadgeWarnings:
		return "Warnings"
	case app.BadgeCritical:
		return "Critical"
	}
	return "Not audited"
}

func badgeImportance(b app.Badge) widget.Importance {
	switch b {
	case app.BadgeGood:
		return widget.SuccessImportance
	case app.BadgeWarnings:
		return widget.WarningImportance
	case app.BadgeCritical:
		return widget.DangerImportance
	}
	return widget.MediumImportance
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// routerTabs are the window's two tabs, Accounts and Routers.
type routerTabs struct {
	tabs    *container.AppTabs
	routers *routersView
}

// withRouters puts the accounts screen and the Routers tab side by side
// when the window manages routers; otherwise the accounts screen alone.
func (g *MainWindow) withRouters(accounts fyne.CanvasObject) fyne.CanvasObject {
	svc := g.routers
	if svc == nil {
		return accounts
	}
	if g.routerTabs == nil {
		rv := newRoutersView(g, svc)
		tabs := container.NewAppTabs(
			container.NewTabItemWithIcon("Accounts", theme.AccountIcon(), accounts),
			container.NewTabItemWithIcon("Routers", theme.ComputerIcon(), rv.content))
		probed := false
		tabs.OnSelected = func(item *container.TabItem) {
			g.touch()
			// A probe sends no credentials, so the first look at the tab
			// may check every router without risking a lock-out.
			if item.Content == rv.content && !probed {
				probed = true
				rv.onCheckAll()
			}
		}
		g.routerTabs = &routerTabs{tabs: tabs, routers: rv}
	}
	g.routerTabs.tabs.Items[0].Content = accounts
	g.routerTabs.routers.reload()
	return g.routerTabs.tabs
}
