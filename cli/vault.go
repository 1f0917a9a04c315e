package cli

import (
	"github.com/gatekey/gatekey/app"
	"github.com/gatekey/gatekey/otp"
)

// homeDir is --home, else $GATEKEY_HOME, else the OS config folder.
func (inv *invocation) homeDir() (string, error) { return app.ResolveHome(inv.home) }

// openVault opens the vault with password when the keychain does not hold
// its key. With create, a missing vault is made with its key in the
// keychain and no password slot, as the first command that writes does.
func (inv *invocation) openVault(create bool, password passwordSource) (*app.Authenticator, error) {
	return inv.openVaultWith(create, password.fn())
}

// openVaultWith is openVault with any password callback.
func (inv *invocation) openVaultWith(create bool, password app.PasswordFunc) (*app.Authenticator, error) {
	home, err := inv.homeDir()
	if err != nil {
		return nil, err
	}
	return app.OpenAuthenticator(home, app.OpenOptions{Password: password, Create: create})
}

// openVaultForCommand opens the vault for a command whose --password-file
// is the vault's.
func (inv *invocation) openVaultForCommand(create bool) (*app.Authenticator, error) {
	return inv.openVault(create, inv.passwordFromFile("Vault password: "))
}

// openOne opens the vault and picks the single account query names, the
// start of every command that acts on one account.
func (inv *invocation) openOne(query string) (*app.Authenticator, otp.Account, error) {
	auth, err := inv.openVaultForCommand(false)
	if err != nil {
		return nil, otp.Account{}, err
	}
	acc, err := inv.one(auth.Accounts(), query)
	return auth, acc, err
}

// one picks the single account a command acts on, listing the candidates
// when the query is ambiguous.
func (inv *invocation) one(accs []otp.Account, query string) (otp.Account, error) {
	matches := app.Match(accs, query)
	switch len(matches) {
	case 0:
		return otp.Account{}, withHint(failed("no account matches "+quote(query)), "'gatekey list' shows them all")
	case 1:
		return matches[0], nil
	}
	inv.say(quote(query)+" matches several accounts; be more precise", "")
	for _, m := range matches {
		inv.say("  "+app.Label(m), "")
	}
	return otp.Account{}, quietExit(ExitFailed)
}

// addAccounts adds accounts to the vault (creating it when missing), prints
// each one added and names those already present; it fails when nothing was
// added.
func (inv *invocation) addAccounts(accs []otp.Account) error {
	auth, err := inv.openVaultForCommand(true)
	if err != nil {
		return err
	}
	added, dups, err := auth.Add(accs...)
	if err != nil {
		return err
	}
	for _, a := range added {
		inv.println("added " + app.Label(a))
	}
	for _, d := range dups {
		inv.say(app.Label(d)+" is already in the vault", "")
	}
	if len(added) == 0 {
		return quietExit(ExitFailed)
	}
	return nil
}
