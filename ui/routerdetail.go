package ui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/gatekey/gatekey/app"
)

// routerDetailView is one router: its status, its settings and audit, and
// the actions.
type routerDetailView struct {
	v       *routersView
	svc     routerInspector
	name    string
	content fyne.CanvasObject

	status  *widget.Label
	audit   *fyne.Container
	notice  *widget.Label
	wan     *widget.Entry
	actions []*widget.Button

	// passwordResult shows a password change's outcome; passwordDialog is
	// the last question, for tests.
	passwordResult *fyne.Container
	passwordDialog *dialog.ConfirmDialog
	// wanDialog asks before plain HTTP to an Internet address, for tests.
	wanDialog *dialog.ConfirmDialog
}

func newRouterDetailView(v *routersView, name string) *routerDetailView {
	d := &routerDetailView{v: v, svc: v.svc, name: name}
	d.status = wrappedLabel("Reading the router's status…")
	d.audit = container.NewVBox()
	d.passwordResult = container.NewVBox()
	d.notice = wrappedLabel("")
	d.wan = &widget.Entry{PlaceHolder: "https://203.0.113.7:8443"}
	for _, s := range v.summaries {
		if s.Name == name {
			d.wan.SetText(s.WANURL)
		}
	}
	d.wan.OnSubmitted = func(string) { d.onSaveWAN() }
	btn := func(text string, icon fyne.Resource, f func()) *widget.Button {
		b := &widget.Button{Text: text, Icon: icon, OnTapped: f}
		d.actions = append(d.actions, b)
		return b
	}
	enrol := btn("Enrol TOTP", theme.AccountIcon(), d.onEnrol)
	enrol.Importance = widget.HighImportance
	grid := container.NewGridWithColumns(4,
		btn("Log in (test)", theme.LoginIcon(), d.onTestLogin),
		btn("Open web page", theme.ComputerIcon(), d.onOpenWeb),
		enrol,
		btn("Harden", theme.WarningIcon(), d.onHarden),
		btn("Audit", theme.SearchIcon(), d.onAudit),
		btn("Reboot", theme.ViewRefreshIcon(), d.onReboot),
		btn("Change password", theme.AccountIcon(), d.onChangePassword),
		btn("Forget", theme.DeleteIcon(), d.onForget),
	)
	back := &widget.Button{Text: "Routers", Icon: theme.NavigateBackIcon(), OnTapped: v.back}
	title := widget.NewLabelWithStyle(name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	wanRow := container.NewBorder(nil, nil, widget.NewLabel("From outside"), &widget.Button{Text: "Save", OnTapped: d.onSaveWAN}, d.wan)
	body := container.NewVBox(grid, d.notice, d.passwordResult, widget.NewCard("", "Status", d.status), wanRow,
		widget.NewCard("", "Audit", d.audit))
	d.content = container.NewBorder(container.NewHBox(back, title), nil, nil, nil, container.NewVScroll(body))
	d.refresh()
	return d
}

// busy disables the actions while one runs: the router keeps one web
// session at a time.
func (d *routerDetailView) busy(on bool, text string) {
	for _, b := range d.actions {
		if on {
			b.Disable()
		} else {
			b.Enable()
		}
	}
	d.notice.SetText(text)
}

// run does f off the Fyne thread with the actions disabled, then done on it.
func (d *routerDetailView) run(text string, f func(ctx context.Context) func()) {
	d.busy(true, text)
	d.v.g.withTimeout(routerTimeout, func(ctx context.Context) func() {
		done := f(ctx)
		return func() {
			d.busy(false, "")
			done()
		}
	})
}

// refresh logs in once and reads status, settings and audit.
func (d *routerDetailView) refresh() {
	d.run("Reading the router's status…", func(ctx context.Context) func() {
		det, err := d.svc.Details(ctx, d.name)
		return func() {
			if err != nil {
				d.status.SetText("Gatekey could not read the router: " + err.Error())
				return
			}
			d.status.SetText(describeDetails(det))
			d.showAudit(det.Audit)
		}
	})
}

func describeDetails(det *app.RouterDetails) string {
	st := det.Status
	lines := []string{fmt.Sprintf("%s, firmware %s", orUnknown(st.Model), orUnknown(st.Firmware))}
	if st.BelowSafeMinimum {
		lines = append(lines, "Below DrayTek's known safe minimum firmware: upgrade it.")
	}
	for _, a := range st.Advisories {
		lines = append(lines, "Advisory "+app.DescribeAdvisory(a))
	}
	lines = append(lines, "Clock: "+det.Clock.String())
	m := det.Management
	lines = append(lines, "Management from the Internet: "+onOff(m.Internet))
	if m.Internet {
		lines = append(lines, "Services from the Internet: "+orNone(openServices(map[string]bool{
			"HTTPS": m.HTTPS, "HTTP": m.HTTP, "Telnet": m.Telnet, "SSH": m.SSH, "FTP": m.FTP, "TR-069": m.TR069, "SNMP": m.SNMP})))
		lines = append(lines, "Access list: "+orNone(strings.Join(m.AccessList, ", ")))
	}
	lines = append(lines, "Enforce HTTPS: "+onOff(m.EnforceHTTPS)+" · Answers pings: "+onOff(m.Ping)+" · Brute-force protection: "+onOff(m.BruteForce))
	if v6 := m.IPv6; v6 != nil {
		lines = append(lines, "IPv6 management from the Internet: "+onOff(v6.Internet))
		if v6.Internet {
			lines = append(lines, "Services from the Internet over IPv6: "+orNone(openServices(map[string]bool{
				"HTTPS": v6.HTTPS, "HTTP": v6.HTTP, "Telnet": v6.Telnet, "SSH": v6.SSH, "SNMP": v6.SNMP})),
				"IPv6 access list: "+orNone(strings.Join(v6.AccessList, ", ")))
		}
	}
	return strings.Join(lines, "\n")
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func (d *routerDetailView) showAudit(rep *app.AuditReport) {
	d.audit.Objects = auditRows(rep)
	d.audit.Refresh()
}

// auditRows shows each check with its severity and, when not ok, the fix.
func auditRows(rep *app.AuditReport) []fyne.CanvasObject {
	if rep == nil {
		return nil
	}
	b := app.BadgeOf(rep)
	head := &widget.Label{Text: badgeText(b), Importance: badgeImportance(b), TextStyle: fyne.TextStyle{Bold: true}}
	out := []fyne.CanvasObject{head}
	for _, c := range rep.Checks {
		sev := &widget.Label{Text: string(c.Severity), Importance: severityImportance(c.Severity)}
		text := c.Title
		if c.Severity != app.SeverityOK && c.Fix != "" {
			text += "\n" + c.Fix
		}
		out = append(out, container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(80, 30), sev), nil, wrappedLabel(text)))
	}
	return out
}

