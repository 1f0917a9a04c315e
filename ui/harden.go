package ui

import (
	"context"
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/gatekey/gatekey/app"
)

// rebootTimeout bounds a reboot and the wait until the router is back.
const rebootTimeout = 10 * time.Minute

// settingNames say what each setting key means, for the preview.
// keepTR069Label is the choice, for one router or a fleet, that leaves
// TR-069 from the Internet on for a management server.
const keepTR069Label = "We use a TR-069 management server (ACS): keep TR-069 as it is"

var settingNames = map[string]string{
	"internet": "Allow management from the Internet", "https": "HTTPS from the Internet", "http": "HTTP from the Internet",
	"enforce_https": "Enforce HTTPS", "telnet": "Telnet from the Internet", "ssh": "SSH from the Internet",
	"ftp": "FTP from the Internet", "tr069": "TR-069 from the Internet", "snmp": "SNMP from the Internet",
	"ping": "Answer pings from the Internet", "access_list": "Access list", "brute_force": "Brute-force protection",
	"brute_force_services": "Brute-force protection covers", "brute_force_failures": "Failures before blocking",
	"brute_force_penalty": "Blocking time (s)", "tls1_2": "TLS 1.2", "tls1_1": "TLS 1.1", "tls1_0": "TLS 1.0", "ssl3": "SSL 3.0",
	"ipv6_internet": "Allow management from the Internet over IPv6", "ipv6_https": "HTTPS from the Internet over IPv6",
	"ipv6_http": "HTTP from the Internet over IPv6", "ipv6_telnet": "Telnet from the Internet over IPv6",
	"ipv6_ssh": "SSH from the Internet over IPv6", "ipv6_snmp": "SNMP from the Internet over IPv6",
	"ipv6_ping": "Answer pings from the Internet over IPv6", "ipv6_access_list": "IPv6 access list",
}

func describeChange(c app.Change) string {
	name := settingNames[c.Key]
	if name == "" {
		name = c.Key
	}
	return name + ": " + orNone(c.From) + " → " + orNone(c.To)
}

// hardenPanel previews, applies and reads back the hardening preset, then
// reboots only if the router asks and the person agrees. In the enrolment
// wizard it is step 5 (enrol is set); otherwise the details' Harden.
type hardenPanel struct {
	v       *routersView
	svc     hardener
	name    string
	enrol   *app.Enrolment
	done    func()
	content fyne.CanvasObject
	box     *fyne.Container
	// outer lays out the screen that holds the panel, when it grows.
	outer func()

	allow            *widget.Entry
	acs              *widget.Check
	preview          *fyne.Container
	status           *widget.Label
	progress         *widget.ProgressBarInfinite
	previewBtn       *widget.Button
	applyBtn, skip   *widget.Button
	plan             *app.HardenPlan // the previewed plan, which Apply writes
	backup           *fyne.Container // the backup saved before the change
	rebootRequired   bool
	confirmRebootNow func() // tests press the dialog's Reboot with it
}

