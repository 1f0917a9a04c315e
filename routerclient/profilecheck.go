package routerclient

import (
	"errors"
	"fmt"
	"regexp"
)

// validate checks a profile and compiles its patterns, so that a bad
// override file is refused with the key at fault rather than failing
// later against a router.
func (p *Profile) validate() error {
	for _, check := range []func() error{p.compilePatterns, p.compilePasswordPatterns, p.checkBounds, p.checkPaths} {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

func (p *Profile) compilePatterns() error {
	var err error
	if p.modelRE, err = regexp.Compile(p.Console.ModelPattern); err != nil {
		return fmt.Errorf("console.model_pattern: %w", err)
	}
	if p.versionRE, err = regexp.Compile(p.Console.VersionPattern); err != nil {
		return fmt.Errorf("console.version_pattern: %w", err)
	}
	if p.captchaRE, err = regexp.Compile(p.CaptchaPattern); err != nil || p.CaptchaPattern == "" {
		return errors.New("captcha_pattern must be a regular expression that is not empty")
	}
	if p.backupButtonRE, err = regexp.Compile(p.Backup.ButtonPattern); err != nil || p.Backup.ButtonPattern == "" {
		return errors.New("backup.button_pattern must be a regular expression that is not empty")
	}
	return nil
}

func (p *Profile) checkBounds() error {
	for _, check := range []func() error{p.checkLogin, p.checkSizes, p.checkReboot} {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

func (p *Profile) checkLogin() error {
	switch {
	case p.TOTPPeriod <= 0 || p.TOTPPeriod > 300:
		return fmt.Errorf("totp_period %d is out of range", p.TOTPPeriod)
	case p.TOTPMinRemainingSeconds < 0 || p.TOTPMinRemainingSeconds >= p.TOTPPeriod:
		return fmt.Errorf("totp_min_remaining_seconds %d is out of range", p.TOTPMinRemainingSeconds)
	case p.TokenField == "" || p.UserField == "" || p.PasswordField == "":
		return errors.New("token_field, user_field and password_field must not be empty")
	}
	return nil
}

func (p *Profile) checkSizes() error {
	mf := p.ManagementForm
	switch {
	case mf.AccessListSize < 0 || mf.AccessListSize > 100 || mf.IPv6AccessListSize < 0 || mf.IPv6AccessListSize > 100:
		return errors.New("management_form access list sizes are out of range")
	case p.IPObjects.Count < 1 || p.IPObjects.Count > 9999:
		return errors.New("ip_objects.count is out of range")
	case len(p.Backup.FIDs) == 0 || p.Backup.MaxBytes <= 0 || p.Backup.MaxBytes > 256<<20:
		return errors.New("backup needs fids and a max_bytes up to 256 MiB")
	}
	return nil
}

func (p *Profile) checkReboot() error {
	switch {
	case p.Reboot.TimeoutSeconds <= 0 || p.Reboot.FirstPollMillis <= 0 || p.Reboot.MaxPollIntervalMilli <= 0:
		return errors.New("reboot wait bounds must be positive")
	case p.Reboot.Value != "Current":
		// drayos-web.md §6: sReboot=Default is a factory reset.
		return errors.New("reboot.value must be Current: any other value may reset the router")
	}
	return nil
}

func (p *Profile) checkPaths() error {
	if len(p.SettingsPaths) == 0 {
		return errors.New("settings_paths is empty")
	}
	for _, s := range p.SettingsPaths {
		if s != pathForm && s != pathConsole {
			return fmt.Errorf("settings_paths: unknown path %q (want %q or %q)", s, pathForm, pathConsole)
		}
	}
	return nil
}