func severityImportance(s app.Severity) widget.Importance {
	switch s {
	case app.SeverityOK:
		return widget.SuccessImportance
	case app.SeverityWarning:
		return widget.WarningImportance
	case app.SeverityHigh, app.SeverityCritical:
		return widget.DangerImportance
	}
	return widget.MediumImportance
}

func (d *routerDetailView) onTestLogin() {
	d.run("Logging in…", func(ctx context.Context) func() {
		err := d.svc.TestLogin(ctx, d.name)
		return func() {
			if err != nil {
				d.notice.SetText("The login failed: " + err.Error() + " Gatekey does not try again by itself.")
				return
			}
			d.notice.SetText("The login worked.")
		}
	})
}

func (d *routerDetailView) onOpenWeb() {
	u, err := d.svc.WebURL(d.name)
	if err == nil {
		err = d.v.openURL(u)
	}
	if err != nil {
		d.notice.SetText("The browser could not be opened: " + err.Error())
	}
}

func (d *routerDetailView) onEnrol() {
	w, err := newEnrolView(d.v, d.name)
	if err != nil {
		d.notice.SetText(err.Error())
		return
	}
	d.v.show(w.content)
}

func (d *routerDetailView) onHarden() {
	h := newHardenPanel(d.v, d.name, func() { d.v.openDetails(d.name) }, nil)
	scroll := container.NewVScroll(h.content)
	h.outer = scroll.Refresh
	d.v.show(scroll)
}

