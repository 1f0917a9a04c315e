package ui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
)

// clipboardGuard copies codes and clears them again after a while, on lock
// and on quit, but only while the clipboard still holds the code it copied:
// whatever the person copied since is theirs.
type clipboardGuard struct {
	clip   fyne.Clipboard
	notice func(string)
	// after schedules f after d and returns a function that cancels it;
	// tests replace it to run the clearing at once.
	after func(d time.Duration, f func()) (cancel func())

	copied string
	cancel func()
}

func newClipboardGuard(clip fyne.Clipboard, notice func(string)) *clipboardGuard {
	return &clipboardGuard{
		clip:   clip,
		notice: notice,
		after: func(d time.Duration, f func()) func() {
			t := time.AfterFunc(d, func() { fyne.Do(f) })
			return func() { t.Stop() }
		},
	}
}

// copy puts code on the clipboard and, when keep is positive, schedules
// its clearing. what names what was copied for the notice ("the code of
// ACME:alice").
func (c *clipboardGuard) copy(code, what string, keep time.Duration) {
	if c.cancel != nil {
		c.cancel()
		c.cancel = nil
	}
	c.clip.SetContent(code)
	c.copied = code
	if keep <= 0 {
		c.notice(fmt.Sprintf("Copied %s. It is cleared from the clipboard on lock and quit.", what))
		return
	}
	c.notice(fmt.Sprintf("Copied %s. The clipboard is cleared in %d s.", what, int(keep.Seconds())))
	c.cancel = c.after(keep, func() {
		c.cancel = nil
		if c.clearNow() {
			c.notice("The clipboard was cleared.")
		}
	})
}

// clearNow empties the clipboard if it still holds the copied code, and
// reports whether it did.
func (c *clipboardGuard) clearNow() bool {
	if c.cancel != nil {
		c.cancel()
		c.cancel = nil
	}
	if c.copied == "" {
		return false
	}
	code := c.copied
	c.copied = ""
	if c.clip.Content() != code {
		return false
	}
	c.clip.SetContent("")
	return true
}
