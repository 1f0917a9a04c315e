package ui

import (
	"bytes"
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/gatekey/gatekey/app"
)

// fleetView audits or hardens several routers at once, with a progress bar
// and a result per router, a Cancel, and the audit export.
type fleetView struct {
	v       *routersView
	svc     fleetRunner
	content fyne.CanvasObject

	rows      map[string]*fleetRow
	order     []string
	allow     *widget.Entry
	acs       *widget.Check
	status    *widget.Label
	auditBtn  *widget.Button
	hardBtn   *widget.Button
	passwdBtn *widget.Button
	cancel    *widget.Button
	export    *widget.Button
	stop      context.CancelFunc
	outcomes  []app.FleetOutcome
	// exported is the last export written, for tests.
	exported []byte
}

type fleetRow struct {
	pick   *widget.Check
	bar    *widget.ProgressBar
	result *widget.Label
	// secret holds the router's new password after a change, hidden
	// with Show and Copy, until the screen closes or the vault locks.
	secret *fyne.Container
}

func newFleetView(v *routersView) *fleetView {
	f := &fleetView{v: v, svc: v.svc, rows: map[string]*fleetRow{}}
	grid := container.NewVBox()
	for _, s := range v.summaries {
		r := &fleetRow{pick: widget.NewCheck(s.Name, nil), bar: &widget.ProgressBar{}, result: widget.NewLabel(""), secret: container.NewVBox()}
		r.pick.SetChecked(true)
		r.result.Truncation = fyne.TextTruncateEllipsis
		f.rows[s.Name] = r
		f.order = append(f.order, s.Name)
		grid.Add(container.NewGridWithColumns(3, r.pick, r.bar, r.result))
		grid.Add(r.secret)
	}
	f.allow = &widget.Entry{PlaceHolder: "harden: allow management from (empty: leave as it is)"}
	f.acs = widget.NewCheck(keepTR069Label, nil)
	f.status = wrappedLabel("")
	f.auditBtn = &widget.Button{Text: "Audit", Icon: theme.SearchIcon(), Importance: widget.HighImportance, OnTapped: f.onAudit}
	f.hardBtn = &widget.Button{Text: "Harden…", Icon: theme.WarningIcon(), OnTapped: f.onHarden}
	f.passwdBtn = &widget.Button{Text: "Change passwords…", Icon: theme.AccountIcon(), OnTapped: f.onChangePasswords}
	f.cancel = &widget.Button{Text: "Cancel", Icon: theme.CancelIcon(), OnTapped: f.onCancel}
	f.cancel.Disable()
	f.export = &widget.Button{Text: "Export report…", Icon: theme.DocumentSaveIcon(), OnTapped: f.onExport}
	f.export.Disable()
	back := &widget.Button{Text: "Routers", Icon: theme.NavigateBackIcon(), OnTapped: func() { f.onCancel(); v.back() }}
	title := widget.NewLabelWithStyle("Fleet: audit, harden or change the passwords of several routers", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	buttons := container.NewHBox(f.auditBtn, f.hardBtn, f.passwdBtn, f.cancel, f.export)
	f.content = container.NewBorder(container.NewVBox(container.NewHBox(back, title), buttons, f.allow, f.acs), f.status, nil, nil, container.NewVScroll(grid))
	return f
}

func (f *fleetView) picked() []string {
	var names []string
	for _, n := range f.order {
		if f.rows[n].pick.Checked {
			names = append(names, n)
		}
	}
	return names
}

// start runs op on the picked routers with progress per router.
func (f *fleetView) start(what string, op func(ctx context.Context, names []string, progress func(app.FleetProgress)) []app.FleetOutcome) {
	names := f.picked()
	if len(names) == 0 {
		f.status.SetText("Tick at least one router.")
		return
	}
	for _, n := range f.order {
		f.rows[n].bar.SetValue(0)
		f.rows[n].result.SetText("")
	}
	ctx, cancel := context.WithTimeout(context.Background(), rebootTimeout)
	f.stop = cancel
	f.auditBtn.Disable()
	f.hardBtn.Disable()
	f.passwdBtn.Disable()
	f.export.Disable()
	f.cancel.Enable()
	f.status.SetText(what + " " + plural(len(names), "router") + "…")
	f.v.g.inBackground(func() func() {
		defer cancel()
		outcomes := op(ctx, names, func(p app.FleetProgress) {
			fyne.Do(func() {
				r := f.rows[p.Name]
				r.bar.SetValue(p.Fraction)
				r.result.SetText(p.Stage)
			})
		})
		return func() { f.finish(outcomes, ctx.Err() != nil) }
	})
}

func (f *fleetView) finish(outcomes []app.FleetOutcome, cancelled bool) {
	f.outcomes = outcomes
	f.cancel.Disable()
	f.auditBtn.Enable()
	f.hardBtn.Enable()
	f.passwdBtn.Enable()
	failed := 0
	for _, o := range outcomes {
		r := f.rows[o.Name]
		r.bar.SetValue(1)
		r.result.SetText(outcomeText(o))
		r.result.Importance = outcomeImportance(o)
		r.result.Refresh()
		r.secret.Objects = nil
		if o.Err == nil && o.Password != nil {
			r.secret.Add(newSecretRow(f.v.g, o.Name+"'s new password", o.Password.Password))
		}
		r.secret.Refresh()
		if o.Err != nil {
			failed++
		}
	}
	text := "Done"
	if cancelled {
		text = "Cancelled"
	}
	if failed > 0 {
		text += ": " + plural(failed, "router") + " failed"
	}
	f.status.SetText(text + ".")
	for _, o := range outcomes {
		if o.Audit != nil {
			f.export.Enable()
		}
	}
}

func outcomeText(o app.FleetOutcome) string {
	switch {
	case o.Err != nil:
		return o.Err.Error()
	case o.Audit != nil:
		return badgeText(app.BadgeOf(o.Audit))
	case o.Harden != nil && o.Harden.Result != nil:
		return appliedText(o.Harden.Result)
	case o.Password != nil && o.Password.Proven:
		return "new password works"
	}
	return ""
}

func appliedText(res *app.HardenResult) string {
	if len(res.NotTaken) > 0 {
		return plural(len(res.NotTaken), "setting") + " not taken"
	}
	text := plural(len(res.Changes), "change") + " applied"
	if res.RebootRequired {
		text += "; asks for a reboot"
	}
	return text
}

func outcomeImportance(o app.FleetOutcome) widget.Importance {
	switch {
	case o.Err != nil:
		return widget.DangerImportance
	case o.Audit != nil:
		return badgeImportance(app.BadgeOf(o.Audit))
	}
	return widget.SuccessImportance
}

func (f *fleetView) onAudit() { f.start("Auditing", f.svc.FleetAudit) }

func (f *fleetView) onHarden() {
	c := app.HardenChoices{KeepTR069: f.acs.Checked}
	if t := strings.TrimSpace(f.allow.Text); t != "" {
		list, err := app.ParseAccessList(t)
		if err != nil {
			f.status.SetText(capitalize(err.Error()) + ".")
			return
		}
		c.Allow = list
	}
	dialog.ShowConfirm("Harden "+plural(len(f.picked()), "router")+"?",
		"Gatekey saves each ticked router's configuration, applies the hardening preset and reads it back. It never switches management from the Internet off and never reboots; open a router to preview its changes first.",
		func(ok bool) {
			if ok {
				f.runHarden(c)
			}
		}, f.v.g.win)
}

func (f *fleetView) runHarden(c app.HardenChoices) {
	f.start("Hardening", func(ctx context.Context, names []string, p func(app.FleetProgress)) []app.FleetOutcome {
		return f.svc.FleetHarden(ctx, names, c, app.ChangeOptions{}, p)
	})
}

func (f *fleetView) onCancel() {
	if f.stop != nil {
		f.stop()
	}
}

// onExport saves the last audit as HTML or CSV, by the name's extension.
func (f *fleetView) onExport() {
	now := time.Now()
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		defer w.Close()
		if err := f.writeExport(w, w.URI().Extension(), now); err != nil {
			f.status.SetText("The report could not be written: " + err.Error())
			return
		}
		f.status.SetText("Saved " + w.URI().Name() + ".")
	}, f.v.g.win)
	d.SetFileName(app.ReportName(now, "html"))
	d.SetFilter(storage.NewExtensionFileFilter([]string{".html", ".csv"}))
	d.Show()
}

