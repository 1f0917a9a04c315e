package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gatekey/gatekey/internal/atomicfile"
	"github.com/gatekey/gatekey/internal/readlimit"
)

// SettingsFile is the preferences file's name inside the home folder.
const SettingsFile = "settings.json"

// maxSettingsBytes bounds what LoadSettings reads: the file is small, and a
// huge one is not ours.
const maxSettingsBytes = 1 << 20

// Themes the window offers.
const (
	ThemeSystem = "system"
	ThemeLight  = "light"
	ThemeDark   = "dark"
)

// Orders the accounts list offers. Favourites always come first.
const (
	SortIssuer   = "issuer"
	SortName     = "name"
	SortLastUsed = "last_used"
)

// WindowSize is the main window's remembered size in Fyne units.
type WindowSize struct {
	Width  float32 `json:"width"`
	Height float32 `json:"height"`
}

// Settings are the window's preferences, kept in settings.json beside the
// vault. They hold no secret: last-used times are keyed by account uuid.
type Settings struct {
	// AutoLockMinutes locks the vault after that long without input; 0
	// means never.
	AutoLockMinutes int `json:"auto_lock_minutes"`
	// ClipboardSeconds clears a copied code after that long, if the
	// clipboard still holds it; 0 means never (it is still cleared on lock
	// and quit).
	ClipboardSeconds int `json:"clipboard_clear_seconds"`
	// ShowNextCode shows the code of the next time step beside the current.
	ShowNextCode bool `json:"show_next_code"`
	// HideCodes shows dots until a row is clicked.
	HideCodes bool `json:"hide_codes"`
	// StartMinimised starts with only the tray icon, where a tray exists.
	StartMinimised bool `json:"start_minimised"`
	// CloseToTray hides the window on close instead of quitting, where a
	// tray exists.
	CloseToTray bool `json:"close_to_tray"`
	// Theme is ThemeSystem, ThemeLight or ThemeDark.
	Theme string `json:"theme"`
	// Sort is SortIssuer, SortName or SortLastUsed.
	Sort string `json:"sort"`
	// Window is the last size of the main window; zero means the default.
	Window WindowSize `json:"window"`
	// LastUsed is when each account's code was last copied (Unix seconds),
	// by account uuid, for the "last used" order.
	LastUsed map[string]int64 `json:"last_used,omitempty"`
}

// DefaultSettings are the preferences of a new installation: auto-lock
// after 5 minutes and clipboard cleared after 30 s, as security.md asks.
func DefaultSettings() Settings {
	return Settings{
		AutoLockMinutes:  5,
		ClipboardSeconds: 30,
		CloseToTray:      true,
		Theme:            ThemeSystem,
		Sort:             SortIssuer,
	}
}

// AutoLock is the idle time after which the vault locks, zero for never.
func (s Settings) AutoLock() time.Duration {
	return time.Duration(s.AutoLockMinutes) * time.Minute
}

// ClipboardClear is how long a copied code stays on the clipboard, zero for
// until lock or quit.
func (s Settings) ClipboardClear() time.Duration {
	return time.Duration(s.ClipboardSeconds) * time.Second
}

// normalise replaces values out of range by the defaults, so that a file
// edited by hand cannot make the window misbehave.
func (s *Settings) normalise() {
	def := DefaultSettings()
	if s.AutoLockMinutes < 0 || s.AutoLockMinutes > 24*60 {
		s.AutoLockMinutes = def.AutoLockMinutes
	}
	if s.ClipboardSeconds < 0 || s.ClipboardSeconds > 3600 {
		s.ClipboardSeconds = def.ClipboardSeconds
	}
	switch s.Theme {
	case ThemeSystem, ThemeLight, ThemeDark:
	default:
		s.Theme = def.Theme
	}
	switch s.Sort {
	case SortIssuer, SortName, SortLastUsed:
	default:
		s.Sort = def.Sort
	}
	if s.Window.Width < 0 || s.Window.Height < 0 || s.Window.Width > 10000 || s.Window.Height > 10000 {
		s.Window = WindowSize{}
	}
}

// LoadSettings reads settings.json under home. A missing file gives the
// defaults; a damaged one gives the defaults and an error saying so, so that
// the window still opens.
func LoadSettings(home string) (Settings, error) {
	s := DefaultSettings()
	data, err := readlimit.File(filepath.Join(home, SettingsFile), maxSettingsBytes)
	if errors.Is(err, os.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return s, fmt.Errorf("reading settings: %w", err)
	}
	if err := json.Unmarshal(data, &s); err != nil {
		return DefaultSettings(), fmt.Errorf("reading settings (defaults used): %w", err)
	}
	s.normalise()
	return s, nil
}

// SaveSettings writes settings.json under home atomically with mode 0600.
func SaveSettings(home string, s Settings) error {
	if err := EnsureHome(home); err != nil {
		return err
	}
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("saving settings: %w", err)
	}
	if err := atomicfile.Write(filepath.Join(home, SettingsFile), append(data, '\n')); err != nil {
		return fmt.Errorf("saving settings: %w", err)
	}
	return nil
}