func (d *routerDetailView) onAudit() {
	d.run("Auditing…", func(ctx context.Context) func() {
		rep, err := d.svc.Audit(ctx, d.name)
		return func() {
			if err != nil {
				d.notice.SetText("The audit failed: " + err.Error())
				return
			}
			d.showAudit(rep)
		}
	})
}

func (d *routerDetailView) onReboot() {
	dialog.ShowConfirm("Reboot "+d.name+"?", "Everyone using the router loses the connection for a minute or two.", func(ok bool) {
		if ok {
			d.reboot()
		}
	}, d.v.g.win)
}

func (d *routerDetailView) reboot() {
	d.busy(true, "Rebooting…")
	d.v.g.withTimeout(rebootTimeout, func(ctx context.Context) func() {
		_, err := d.svc.Reboot(ctx, d.name, func(stage string) { fyne.Do(func() { d.notice.SetText(stage + "…") }) })
		return func() {
			d.busy(false, "")
			if err != nil {
				d.notice.SetText("The reboot did not finish: " + err.Error())
				return
			}
			d.notice.SetText(d.name + " is back.")
		}
	})
}

func (d *routerDetailView) onForget() {
	dialog.ShowConfirm("Forget "+d.name+"?", "Gatekey removes the router and its password from the keychain. The router itself is not changed; its authenticator account stays in the vault.", func(ok bool) {
		if !ok {
			return
		}
		if err := d.svc.Forget(d.name); err != nil {
			d.notice.SetText(err.Error())
			return
		}
		d.v.back()
	}, d.v.g.win)
}

// onSaveWAN records the outside address. Plain HTTP to an address on the
// Internet would carry the router's password unencrypted, so the person is
// asked first, and the answer is kept with that address.
func (d *routerDetailView) onSaveWAN() {
	wan := strings.TrimSpace(d.wan.Text)
	if !app.PlainHTTPToInternet(wan) {
		d.saveWAN(wan, false)
		return
	}
	msg := wrappedLabel("Checking the login from outside through " + wan + " would send the router's password and code unencrypted across the Internet, " +
		"where anyone on the way can read them. Use an https:// address if the router has one.\n\nUse plain HTTP for this address anyway?")
	d.wanDialog = dialog.NewCustomConfirm("Plain HTTP across the Internet?", "Use plain HTTP", "Cancel", msg,
		func(ok bool) {
			if !ok {
				d.notice.SetText("Not saved.")
				return
			}
			d.saveWAN(wan, true)
		}, d.v.g.win)
	d.wanDialog.Resize(fyne.NewSize(480, d.wanDialog.MinSize().Height))
	d.wanDialog.Show()
}

func (d *routerDetailView) saveWAN(wan string, allowPlainHTTP bool) {
	if err := d.svc.SetWANURL(d.name, wan, allowPlainHTTP); err != nil {
		d.notice.SetText(capitalize(err.Error()) + ".")
		return
	}
	d.notice.SetText("Saved.")
}

// openServices names the services that are on, in a fixed order.
func openServices(on map[string]bool) string {
	var open []string
	for _, name := range []string{"HTTPS", "HTTP", "Telnet", "SSH", "FTP", "TR-069", "SNMP"} {
		if on[name] {
			open = append(open, name)
		}
	}
	return strings.Join(open, ", ")
}
