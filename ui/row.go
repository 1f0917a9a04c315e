package ui

import (
	"fmt"
	"hash/fnv"
	"image/color"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/gatekey/gatekey/app"
	"github.com/gatekey/gatekey/otp"
)

// warnBelow is when the countdown turns warning-coloured.
const warnBelow = 5 * time.Second

// hiddenCode stands for a code while "hide codes" is on.
const hiddenCode = "••• •••"

// avatarColors are the initials' backgrounds, chosen by a hash of the
// issuer so that an account keeps its colour.
var avatarColors = []color.NRGBA{
	{0x1e, 0x88, 0xe5, 0xff}, {0x43, 0xa0, 0x47, 0xff}, {0xe5, 0x39, 0x35, 0xff},
	{0x8e, 0x24, 0xaa, 0xff}, {0xfb, 0x8c, 0x00, 0xff}, {0x00, 0x89, 0x7b, 0xff},
	{0x6d, 0x4c, 0x41, 0xff}, {0x39, 0x49, 0xab, 0xff}, {0xd8, 0x1b, 0x60, 0xff},
}

// accountRow is one line of the list: avatar, issuer and name, the code
// and its countdown, and the account's buttons. The list reuses rows, so
// everything shown comes from bind.
type accountRow struct {
	v       *codesView
	id      int
	acc     otp.Account
	step    int64 // time step the shown code belongs to
	content *fyne.Container

	background *canvas.Rectangle
	circle     *canvas.Circle
	initial    *canvas.Text
	icon       *canvas.Image // the account's own icon, over the initial
	title      *widget.Label
	subtitle   *mutedLabel
	code       *widget.Label
	next       *mutedLabel
	left       *widget.Label
	hotpBtn    *widget.Button
	menuBtn    *widget.Button
}

func newAccountRow(v *codesView) *accountRow {
	r := &accountRow{v: v, id: -1}
	r.background = canvas.NewRectangle(color.Transparent)
	r.background.CornerRadius = theme.InputRadiusSize()
	r.circle = canvas.NewCircle(avatarColors[0])
	r.initial = canvas.NewText("", color.White)
	r.initial.TextStyle = fyne.TextStyle{Bold: true}
	r.initial.Alignment = fyne.TextAlignCenter
	r.initial.TextSize = 18
	r.icon = &canvas.Image{FillMode: canvas.ImageFillContain}
	r.icon.Hide()
	avatar := container.NewGridWrap(fyne.NewSize(38, 38), container.NewStack(r.circle, container.NewCenter(r.initial), r.icon))
	r.title = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}
	r.subtitle = newMutedLabel(fyne.TextStyle{}, fyne.TextAlignLeading)
	r.code = &widget.Label{TextStyle: fyne.TextStyle{Monospace: true}, SizeName: theme.SizeNameSubHeadingText, Alignment: fyne.TextAlignTrailing}
	r.next = newMutedLabel(fyne.TextStyle{Monospace: true}, fyne.TextAlignTrailing)
	r.left = &widget.Label{Alignment: fyne.TextAlignTrailing}
	r.hotpBtn = &widget.Button{Icon: theme.ViewRefreshIcon(), Importance: widget.LowImportance, OnTapped: func() { r.v.onNextHOTP(r.acc) }}
	r.menuBtn = &widget.Button{Icon: theme.MoreVerticalIcon(), Importance: widget.LowImportance}
	r.menuBtn.OnTapped = func() { r.v.onRowMenu(r.acc, r.menuBtn) }

	names := container.New(&tightVBox{}, r.title, r.subtitle)
	codes := container.New(&tightVBox{}, r.code, container.NewHBox(layoutSpacer(), r.next, r.left))
	right := container.NewHBox(codes, r.hotpBtn, r.menuBtn)
	r.content = container.NewStack(r.background,
		container.NewBorder(nil, nil, container.NewCenter(avatar), container.NewCenter(right), names))
	return r
}

// bind shows acc in the row at time now.
func (r *accountRow) bind(id int, acc otp.Account, now time.Time) {
	r.id, r.acc, r.step = id, acc, -1
	issuer, name := acc.Issuer, acc.Name
	if issuer == "" {
		issuer, name = acc.Name, ""
	}
	if acc.Favorite {
		issuer = "★ " + issuer
	}
	r.title.SetText(issuer)
	r.subtitle.SetText(name)
	r.circle.FillColor = avatarColor(acc)
	r.initial.Text = initial(acc)
	r.circle.Refresh()
	r.initial.Refresh()
	if res := r.v.iconFor(acc); res != nil {
		r.icon.Resource = res
		r.icon.Refresh()
		r.icon.Show()
		r.circle.Hide() // an icon with transparent corners shows no disc behind it
		r.initial.Hide()
	} else {
		r.icon.Hide()
		r.circle.Show()
		r.initial.Show()
	}
	if acc.Type == otp.HOTP {
		r.hotpBtn.Show()
	} else {
		r.hotpBtn.Hide()
	}
	r.setCurrent(id == r.v.current)
	r.tick(now)
}

