package cli

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/gatekey/gatekey/app"
)

func init() {
	register(&command{name: "vault", run: runVault,
		summary: "create the vault, show it, change its password or how it unlocks",
		usage:   "gatekey vault init|info|passwd|mode [password|keychain]|lock|unlock [--new-password-file F] [--new-key] [--remove] [--json]"})
}

// vaultFlags are the flags of every vault subcommand.
type vaultFlags struct {
	remove          bool
	asJSON          bool
	newPasswordFile string
	newKey, keepKey bool
	yes             bool
	mode            string
}

func runVault(inv *invocation, args []string) error {
	fs := inv.flags()
	var f vaultFlags
	fs.BoolVar(&f.remove, "remove", false, "with passwd: remove the password slot (the vault then opens only through this machine's keychain)")
	fs.BoolVar(&f.asJSON, "json", false, "with info: print a JSON object")
	fs.StringVar(&f.newPasswordFile, "new-password-file", "", "with passwd: read the new password from the first line of this file")
	fs.BoolVar(&f.newKey, "new-key", false, "with passwd: change the master key too, so that copies made before no longer open with the old password (drops other apps' slots)")
	fs.BoolVar(&f.keepKey, "keep-key", false, "with passwd: keep the master key (copies made before still open with the old password)")
	fs.BoolVar(&f.yes, "yes", false, "with passwd --new-key: drop other apps' slots without asking")
	fs.StringVar(&f.mode, "mode", "", "with init: password or keychain (default: password when a password is given)")
	rest, err := inv.parseN(fs, args, 1, 2)
	if err != nil {
		return err
	}
	sub, ok := vaultCommands[rest[0]]
	if !ok {
		return usageError(quote(rest[0]) + " is not a vault command; use init, info, passwd, mode, lock or unlock")
	}
	if len(rest) == 2 && rest[0] != "mode" {
		return usageError("vault " + rest[0] + " takes no argument")
	}
	return sub(inv, f, rest[1:])
}

var vaultCommands = map[string]func(*invocation, vaultFlags, []string) error{
	"init":   vaultInit,
	"info":   vaultInfo,
	"passwd": vaultPasswd,
	"mode":   vaultMode,
	"lock":   func(inv *invocation, f vaultFlags, _ []string) error { return vaultMode(inv, f, []string{"password"}) },
	"unlock": func(inv *invocation, f vaultFlags, _ []string) error { return vaultMode(inv, f, []string{"keychain"}) },
}

func vaultInit(inv *invocation, f vaultFlags, _ []string) error {
	home, err := inv.homeDir()
	if err != nil {
		return err
	}
	if inv.vaultExists() {
		return failed("a vault already exists at " + app.VaultPath(home))
	}
	opts := app.OpenOptions{Create: true}
	if f.mode != "" {
		if opts.Mode, err = app.ParseUnlockMode(f.mode); err != nil {
			return err
		}
	}
	if inv.passwordFile != "" || inv.io.Terminal {
		opts.CreatePassword = inv.newPassword(inv.passwordFile, "Password for backups and other devices: ").fn()
	}
	auth, err := app.OpenAuthenticator(home, opts)
	if err != nil {
		return err
	}
	info := auth.Vault().Info()
	inv.println("created " + info.Path)
	inv.say(modeSentence(auth.Mode()), "")
	if info.PasswordSlots == 0 {
		inv.say("the vault opens only through this machine's keychain", "add a password with 'gatekey vault passwd' so that backups open elsewhere")
	}
	if info.KeptBackup != "" {
		inv.say("an earlier vault's backup was kept as "+info.KeptBackup, "")
	}
	return nil
}

// modeSentence says what a mode means for the person.
func modeSentence(m app.UnlockMode) string {
	if m == app.UnlockPassword {
		return "password mode: the key stays out of the keychain; Gatekey asks for the password at every start and after every lock"
	}
	return "keychain mode: the key is in this machine's keychain, so your desktop login protects the vault and locking only hides the codes"
}

type vaultInfoJSON struct {
	Path          string `json:"path"`
	Accounts      int    `json:"accounts"`
	PasswordSlots int    `json:"password_slots"`
	OtherSlots    int    `json:"other_slots"`
	Keychain      string `json:"keychain"`
	Mode          string `json:"mode"`
	Skipped       int    `json:"skipped_entries"`
}

func vaultInfo(inv *invocation, f vaultFlags, _ []string) error {
	auth, err := inv.openVaultForCommand(false)
	if err != nil {
		return err
	}
	info := auth.Vault().Info()
	out := vaultInfoJSON{Path: info.Path, Accounts: info.Accounts, PasswordSlots: info.PasswordSlots,
		OtherSlots: info.OtherSlots, Keychain: info.Keychain.String(), Mode: auth.Mode().String(), Skipped: len(info.Skipped)}
	if f.asJSON {
		return inv.printJSON(out)
	}
	inv.println("path:           " + out.Path)
	inv.printf("accounts:       %d", out.Accounts)
	inv.printf("password slots: %d", out.PasswordSlots)
	if out.OtherSlots > 0 {
		inv.printf("other slots:    %d (kept untouched)", out.OtherSlots)
	}
	inv.println("keychain:       " + out.Keychain)
	inv.println("unlock mode:    " + out.Mode)
	for _, s := range info.Skipped {
		inv.say(fmt.Sprintf("entry %s:%s is kept but not shown: %s", s.Issuer, s.Name, s.Reason), "")
	}
	return nil
}