func newHardenPanel(v *routersView, name string, done func(), enrol *app.Enrolment) *hardenPanel {
	h := &hardenPanel{v: v, svc: v.svc, name: name, enrol: enrol, done: done}
	h.allow = &widget.Entry{PlaceHolder: "e.g. 198.51.100.7, 203.0.113.0/24 (empty: leave as it is)"}
	h.acs = widget.NewCheck(keepTR069Label, nil)
	h.preview = container.NewVBox()
	h.status = wrappedLabel("")
	h.progress = widget.NewProgressBarInfinite()
	h.progress.Stop()
	h.progress.Hide()
	h.previewBtn = &widget.Button{Text: "Preview the changes", Icon: theme.VisibilityIcon(), Importance: widget.HighImportance, OnTapped: h.onPreview}
	h.applyBtn = &widget.Button{Text: "Apply", Icon: theme.ConfirmIcon(), Importance: widget.DangerImportance, OnTapped: h.onApply}
	h.applyBtn.Disable()
	h.skip = &widget.Button{Text: "Skip", OnTapped: h.onSkip}
	if enrol == nil {
		h.skip.SetText("Back")
	}
	h.backup = container.NewVBox()
	intro := wrappedLabel("Gatekey turns off HTTP, Telnet, FTP, SNMP and TR-069 from the Internet (over IPv4 and IPv6), enforces HTTPS with TLS 1.2 or newer, " +
		"stops answering pings from the Internet and turns on brute-force protection. With addresses below, and TOTP enrolled, " +
		"it allows management from the Internet over HTTPS from those addresses only. Nothing changes before you press Apply, " +
		"and Gatekey saves the router's configuration first.")
	form := widget.NewForm(&widget.FormItem{Text: "Allow from", Widget: h.allow, HintText: "Addresses or networks you will manage the router from"})
	h.box = container.NewVBox(
		widget.NewLabelWithStyle("Harden remote management of "+name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		intro, form, h.acs, container.NewHBox(h.previewBtn, h.applyBtn, h.skip), h.progress, h.status, h.backup, h.preview)
	h.content = h.box
	return h
}

// say shows a status line and lays the panel out again.
func (h *hardenPanel) say(text string) {
	h.status.SetText(text)
	h.relayout()
}

// relayout lays the panel and the screen around it out again.
func (h *hardenPanel) relayout() {
	h.box.Refresh()
	if h.outer != nil {
		h.outer()
	}
}

func (h *hardenPanel) readChoices() (app.HardenChoices, error) {
	c := app.HardenChoices{KeepTR069: h.acs.Checked}
	if t := strings.TrimSpace(h.allow.Text); t != "" {
		list, err := app.ParseAccessList(t)
		if err != nil {
			return c, err
		}
		c.Allow = list
	}
	return c, nil
}

func (h *hardenPanel) work(text string, f func(ctx context.Context) func()) {
	h.say(text)
	h.previewBtn.Disable()
	h.applyBtn.Disable()
	h.progress.Show()
	h.progress.Start()
	h.v.g.withTimeout(rebootTimeout, func(ctx context.Context) func() {
		done := f(ctx)
		return func() {
			h.progress.Stop()
			h.progress.Hide()
			h.previewBtn.Enable()
			done()
		}
	})
}

func (h *hardenPanel) onPreview() {
	c, err := h.readChoices()
	if err != nil {
		h.say(capitalize(err.Error()) + ".")
		return
	}
	h.work("Reading the current settings…", func(ctx context.Context) func() {
		var p *app.HardenPlan
		var err error
		if h.enrol != nil {
			p, err = h.enrol.PreviewHarden(ctx, c)
		} else {
			p, err = h.svc.PlanHarden(ctx, h.name, c)
		}
		return func() { h.showPreview(c, p, err) }
	})
}

func (h *hardenPanel) showPreview(c app.HardenChoices, p *app.HardenPlan, err error) {
	h.preview.Objects = nil
	if err != nil {
		h.say("The settings could not be read: " + err.Error())
		h.preview.Refresh()
		h.relayout()
		return
	}
	h.plan = p
	h.say("")
	if len(p.Changes) == 0 {
		h.preview.Add(wrappedLabel("Nothing to change: the router already follows the preset."))
	}
	for _, ch := range p.Changes {
		h.preview.Add(widget.NewLabel("• " + describeChange(ch)))
	}
	var warns []string
	if p.Blocked != nil {
		warns = append(warns, "Management from the Internet stays as it is: "+p.Blocked.Error()+".")
	}
	warns = append(warns, p.Warnings...)
	for _, w := range warns {
		h.preview.Add(&widget.Label{Text: "⚠ " + w, Wrapping: fyne.TextWrapWord, Importance: widget.WarningImportance})
	}
	if p.Target.Internet && !p.Current.Internet {
		h.preview.Add(&widget.Label{Text: "The router's web interface becomes reachable from the Internet, from the addresses above only, and only with the TOTP code.", Wrapping: fyne.TextWrapWord, Importance: widget.WarningImportance})
	}
	if len(p.Changes) > 0 {
		h.applyBtn.Enable()
	}
	h.preview.Refresh()
	h.relayout()
}

func (h *hardenPanel) onApply() {
	plan := h.plan
	if plan == nil {
		return
	}
	h.work("Saving the configuration, applying and reading back…", func(ctx context.Context) func() {
		var res *app.HardenOutcome
		var err error
		if h.enrol != nil {
			res, err = h.enrol.ApplyHarden(ctx, plan)
		} else {
			res, err = h.svc.ApplyHarden(ctx, h.name, plan, app.ChangeOptions{})
		}
		return func() { h.showApplied(res, err) }
	})
}

func (h *hardenPanel) showApplied(out *app.HardenOutcome, err error) {
	h.preview.Objects = nil
	var res *app.HardenResult
	if out != nil {
		res = out.Result
		h.showBackup(out.Backup)
	}
	if res != nil {
		for _, ch := range res.Changes {
			h.preview.Add(&widget.Label{Text: "✓ " + describeChange(ch), Importance: widget.SuccessImportance})
		}
		for _, ch := range res.NotTaken {
			h.preview.Add(&widget.Label{Text: "✗ not taken: " + describeChange(ch), Importance: widget.DangerImportance})
		}
	}
	h.preview.Refresh()
	h.relayout()
	switch {
	case errors.Is(err, app.ErrPlanStale):
		h.plan = nil
		h.applyBtn.Disable()
		h.say("The router's settings changed since the preview, so nothing was written: preview again.")
		return
	case err != nil && app.Classify(err) != app.ProblemTOTPNotLinked:
		h.say("Harden stopped: " + err.Error())
		return
	}
	h.say("Applied and read back.")
	h.skip.SetText("Continue")
	if h.enrol == nil {
		h.skip.SetText("Done")
	}
	if res != nil && res.RebootRequired {
		h.rebootRequired = true
		h.askReboot()
	}
}

func (h *hardenPanel) askReboot() {
	h.confirmRebootNow = h.reboot
	dialog.ShowConfirm("Reboot "+h.name+"?", "The router asks for a restart for the changes to take effect. Everyone using it loses the connection for a minute or two.", func(ok bool) {
		if ok {
			h.reboot()
		}
	}, h.v.g.win)
}

func (h *hardenPanel) reboot() {
	h.work("Rebooting…", func(ctx context.Context) func() {
		progress := func(s string) { fyne.Do(func() { h.say(s + "…") }) }
		var err error
		if h.enrol != nil {
			err = h.enrol.Reboot(ctx, progress)
		} else {
			_, err = h.svc.Reboot(ctx, h.name, progress)
		}
		return func() {
			if err != nil {
				h.say("The reboot did not finish: " + err.Error())
				return
			}
			h.rebootRequired = false
			h.say(h.name + " is back; the settings were read back.")
			if h.enrol != nil {
				h.done()
			}
		}
	})
}

func (h *hardenPanel) onSkip() {
	if h.enrol != nil {
		h.enrol.SkipHarden()
	}
	h.done()
}

// showBackup says where the configuration was saved before the change,
// with a button that opens its folder.
func (h *hardenPanel) showBackup(path string) {
	h.backup.Objects = nil
	if path != "" {
		open := &widget.Button{Text: "Show in folder", Icon: theme.FolderOpenIcon(), OnTapped: func() {
			if err := h.v.g.showInFolder(path); err != nil {
				h.say("The folder could not be opened: " + err.Error())
			}
		}}
		h.backup.Add(container.NewBorder(nil, nil, nil, open, wrappedLabel("Configuration saved first: "+path)))
	}
	h.backup.Refresh()
}
