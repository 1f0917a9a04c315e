package app

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSettingsDefaultsWhenMissing(t *testing.T) {
	s, err := LoadSettings(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(DefaultSettings(), s); diff != "" {
		t.Fatalf("missing file (-want +got):\n%s", diff)
	}
	if s.AutoLock().Minutes() != 5 || s.ClipboardClear().Seconds() != 30 {
		t.Errorf("defaults are not 5 minutes and 30 s: %v, %v", s.AutoLock(), s.ClipboardClear())
	}
}

func TestSettingsRoundTrip(t *testing.T) {
	home := filepath.Join(t.TempDir(), "home")
	want := DefaultSettings()
	want.AutoLockMinutes = 0
	want.ClipboardSeconds = 10
	want.ShowNextCode = true
	want.HideCodes = true
	want.Theme = ThemeDark
	want.Sort = SortLastUsed
	want.Window = WindowSize{Width: 500, Height: 700}
	want.LastUsed = map[string]int64{"uuid-1": 1700000000}
	if err := SaveSettings(home, want); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(home, SettingsFile))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("settings file mode %v, want 0600", st.Mode().Perm())
	}
	got, err := LoadSettings(home)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("round trip (-want +got):\n%s", diff)
	}
}

// A file edited by hand or damaged never stops the window: out-of-range
// values fall back to the defaults, and broken JSON gives the defaults and
// an error to show.
func TestSettingsDamaged(t *testing.T) {
	tests := []struct {
		name    string
		content string
		wantErr bool
		check   func(Settings) bool
	}{
		{"broken JSON", "{", true, func(s Settings) bool { return s.AutoLockMinutes == 5 }},
		{"negative auto-lock", `{"auto_lock_minutes": -3}`, false, func(s Settings) bool { return s.AutoLockMinutes == 5 }},
		{"unknown theme", `{"theme": "purple"}`, false, func(s Settings) bool { return s.Theme == ThemeSystem }},
		{"unknown sort", `{"sort": "random"}`, false, func(s Settings) bool { return s.Sort == SortIssuer }},
		{"huge clipboard", `{"clipboard_clear_seconds": 99999}`, false, func(s Settings) bool { return s.ClipboardSeconds == 30 }},
		{"kept value", `{"clipboard_clear_seconds": 0}`, false, func(s Settings) bool { return s.ClipboardSeconds == 0 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home := t.TempDir()
			if err := os.WriteFile(filepath.Join(home, SettingsFile), []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			s, err := LoadSettings(home)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if !tt.check(s) {
				t.Errorf("settings %+v", s)
			}
		})
	}
}