// setCurrent highlights the row Enter and Delete act on.
func (r *accountRow) setCurrent(on bool) {
	c := color.Color(color.Transparent)
	if on {
		c = theme.Color(theme.ColorNameHover)
	}
	if r.background.FillColor != c {
		r.background.FillColor = c
		r.background.Refresh()
	}
}

// tick refreshes the code and countdown. The code is computed again only
// when its time step changes, so a second's work is a label or two.
func (r *accountRow) tick(now time.Time) {
	acc := &r.acc
	if acc.Type == otp.HOTP {
		code := r.v.hotpCodes[acc.UUID]
		switch {
		case code == "":
			r.setCode("— — —")
		case r.v.hidden(acc.UUID):
			r.setCode(hiddenCode)
		default:
			r.setCode(app.GroupCode(code))
		}
		r.setLeft(fmt.Sprintf("counter %d", acc.Counter), false)
		r.next.SetText("")
		return
	}
	left := acc.Remaining(now)
	r.setLeft(fmt.Sprintf("%d s", int(left.Round(time.Second).Seconds())), left <= warnBelow)
	step := now.Unix() / int64(max(acc.Period, 1))
	if step == r.step && r.code.Text != "" {
		return
	}
	r.step = step
	if r.v.hidden(acc.UUID) {
		r.setCode(hiddenCode)
		r.next.SetText("")
		return
	}
	code, err := acc.Code(now)
	if err != nil {
		r.setCode("error")
		return
	}
	r.setCode(app.GroupCode(code))
	if r.v.g.settings.ShowNextCode {
		next, _ := acc.Code(now.Add(time.Duration(acc.Period) * time.Second))
		r.next.SetText("next " + app.GroupCode(next))
	} else {
		r.next.SetText("")
	}
}

func (r *accountRow) setCode(text string) {
	if r.code.Text != text {
		r.code.SetText(text)
	}
}

func (r *accountRow) setLeft(text string, warn bool) {
	imp := widget.MediumImportance
	if warn {
		imp = widget.WarningImportance
	}
	if r.left.Text != text || r.left.Importance != imp {
		r.left.Importance = imp
		r.left.SetText(text)
	}
}

// iconFor is the account's own icon as a resource, made once per account
// and icon, or nil when it has none that is safe to draw (app.AccountIcon).
func (v *codesView) iconFor(acc otp.Account) fyne.Resource {
	if len(acc.Icon) == 0 {
		return nil
	}
	key := fmt.Sprintf("%s/%d", acc.UUID, len(acc.Icon))
	if res, ok := v.icons[key]; ok {
		return res
	}
	var res fyne.Resource
	switch app.AccountIcon(acc) {
	case app.IconRaster:
		res = fyne.NewStaticResource(acc.UUID+".img", acc.Icon)
	case app.IconSVG:
		res = fyne.NewStaticResource(acc.UUID+".svg", acc.Icon)
	}
	if v.icons == nil {
		v.icons = map[string]fyne.Resource{}
	}
	v.icons[key] = res
	return res
}

func avatarColor(acc otp.Account) color.NRGBA {
	h := fnv.New32a()
	h.Write([]byte(strings.ToLower(acc.Issuer + "/" + acc.Name)))
	return avatarColors[h.Sum32()%uint32(len(avatarColors))]
}

func initial(acc otp.Account) string {
	s := strings.TrimSpace(acc.Issuer)
	if s == "" {
		s = strings.TrimSpace(acc.Name)
	}
	r, _ := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError || !unicode.IsPrint(r) {
		return "?"
	}
	return string(unicode.ToUpper(r))
}

// tightVBox stacks objects with no padding, so a row's two lines read as
// one item.
type tightVBox struct{}

func (tightVBox) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		s.Width = max(s.Width, m.Width)
		s.Height += m.Height - 2*theme.Padding()
	}
	return s.AddWidthHeight(0, 2*theme.Padding())
}

func (tightVBox) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	y := float32(0)
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		h := o.MinSize().Height
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h - 2*theme.Padding()
	}
}

// mutedLabel is secondary text (an account's name, the next code): quieter
// than the issuer but still easy to read. Fyne's LowImportance label uses
// the disabled colour, which is almost invisible on the dark theme.
type mutedLabel struct {
	*widget.RichText
	segment *widget.TextSegment
}

func newMutedLabel(style fyne.TextStyle, align fyne.TextAlign) *mutedLabel {
	seg := &widget.TextSegment{Style: widget.RichTextStyle{
		ColorName: theme.ColorNamePlaceHolder, TextStyle: style, Alignment: align, Inline: true,
	}}
	rt := widget.NewRichText(seg)
	rt.Truncation = fyne.TextTruncateEllipsis
	return &mutedLabel{RichText: rt, segment: seg}
}

// SetText shows text, redrawing only when it changed.
func (m *mutedLabel) SetText(text string) {
	if m.segment.Text == text {
		return
	}
	m.segment.Text = text
	m.Refresh()
}

func layoutSpacer() fyne.CanvasObject { return canvas.NewRectangle(color.Transparent) }
