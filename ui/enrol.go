package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/gatekey/gatekey/app"
)

// enrolView is the TOTP enrolment wizard: one page per step of
// app.Enrolment, which decides what may happen next.
type enrolView struct {
	v       *routersView
	e       *app.Enrolment
	content *fyne.Container

	title  *widget.Label
	page   *fyne.Container
	status *widget.Label

	// The code page.
	code      *canvas.Text
	countdown *widget.ProgressBar
	paste     *widget.Entry
	harden    *hardenPanel
}

func newEnrolView(v *routersView, name string) (*enrolView, error) {
	e, err := v.svc.NewEnrolment(name)
	if err != nil {
		return nil, err
	}
	w := &enrolView{v: v, e: e}
	v.enrol = w
	w.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	w.page = container.NewVBox()
	w.status = wrappedLabel("")
	cancel := &widget.Button{Text: "Close", Icon: theme.CancelIcon(), OnTapped: w.onClose}
	w.content = container.NewBorder(container.NewBorder(nil, nil, nil, cancel, w.title), w.status, nil, nil,
		container.NewVScroll(w.page))
	w.showStep()
	return w, nil
}

// say shows a status line under the step and lays the screen out again
// for its new height.
func (w *enrolView) say(text string) {
	w.status.SetText(text)
	w.content.Refresh()
}

func (w *enrolView) onClose() {
	w.stopTicker()
	w.v.enrol = nil
	w.v.openDetails(w.e.Router())
}

// showStep draws the page of the current step.
func (w *enrolView) showStep() {
	w.stopTicker()
	step := w.e.Step()
	w.title.SetText(fmt.Sprintf("Enrol TOTP on %s — step %d of 6: %s", w.e.Router(), min(int(step)+1, 6), step))
	w.say("")
	var objs []fyne.CanvasObject
	switch step {
	case app.EnrolCheck:
		objs = w.checkPage()
	case app.EnrolOpenPage:
		objs = w.openPage()
	case app.EnrolCapture:
		objs = w.capturePage()
	case app.EnrolCode:
		objs = w.codePage()
	case app.EnrolHarden:
		w.harden = newHardenPanel(w.v, w.e.Router(), w.showStep, w.e)
		w.harden.outer = w.content.Refresh
		objs = []fyne.CanvasObject{w.harden.content}
	case app.EnrolVerify:
		objs = w.verifyPage()
	default:
		w.title.SetText("TOTP is enrolled on " + w.e.Router())
		objs = []fyne.CanvasObject{wrappedLabel("Logins from the Internet now need the code from the account \"DrayTek: " + w.e.Router() + "\" in your vault."),
			&widget.Button{Text: "Finish", Importance: widget.HighImportance, OnTapped: w.onClose}}
	}
	w.page.Objects = objs
	w.page.Refresh()
}

// async runs f off the Fyne thread, then its result on it.
func (w *enrolView) async(text string, f func(ctx context.Context) func()) {
	w.say(text)
	w.v.g.withTimeout(routerTimeout, f)
}

func (w *enrolView) checkPage() []fyne.CanvasObject {
	intro := wrappedLabel("Gatekey first checks that this router supports TOTP for logins from the Internet and that its clock is right: codes change every 30 seconds, so a router whose clock is off refuses them.")
	return []fyne.CanvasObject{intro, &widget.Button{Text: "Check the router", Icon: theme.SearchIcon(), Importance: widget.HighImportance, OnTapped: w.onCheck}}
}

func (w *enrolView) onCheck() {
	w.async("Checking…", func(ctx context.Context) func() {
		res, err := w.e.Check(ctx)
		return func() {
			if err != nil {
				w.say("The check could not be made: " + err.Error())
				return
			}
			if !res.OK() {
				w.say(strings.Join(res.Problems, "\n\n"))
				return
			}
			w.showStep()
			w.say(fmt.Sprintf("%s with firmware %s supports TOTP; its clock is %s from this computer's.", res.Model, res.Firmware, res.Clock.Offset))
		}
	})
}

