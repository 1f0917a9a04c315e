package cli

import (
	"errors"

	"github.com/gatekey/gatekey/app"
	"github.com/gatekey/gatekey/otp"
	"github.com/gatekey/gatekey/vault"
)

// openAuthenticator opens the vault of --home / GATEKEY_HOME. With create, a
// missing vault is made with its key in the keychain and no password slot,
// as CLI.md says of the first command that writes.
func (c *ctx) openAuthenticator(create bool) (*app.Authenticator, int, bool) {
	home, err := app.ResolveHome(c.home)
	if err != nil {
		return nil, c.fail(err.Error(), ""), false
	}
	auth, err := app.OpenAuthenticator(home, app.OpenOptions{
		Password: c.password("Vault password: "),
		Create:   create,
	})
	if err != nil {
		return nil, c.vaultError(err), false
	}
	return auth, ExitOK, true
}

// vaultError reports a vault error with the exit status and hint it calls for.
func (c *ctx) vaultError(err error) int {
	switch {
	case errors.Is(err, app.ErrNoVault):
		return c.fail(err.Error(), "add an account with 'gatekey add' or create one with 'gatekey vault init'")
	case errors.Is(err, errNoPassword):
		return c.usageError(err.Error(), "")
	case errors.Is(err, vault.ErrPasswordRequired):
		return c.fail(err.Error(), "pass --password-file FILE, or run on a terminal to be asked")
	case errors.Is(err, vault.ErrWrongPassword):
		return c.fail("wrong password for the vault", "")
	case errors.Is(err, vault.ErrNoKeychain):
		return c.fail(err.Error(), "")
	case errors.Is(err, vault.ErrCorrupt), errors.Is(err, vault.ErrUnsupportedVersion):
		return c.fail(err.Error(), "the file was left untouched; the previous version is vault.json.bak beside it")
	case errors.Is(err, otp.ErrInvalidAccount), errors.Is(err, vault.ErrInvalidAccount),
		errors.Is(err, otp.ErrInvalidSecret), errors.Is(err, otp.ErrUnsupported):
		return c.usageError(err.Error(), "")
	}
	return c.fail(err.Error(), "")
}

// openOne opens the vault and picks the single account query names, the
// start of every command that acts on one account.
func (c *ctx) openOne(query string) (*app.Authenticator, otp.Account, int, bool) {
	auth, code, ok := c.openAuthenticator(false)
	if !ok {
		return nil, otp.Account{}, code, false
	}
	acc, code, ok := c.one(auth, query)
	return auth, acc, code, ok
}

// one picks the single account a command acts on, listing the candidates when
// the query is ambiguous.
func (c *ctx) one(auth *app.Authenticator, query string) (otp.Account, int, bool) {
	matches := app.Match(auth.Accounts(), query)
	switch len(matches) {
	case 0:
		return otp.Account{}, c.fail("no account matches "+quote(query), "'gatekey list' shows them all"), false
	case 1:
		return matches[0], ExitOK, true
	}
	c.say(quote(query)+" matches several accounts; be more precise", "")
	for _, m := range matches {
		c.say("  "+app.Label(m), "")
	}
	return otp.Account{}, ExitFailed, false
}

func quote(s string) string { return "\"" + s + "\"" }

// addAccounts adds accounts to the vault (creating it when missing), prints
// each one added and names those already present; it fails when nothing was
// added.
func (c *ctx) addAccounts(accs []otp.Account) int {
	auth, code, ok := c.openAuthenticator(true)
	if !ok {
		return code
	}
	added, dups, err := auth.Add(accs...)
	if err != nil {
		return c.vaultError(err)
	}
	for _, a := range added {
		c.println("added " + app.Label(a))
	}
	for _, d := range dups {
		c.say(app.Label(d)+" is already in the vault", "")
	}
	if len(added) == 0 {
		return ExitFailed
	}
	return ExitOK
}