// vaultMode prints how the vault unlocks, or switches it. Password mode
// needs the vault's password (--password-file or the terminal), proving
// that the person can still open the vault once the key leaves the
// keychain.
func vaultMode(inv *invocation, _ vaultFlags, args []string) error {
	auth, err := inv.openVaultForCommand(false)
	if err != nil {
		return err
	}
	if len(args) == 0 {
		inv.println(auth.Mode().String())
		return nil
	}
	mode, err := app.ParseUnlockMode(args[0])
	if err != nil {
		return err
	}
	var pw []byte
	if mode == app.UnlockPassword {
		if !auth.Vault().HasPassword() {
			return withHint(failed("the vault has no password, so its key cannot leave the keychain"), "set one first with 'gatekey vault passwd'")
		}
		if pw, err = inv.passwordFromFile("Vault password: ").get(); err != nil {
			return err
		}
		defer clear(pw)
	}
	if err := auth.SetMode(mode, pw); err != nil {
		return err
	}
	inv.println(mode.String())
	inv.say(modeSentence(mode), "")
	return nil
}

// vaultPasswd adds, changes or removes the vault's password. The vault
// opens through the keychain, or with the current password from
// --password-file or the terminal; the new one comes from
// --new-password-file or is asked twice.
func vaultPasswd(inv *invocation, f vaultFlags, _ []string) error {
	if f.newKey && f.keepKey {
		return usageError("--new-key and --keep-key exclude each other")
	}
	// The password the vault opened with, when it asked for one, is the
	// current password: it is not asked for twice.
	var opened []byte
	defer func() { clear(opened) }()
	ask := inv.passwordFromFile("Vault password: ")
	auth, err := inv.openVaultWith(false, func() ([]byte, error) {
		pw, err := ask.get()
		clear(opened)
		opened = bytes.Clone(pw)
		return pw, err
	})
	if err != nil {
		return err
	}
	if f.remove {
		return removeVaultPassword(inv, auth)
	}
	hadPassword := auth.Vault().HasPassword()
	current := opened
	if hadPassword && current == nil {
		if current, err = inv.passwordFromFile("Current vault password: ").get(); err != nil {
			return err
		}
		defer clear(current)
	}
	newKey, err := inv.chooseNewKey(f, auth, hadPassword)
	if err != nil {
		return err
	}
	pw, err := inv.newPassword(f.newPasswordFile, "New password: ").get()
	if err != nil {
		return err
	}
	defer clear(pw)
	res, err := auth.ChangePassword(current, pw, newKey)
	if err != nil {
		return err
	}
	inv.println("password set")
	inv.reportPasswordChange(res, hadPassword, auth.Mode())
	return nil
}

// chooseNewKey decides whether a password change also changes the master
// key: as the flags say, else by asking on a terminal, else not (a script
// keeps the key unless it asks, so it never drops other apps' slots
// unasked).
func (inv *invocation) chooseNewKey(f vaultFlags, auth *app.Authenticator, hadPassword bool) (bool, error) {
	other := auth.Vault().Info().OtherSlots
	switch {
	case !hadPassword || f.keepKey:
		return false, nil
	case f.newKey && other > 0 && !f.yes && !inv.io.Terminal:
		return false, usageError(fmt.Sprintf("--new-key drops %d slots of other apps (such as Aegis's fingerprint unlock); add --yes to go ahead", other))
	case f.newKey && other > 0 && !f.yes:
		return inv.confirm(fmt.Sprintf("Changing the key drops %d slots of other apps (such as Aegis's fingerprint unlock); they will need the new password. Go ahead?", other)), nil
	case f.newKey:
		return true, nil
	case inv.io.Terminal:
		return inv.confirm("Change the master key too, so that copies of the vault made before no longer open with the old password?"), nil
	}
	return false, nil
}

func (inv *invocation) reportPasswordChange(res app.PasswordChangeResult, hadPassword bool, mode app.UnlockMode) {
	switch {
	case res.NewKey && res.DroppedSlots > 0:
		inv.say(fmt.Sprintf("the master key changed; %d slots of other apps were dropped and now need the new password", res.DroppedSlots), "")
	case res.NewKey:
		inv.say("the master key changed too: copies of the vault made before no longer open it as it is now", "")
	case hadPassword:
		inv.say("the master key stays: copies of the vault made before still open with the old password", "add --new-key to change it")
	}
	if !hadPassword && mode == app.UnlockKeychain {
		inv.say("the key stays in the keychain too, so the vault still opens without the password here", "run 'gatekey vault mode password' to ask for it at every start and after every lock")
	}
}

func removeVaultPassword(inv *invocation, auth *app.Authenticator) error {
	if err := auth.Vault().RemovePassword(); err != nil {
		if errors.Is(err, app.ErrLastKey) {
			return withHint(err, "the vault's key is not in the keychain (password mode, or no working keychain), so the password is its only key")
		}
		return err
	}
	inv.println("password removed")
	return nil
}
