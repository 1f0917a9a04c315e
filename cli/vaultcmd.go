package cli

import (
	"errors"
	"fmt"
	"os"

	"github.com/gatekey/gatekey/app"
	"github.com/gatekey/gatekey/vault"
)

func init() {
	register(&command{name: "vault", run: runVault,
		summary: "create the vault, show it, change its password, lock or unlock it",
		usage:   "gatekey vault init|info|passwd|lock|unlock [--remove]"})
}

func runVault(c *ctx, args []string) int {
	fs := c.flags()
	remove := fs.Bool("remove", false, "with passwd: remove the password slot (the vault then opens only through this machine's keychain)")
	asJSON := fs.Bool("json", false, "with info: print a JSON object")
	rest, code, ok := c.parseOrExit(fs, args)
	if !ok {
		return code
	}
	if len(rest) != 1 {
		return c.usageError("vault takes one of init, info, passwd, lock, unlock", "")
	}
	switch rest[0] {
	case "init":
		return c.vaultInit()
	case "info":
		return c.vaultInfo(*asJSON)
	case "passwd":
		return c.vaultPasswd(*remove)
	case "lock":
		return c.vaultLock()
	case "unlock":
		return c.vaultUnlock()
	}
	return c.usageError(quote(rest[0])+" is not a vault command; use init, info, passwd, lock or unlock", "")
}

func (c *ctx) vaultInit() int {
	home, err := app.ResolveHome(c.home)
	if err != nil {
		return c.fail(err.Error(), "")
	}
	if _, err := os.Stat(app.VaultPath(home)); err == nil {
		return c.fail("a vault already exists at "+app.VaultPath(home), "")
	}
	opts := app.OpenOptions{Create: true}
	if c.passwordFile != "" || c.io.Terminal {
		opts.CreatePassword = c.newPassword("Password for backups and other devices: ")
	}
	auth, err := app.OpenAuthenticator(home, opts)
	if err != nil {
		return c.vaultError(err)
	}
	info := auth.Vault().Info()
	c.println("created " + info.Path)
	if info.PasswordSlots == 0 {
		c.say("the vault opens only through this machine's keychain", "add a password with 'gatekey vault passwd' so that backups open elsewhere")
	}
	return ExitOK
}

type vaultInfoJSON struct {
	Path          string `json:"path"`
	Accounts      int    `json:"accounts"`
	PasswordSlots int    `json:"password_slots"`
	OtherSlots    int    `json:"other_slots"`
	Keychain      string `json:"keychain"`
	Skipped       int    `json:"skipped_entries"`
}

func (c *ctx) vaultInfo(asJSON bool) int {
	auth, code, ok := c.openAuthenticator(false)
	if !ok {
		return code
	}
	info := auth.Vault().Info()
	out := vaultInfoJSON{Path: info.Path, Accounts: info.Accounts, PasswordSlots: info.PasswordSlots,
		OtherSlots: info.OtherSlots, Keychain: info.Keychain.String(), Skipped: len(info.Skipped)}
	if asJSON {
		return c.printJSON(out)
	}
	c.println("path:           " + out.Path)
	c.println(fmt.Sprintf("accounts:       %d", out.Accounts))
	c.println(fmt.Sprintf("password slots: %d", out.PasswordSlots))
	if out.OtherSlots > 0 {
		c.println(fmt.Sprintf("other slots:    %d (kept untouched)", out.OtherSlots))
	}
	c.println("keychain:       " + out.Keychain)
	for _, s := range info.Skipped {
		c.say(fmt.Sprintf("entry %s:%s is kept but not shown: %s", s.Issuer, s.Name, s.Reason), "")
	}
	return ExitOK
}

func (c *ctx) vaultPasswd(remove bool) int {
	// The vault opens through the keychain, or with the current password
	// asked on the terminal; --password-file is the new password.
	newPW := c.newPassword("New password: ")
	current := c.passwordFile
	c.passwordFile = ""
	auth, code, ok := c.openAuthenticator(false)
	c.passwordFile = current
	if !ok {
		return code
	}
	v := auth.Vault()
	if remove {
		if err := v.RemovePassword(); err != nil {
			if errors.Is(err, vault.ErrLastKey) {
				return c.fail(err.Error(), "the vault's key is not in a working keychain, so the password is its only key")
			}
			return c.vaultError(err)
		}
		c.println("password removed")
		return ExitOK
	}
	pw, err := newPW()
	if err != nil {
		return c.vaultError(err)
	}
	defer clear(pw)
	if err := v.SetPassword(pw); err != nil {
		return c.vaultError(err)
	}
	c.println("password set")
	return ExitOK
}

func (c *ctx) vaultLock() int {
	auth, code, ok := c.openAuthenticator(false)
	if !ok {
		return code
	}
	if err := auth.Vault().RemoveKeyFromKeychain(); err != nil {
		if errors.Is(err, vault.ErrLastKey) {
			return c.fail("the vault has no password, so its key cannot leave the keychain", "set one first with 'gatekey vault passwd'")
		}
		return c.vaultError(err)
	}
	c.println("locked: the vault's key was removed from the keychain; its password opens it again ('gatekey vault unlock')")
	return ExitOK
}

func (c *ctx) vaultUnlock() int {
	auth, code, ok := c.openAuthenticator(false)
	if !ok {
		return code
	}
	if err := auth.Vault().StoreKeyInKeychain(); err != nil {
		return c.vaultError(err)
	}
	c.println("unlocked: the vault's key is in this machine's keychain again")
	return ExitOK
}
