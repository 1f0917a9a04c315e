package ui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/gatekey/gatekey/app"
)

// fingerprintHelp explains the certificate check in plain words.
const fingerprintHelp = "Routers use a certificate they made themselves, so no authority vouches for it. " +
	"Gatekey remembers this fingerprint and from now on talks to this router only if it presents the same key; " +
	"if it ever changes, Gatekey stops and asks. To be sure nobody is in between now, compare it with the one " +
	"the router shows (System Maintenance > Certificate Management, or its web page's certificate details)."

// addRouterView is the Add router screen: the form, then what the probe
// found, then the person accepts the certificate and Gatekey logs in once.
type addRouterView struct {
	v       *routersView
	svc     routerAdder
	content fyne.CanvasObject

	name, url, wan, user *widget.Entry
	password             *shortcutEntry
	checkBtn, addBtn     *widget.Button
	result               *fyne.Container
	status               *widget.Label

	probe *app.ProbeResult
}

func newAddRouterView(v *routersView) *addRouterView {
	a := &addRouterView{v: v, svc: v.svc}
	a.name = &widget.Entry{PlaceHolder: "Office router"}
	a.url = &widget.Entry{PlaceHolder: "https://192.168.1.1"}
	a.url.SetText("https://")
	a.wan = &widget.Entry{PlaceHolder: "optional: https://203.0.113.7:8443"}
	a.user = &widget.Entry{}
	a.user.SetText("admin")
	a.password = newPasswordEntry(v.g, "the router's administrator password")
	a.checkBtn = &widget.Button{Text: "Check the router", Icon: theme.SearchIcon(), Importance: widget.HighImportance, OnTapped: a.onCheck}
	a.addBtn = &widget.Button{Text: "Trust this certificate and add", Icon: theme.ConfirmIcon(), Importance: widget.HighImportance, OnTapped: a.onAdd}
	a.addBtn.Hide()
	a.status = wrappedLabel("")
	a.result = container.NewVBox()
	form := widget.NewForm(
		widget.NewFormItem("Name", a.name),
		&widget.FormItem{Text: "Address", Widget: a.url, HintText: "The address you use on your network"},
		&widget.FormItem{Text: "From outside", Widget: a.wan, HintText: "Where you reach it from the Internet, to test TOTP logins"},
		widget.NewFormItem("Username", a.user),
		&widget.FormItem{Text: "Password", Widget: a.password, HintText: "Kept in your system keychain"},
	)
	back := &widget.Button{Text: "Back", Icon: theme.NavigateBackIcon(), OnTapped: v.back}
	title := widget.NewLabelWithStyle("Add a router", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	body := container.NewVBox(form, container.NewHBox(a.checkBtn), a.result, a.status, container.NewHBox(a.addBtn))
	a.content = container.NewBorder(container.NewHBox(back, title), nil, nil, nil, container.NewVScroll(body))
	return a
}

func (a *addRouterView) entered() app.NewRouter {
	return app.NewRouter{Name: strings.TrimSpace(a.name.Text), URL: strings.TrimSpace(a.url.Text),
		WANURL: strings.TrimSpace(a.wan.Text), User: strings.TrimSpace(a.user.Text), Password: a.password.Text}
}

// onCheck probes the address: nothing secret is sent.
func (a *addRouterView) onCheck() {
	n := a.entered()
	if n.Password == "" {
		n.Password = "-" // the form is checked again, with the password, when adding
	}
	if err := n.Check(); err != nil {
		a.status.SetText(capitalize(err.Error()) + ".")
		return
	}
	a.status.SetText("Checking " + n.URL + "…")
	a.checkBtn.Disable()
	a.v.g.withTimeout(routerTimeout, func(ctx context.Context) func() {
		p, err := a.svc.Probe(ctx, n.URL, false)
		return func() { a.showProbe(p, err) }
	})
}

func (a *addRouterView) showProbe(p *app.ProbeResult, err error) {
	a.checkBtn.Enable()
	a.result.Objects = nil
	a.addBtn.Hide()
	a.probe = nil
	if err != nil {
		a.status.SetText("Gatekey could not identify the router: " + err.Error())
		a.result.Refresh()
		return
	}
	a.status.SetText("")
	adv := a.svc.FirmwareAdvice(p.Model, p.Firmware)
	lines := []string{fmt.Sprintf("%s, firmware %s (%s)", orUnknown(p.Model), orUnknown(p.Firmware), p.Family)}
	switch {
	case !p.Supported:
		lines = append(lines, "Gatekey cannot manage this router: "+p.Reason)
	case adv.TOTPDocumented:
		lines = append(lines, "TOTP for logins from the Internet: supported by this model and firmware.")
	default:
		lines = append(lines, "TOTP for logins from the Internet: not documented for this model and firmware; the enrolment checks the router's own page.")
	}
	if adv.BelowSafeMinimum {
		lines = append(lines, "The firmware is older than DrayTek's safe minimum "+adv.SafeMinimum+": upgrade it.")
	}
	found := widget.NewLabel(strings.Join(lines, "\n"))
	found.Wrapping = fyne.TextWrapWord
	a.result.Add(widget.NewCard("", "What Gatekey found", found))
	if p.Fingerprint != nil {
		fp := widget.NewLabelWithStyle(groupHex(*p.Fingerprint), fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
		fp.Wrapping = fyne.TextWrapWord
		a.result.Add(widget.NewCard("", "Certificate fingerprint (SHA-256 of its key)", container.NewVBox(fp, wrappedLabel(fingerprintHelp))))
	} else {
		a.result.Add(wrappedLabel("Plain HTTP: there is no certificate, and the password crosses your network unencrypted. Use https:// if the router offers it."))
		a.addBtn.SetText("Add")
	}
	if p.Supported {
		a.probe = p
		a.addBtn.Show()
	}
	a.result.Refresh()
}

// onAdd keeps the router after one successful login.
func (a *addRouterView) onAdd() {
	if a.probe == nil {
		return
	}
	n := a.entered()
	if a.probe.Fingerprint != nil {
		n.Fingerprint = *a.probe.Fingerprint
	}
	a.addBtn.Disable()
	a.status.SetText("Logging in to check the username and password…")
	a.v.g.withTimeout(routerTimeout, func(ctx context.Context) func() {
		err := a.svc.Add(ctx, n) // its login also notes model and firmware for the list
		return func() {
			a.addBtn.Enable()
			if err != nil {
				a.status.SetText("Not added: " + err.Error())
				return
			}
			a.password.SetText("")
			a.v.back()
			a.v.notice.SetText("Added " + n.Name + ".")
		}
	})
}

// groupHex writes a fingerprint in groups of four, 32 digits a line, so
// that a person can compare it piece by piece.
func groupHex(fp string) string {
	var b strings.Builder
	for i := 0; i < len(fp); i += 4 {
		if i > 0 {
			if i%32 == 0 {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
		}
		b.WriteString(fp[i:min(i+4, len(fp))])
	}
	return b.String()
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