func (w *enrolView) openPage() []fyne.CanvasObject {
	objs := []fyne.CanvasObject{
		wrappedLabel(app.PageInstructions),
		&widget.Button{Text: "Open the router's page", Icon: theme.ComputerIcon(), Importance: widget.HighImportance, OnTapped: w.onOpenPage},
		&widget.Button{Text: "The page shows the QR code: next", Icon: theme.NavigateNextIcon(), OnTapped: w.onPageOpened},
	}
	if res := w.e.CheckResult(); res != nil && res.Automatic {
		objs = append(objs, widget.NewSeparator(),
			wrappedLabel("Automatic: this router's page has the field names Gatekey knows, so Gatekey can do steps 2 to 4 itself over HTTPS (read the secret, save it, verify a code and enable TOTP)."),
			&widget.Button{Text: "Enrol automatically", Icon: theme.MediaFastForwardIcon(), OnTapped: w.onAutomatic})
	}
	return objs
}

func (w *enrolView) onOpenPage() {
	u, err := w.e.AdminPageURL()
	if err == nil {
		err = w.v.openURL(u)
	}
	if err != nil {
		w.say("The browser could not be opened: " + err.Error() + ". Open " + u + " yourself.")
		return
	}
	w.say("Opened " + u + " in the browser.")
}

func (w *enrolView) onPageOpened() {
	if err := w.e.PageOpened(); err != nil {
		w.say(err.Error())
		return
	}
	w.showStep()
}

func (w *enrolView) onAutomatic() {
	w.async("Enrolling over HTTPS…", func(ctx context.Context) func() {
		_, err := w.e.Automatic(ctx)
		return func() {
			if err != nil {
				w.say("The automatic enrolment failed: " + err.Error())
				return
			}
			w.showStep()
			w.say("TOTP is enabled on the router and its account is saved in your vault.")
		}
	})
}

func (w *enrolView) capturePage() []fyne.CanvasObject {
	w.paste = &widget.Entry{PlaceHolder: "the secret as the page shows it, or an otpauth:// link"}
	return []fyne.CanvasObject{
		wrappedLabel("Gatekey now reads the secret. With the router's page showing its QR code, scan the screen; or copy the secret from the page and paste it; or open a screenshot of the page."),
		&widget.Button{Text: "Scan the screen", Icon: theme.SearchIcon(), Importance: widget.HighImportance, OnTapped: w.onScan},
		container.NewBorder(nil, nil, nil, &widget.Button{Text: "Use", OnTapped: w.onPaste}, w.paste),
		&widget.Button{Text: "Open an image…", Icon: theme.FileImageIcon(), OnTapped: w.onImage},
	}
}

func (w *enrolView) onScan() {
	w.async("Reading the screen…", func(ctx context.Context) func() {
		scan, err := w.v.g.svc.ScanScreen(ctx)
		return func() { w.captured(scan, err) }
	})
}

func (w *enrolView) onPaste() {
	_, err := w.e.CaptureText(w.paste.Text)
	w.paste.SetText("")
	w.afterCapture(err)
}

func (w *enrolView) onImage() {
	dialog.ShowFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		w.async("Reading the image…", func(context.Context) func() {
			scan, err := w.v.g.svc.ScanImageFile(path)
			return func() { w.captured(scan, err) }
		})
	}, w.v.g.win)
}

func (w *enrolView) captured(scan app.Scan, err error) {
	if err == nil {
		_, err = w.e.Capture(scan)
	}
	w.afterCapture(err)
}

func (w *enrolView) afterCapture(err error) {
	if err != nil {
		w.say("No secret captured: " + err.Error())
		return
	}
	w.showStep()
	w.say("Saved to your vault as \"DrayTek: " + w.e.Router() + "\" and linked to the router.")
}