func (f *fleetView) writeExport(w interface{ Write([]byte) (int, error) }, ext string, now time.Time) error {
	ex := app.NewAuditExport(f.outcomes, now)
	var b bytes.Buffer
	var err error
	if strings.EqualFold(ext, ".csv") {
		err = ex.WriteCSV(&b)
	} else {
		err = ex.WriteHTML(&b)
	}
	if err != nil {
		return err
	}
	f.exported = b.Bytes()
	_, err = w.Write(b.Bytes())
	return err
}

// onChangePasswords gives each ticked router its own generated password,
// with the same safeguards as one router's change.
func (f *fleetView) onChangePasswords() {
	n := len(f.picked())
	dialog.ShowConfirm("Change the password of "+plural(n, "router")+"?",
		"Each router gets its own generated password. "+passwordIntro+" A router that fails keeps its old password.",
		func(ok bool) {
			if ok {
				f.runChangePasswords()
			}
		}, f.v.g.win)
}

func (f *fleetView) runChangePasswords() {
	generate := func(string) (string, error) { return app.GeneratePassword() }
	f.start("Changing the passwords of", func(ctx context.Context, names []string, p func(app.FleetProgress)) []app.FleetOutcome {
		return f.svc.FleetChangePassword(ctx, names, generate, app.ChangeOptions{}, p)
	})
}

// forgetPasswords drops the new passwords shown, when the vault locks.
func (f *fleetView) forgetPasswords() {
	for _, r := range f.rows {
		r.secret.Objects = nil
		r.secret.Refresh()
	}
}
