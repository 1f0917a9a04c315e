package ui

import (
	"fmt"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/gatekey/gatekey/app"
)

var (
	autoLockChoices  = []int{0, 1, 2, 5, 10, 15, 30, 60}
	clipboardChoices = []int{0, 10, 20, 30, 45, 60, 90}
	themeLabels      = []string{"System", "Light", "Dark"}
	themeKeys        = []string{app.ThemeSystem, app.ThemeLight, app.ThemeDark}
)

func minutesLabel(n int) string {
	if n == 0 {
		return "Never"
	}
	return fmt.Sprintf("After %d min", n)
}

func secondsLabel(n int) string {
	if n == 0 {
		return "Only on lock and quit"
	}
	return fmt.Sprintf("After %d s", n)
}

// choiceSelect is a select over numbers shown with label, keeping current
// even when it is not one of the usual choices (a hand-edited file).
func choiceSelect(choices []int, current int, label func(int) string) (*widget.Select, func() int) {
	if !slices.Contains(choices, current) {
		choices = append(slices.Clone(choices), current)
		slices.Sort(choices)
	}
	labels := make([]string, len(choices))
	for i, c := range choices {
		labels[i] = label(c)
	}
	sel := widget.NewSelect(labels, nil)
	sel.SetSelectedIndex(slices.Index(choices, current))
	return sel, func() int { return choices[max(sel.SelectedIndex(), 0)] }
}

// onSettings shows the preferences and applies them on Save.
func (v *codesView) onSettings() {
	g := v.g
	s := g.settings
	autoLock, autoLockValue := choiceSelect(autoLockChoices, s.AutoLockMinutes, minutesLabel)
	clip, clipValue := choiceSelect(clipboardChoices, s.ClipboardSeconds, secondsLabel)
	next := widget.NewCheck("Show the next code", nil)
	next.SetChecked(s.ShowNextCode)
	hide := widget.NewCheck("Hide codes until clicked", nil)
	hide.SetChecked(s.HideCodes)
	minimised := widget.NewCheck("Start minimised to the tray", nil)
	minimised.SetChecked(s.StartMinimised)
	closeTray := widget.NewCheck("Closing the window keeps Gatekey in the tray", nil)
	closeTray.SetChecked(s.CloseToTray)
	if !g.tray {
		minimised.Disable()
		closeTray.Disable()
	}
	themeSel := widget.NewRadioGroup(themeLabels, nil)
	themeSel.Horizontal = true
	themeSel.SetSelected(themeLabels[max(slices.Index(themeKeys, s.Theme), 0)])
	vault := newVaultSettings(g)
	items := []*widget.FormItem{
		widget.NewFormItem("Auto-lock", autoLock),
		widget.NewFormItem("Clear clipboard", clip),
		widget.NewFormItem("Codes", column(next, hide)),
		{Text: "Tray", Widget: column(minimised, closeTray), HintText: trayHint(g.tray)},
		widget.NewFormItem("Theme", themeSel),
	}
	items = append(items, vault.items()...)
	d := dialog.NewForm("Settings", "Save", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		s.AutoLockMinutes, s.ClipboardSeconds = autoLockValue(), clipValue()
		s.ShowNextCode, s.HideCodes = next.Checked, hide.Checked
		s.StartMinimised, s.CloseToTray = minimised.Checked, closeTray.Checked
		s.Theme = themeKeys[max(slices.Index(themeLabels, themeSel.Selected), 0)]
		v.applySettings(s)
		vault.apply()
	}, g.win)
	d.Resize(fyne.NewSize(460, d.MinSize().Height))
	d.Show()
}

func trayHint(tray bool) string {
	if tray {
		return ""
	}
	return "no system tray was found on this desktop"
}

// applySettings makes new preferences take effect and saves them.
func (v *codesView) applySettings(s app.Settings) {
	g := v.g
	themeChanged := s.Theme != g.settings.Theme
	g.settings = s
	g.saveSettings()
	if themeChanged {
		applyTheme(g.app, s.Theme)
	}
	v.revealed = map[string]bool{}
	for _, r := range v.rows {
		r.step = -1
	}
	v.list.Refresh()
	g.touch()
}