// codePage shows the code large with its countdown and a copy button.
func (w *enrolView) codePage() []fyne.CanvasObject {
	w.code = canvas.NewText("", theme.Color(theme.ColorNameForeground))
	w.code.TextSize = 44
	w.code.TextStyle = fyne.TextStyle{Monospace: true}
	w.code.Alignment = fyne.TextAlignCenter
	w.countdown = &widget.ProgressBar{Min: 0, Max: 30, TextFormatter: func() string { return "" }}
	w.tick()
	w.startTicker()
	copyBtn := &widget.Button{Text: "Copy", Icon: theme.ContentCopyIcon(), OnTapped: w.onCopy}
	return []fyne.CanvasObject{
		wrappedLabel("On the router's page, type this code in \"Validation code\" and press Verify. Then tick \"Enable Advanced Authentication method when login from WAN\" if it is not, and press OK."),
		w.code, w.countdown, container.NewCenter(copyBtn),
		&widget.Button{Text: "I pressed Verify and OK: next", Icon: theme.NavigateNextIcon(), Importance: widget.HighImportance, OnTapped: w.onConfirmed},
		&widget.Button{Text: "Capture the secret again", OnTapped: func() { w.e.BackToCapture(); w.showStep() }},
	}
}

// tick redraws the code and the countdown from the window's clock.
func (w *enrolView) tick() {
	code, left, err := w.e.Code(w.v.g.now())
	if err != nil {
		w.code.Text = "------"
	} else {
		w.code.Text = app.GroupCode(code)
	}
	if left <= 5*time.Second {
		w.code.Color = theme.Color(theme.ColorNameWarning)
	} else {
		w.code.Color = theme.Color(theme.ColorNameForeground)
	}
	w.code.Refresh()
	w.countdown.SetValue(left.Seconds())
}

// startTicker has the window's one ticker redraw the code page each second
// while it shows; the ticker stops while the vault is locked.
func (w *enrolView) startTicker() {
	if w.v.g.everySecond == nil {
		w.v.g.everySecond = map[any]func(){}
	}
	w.v.g.everySecond[w] = w.tick
}

func (w *enrolView) stopTicker() { delete(w.v.g.everySecond, w) }

func (w *enrolView) onCopy() {
	code, _, err := w.e.Code(w.v.g.now())
	if err != nil {
		return
	}
	keep := w.v.g.settings.ClipboardClear()
	w.v.g.clip.copy(code, "the code of DrayTek: "+w.e.Router(), keep)
	if keep > 0 {
		w.say(fmt.Sprintf("Copied. The clipboard is cleared in %d s.", int(keep.Seconds())))
	} else {
		w.say("Copied.")
	}
}

func (w *enrolView) onConfirmed() {
	w.async("Checking the router's page…", func(ctx context.Context) func() {
		err := w.e.Confirmed(ctx)
		return func() {
			if err != nil {
				w.say(err.Error())
				return
			}
			w.showStep()
		}
	})
}

func (w *enrolView) verifyPage() []fyne.CanvasObject {
	return []fyne.CanvasObject{
		wrappedLabel("Last, Gatekey logs in the way you will from outside: through the router's Internet address, with the username, the password and the code."),
		&widget.Button{Text: "Log in from outside", Icon: theme.LoginIcon(), Importance: widget.HighImportance, OnTapped: w.onVerify},
	}
}

func (w *enrolView) onVerify() {
	w.async("Logging in through the Internet address…", func(ctx context.Context) func() {
		res, err := w.e.Verify(ctx)
		return func() {
			switch {
			case err != nil:
				w.say(err.Error())
			case res.Err != nil:
				w.say("The login through " + res.URL + " failed: " + res.Err.Error())
			case !res.Tested:
				w.showStep()
				w.say(res.Advice)
			case !res.UsedCode:
				w.say(res.Advice)
			default:
				w.showStep()
				w.say("Logged in through " + res.URL + " with the code: TOTP works for logins from the Internet.")
			}
		}
	})
}
