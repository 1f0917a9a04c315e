package cli

import (
	"errors"
	"fmt"

	"github.com/gatekey/gatekey/app"
)

func init() {
	register(&command{name: "vault", run: runVault,
		summary: "create the vault, show it, change its password, lock or unlock it",
		usage:   "gatekey vault init|info|passwd|lock|unlock [--remove] [--new-password-file F]"})
}

// vaultFlags are the flags of every vault subcommand.
type vaultFlags struct {
	remove          bool
	asJSON          bool
	newPasswordFile string
}

func runVault(inv *invocation, args []string) error {
	fs := inv.flags()
	var f vaultFlags
	fs.BoolVar(&f.remove, "remove", false, "with passwd: remove the password slot (the vault then opens only through this machine's keychain)")
	fs.BoolVar(&f.asJSON, "json", false, "with info: print a JSON object")
	fs.StringVar(&f.newPasswordFile, "new-password-file", "", "with passwd: read the new password from the first line of this file")
	rest, err := inv.parseN(fs, args, 1, 1)
	if err != nil {
		return err
	}
	sub, ok := vaultCommands[rest[0]]
	if !ok {
		return usageError(quote(rest[0]) + " is not a vault command; use init, info, passwd, lock or unlock")
	}
	return sub(inv, f)
}

var vaultCommands = map[string]func(*invocation, vaultFlags) error{
	"init":   vaultInit,
	"info":   vaultInfo,
	"passwd": vaultPasswd,
	"lock":   vaultLock,
	"unlock": vaultUnlock,
}

func vaultInit(inv *invocation, _ vaultFlags) error {
	home, err := inv.homeDir()
	if err != nil {
		return err
	}
	if inv.vaultExists() {
		return failed("a vault already exists at " + app.VaultPath(home))
	}
	opts := app.OpenOptions{Create: true}
	if inv.passwordFile != "" || inv.io.Terminal {
		opts.CreatePassword = inv.newPassword(inv.passwordFile, "Password for backups and other devices: ").fn()
	}
	auth, err := app.OpenAuthenticator(home, opts)
	if err != nil {
		return err
	}
	info := auth.Vault().Info()
	inv.println("created " + info.Path)
	if info.PasswordSlots == 0 {
		inv.say("the vault opens only through this machine's keychain", "add a password with 'gatekey vault passwd' so that backups open elsewhere")
	}
	return nil
}

type vaultInfoJSON struct {
	Path          string `json:"path"`
	Accounts      int    `json:"accounts"`
	PasswordSlots int    `json:"password_slots"`
	OtherSlots    int    `json:"other_slots"`
	Keychain      string `json:"keychain"`
	Skipped       int    `json:"skipped_entries"`
}

func vaultInfo(inv *invocation, f vaultFlags) error {
	auth, err := inv.openVaultForCommand(false)
	if err != nil {
		return err
	}
	info := auth.Vault().Info()
	out := vaultInfoJSON{Path: info.Path, Accounts: info.Accounts, PasswordSlots: info.PasswordSlots,
		OtherSlots: info.OtherSlots, Keychain: info.Keychain.String(), Skipped: len(info.Skipped)}
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
	for _, s := range info.Skipped {
		inv.say(fmt.Sprintf("entry %s:%s is kept but not shown: %s", s.Issuer, s.Name, s.Reason), "")
	}
	return nil
}

// vaultPasswd adds, changes or removes the vault's password. The vault
// opens through the keychain, or with the current password from
// --password-file or the terminal; the new one comes from
// --new-password-file or is asked twice.
func vaultPasswd(inv *invocation, f vaultFlags) error {
	auth, err := inv.openVaultForCommand(false)
	if err != nil {
		return err
	}
	v := auth.Vault()
	if f.remove {
		if err := v.RemovePassword(); err != nil {
			if errors.Is(err, app.ErrLastKey) {
				return withHint(err, "the vault's key is not in a working keychain, so the password is its only key")
			}
			return err
		}
		inv.println("password removed")
		return nil
	}
	pw, err := inv.newPassword(f.newPasswordFile, "New password: ").get()
	if err != nil {
		return err
	}
	defer clear(pw)
	if err := v.SetPassword(pw); err != nil {
		return err
	}
	inv.println("password set")
	return nil
}

func vaultLock(inv *invocation, _ vaultFlags) error {
	auth, err := inv.openVaultForCommand(false)
	if err != nil {
		return err
	}
	if err := auth.Vault().RemoveKeyFromKeychain(); err != nil {
		if errors.Is(err, app.ErrLastKey) {
			return withHint(failed("the vault has no password, so its key cannot leave the keychain"), "set one first with 'gatekey vault passwd'")
		}
		return err
	}
	inv.println("locked: the vault's key was removed from the keychain; its password opens it again ('gatekey vault unlock')")
	return nil
}

func vaultUnlock(inv *invocation, _ vaultFlags) error {
	auth, err := inv.openVaultForCommand(false)
	if err != nil {
		return err
	}
	if err := auth.Vault().StoreKeyInKeychain(); err != nil {
		return err
	}
	inv.println("unlocked: the vault's key is in this machine's keychain again")
	return nil
}
