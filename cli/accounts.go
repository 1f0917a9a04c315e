package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/gatekey/gatekey/app"
	"github.com/gatekey/gatekey/otp"
)

func init() {
	register(&command{name: "code", run: runCode,
		summary: "print the current code of an otpauth URI, or of matching accounts",
		usage:   "gatekey code [--at UNIX] [--json] [URI|QUERY]"})
	register(&command{name: "next", run: runNext,
		summary: "advance a HOTP account's counter and print its new code",
		usage:   "gatekey next QUERY"})
	register(&command{name: "add", run: runAdd,
		summary: "add an account from a URI or from its fields",
		usage:   "gatekey add URI | gatekey add --issuer I --name N --secret S [--type totp|hotp|steam] [--algorithm SHA1|SHA256|SHA512] [--digits D] [--period P] [--counter C]"})
	register(&command{name: "list", run: runList,
		summary: "list the accounts, without secrets",
		usage:   "gatekey list [--json]"})
	register(&command{name: "rm", run: runRemove,
		summary: "remove one account",
		usage:   "gatekey rm [--yes] QUERY"})
}

// codeJSON is one element of `code --json`, as CLI.md documents it.
type codeJSON struct {
	UUID      string `json:"uuid,omitempty"`
	Issuer    string `json:"issuer"`
	Name      string `json:"name"`
	Type      string `json:"type"`
	Code      string `json:"code"`
	Remaining *int   `json:"remaining,omitempty"`
}

func codeOf(acc otp.Account, at time.Time) (codeJSON, error) {
	code, err := acc.Code(at)
	if err != nil {
		return codeJSON{}, fmt.Errorf("%s: %w", app.Label(acc), err)
	}
	out := codeJSON{UUID: acc.UUID, Issuer: acc.Issuer, Name: acc.Name, Type: string(acc.Type), Code: code}
	if acc.Type != otp.HOTP {
		r := int(acc.Remaining(at) / time.Second)
		out.Remaining = &r
	}
	return out, nil
}

func runCode(inv *invocation, args []string) error {
	fs := inv.flags()
	var at optionalInt64
	fs.Var(&at, "at", "compute the code at this Unix time instead of now")
	asJSON := fs.Bool("json", false, "print a JSON array")
	rest, err := inv.parseN(fs, args, 0, 1)
	if err != nil {
		return err
	}
	now := time.Now()
	if at.set {
		now = time.Unix(at.value, 0)
	}
	query := strings.Join(rest, "")
	isURI := strings.HasPrefix(strings.ToLower(query), "otpauth://")
	accs, err := inv.codeAccounts(query, isURI)
	if err != nil {
		return err
	}
	results := make([]codeJSON, 0, len(accs))
	for _, acc := range accs {
		r, err := codeOf(acc, now)
		if err != nil {
			return err
		}
		results = append(results, r)
	}
	switch {
	case *asJSON:
		return inv.printJSON(results)
	case isURI:
		inv.println(results[0].Code)
	default:
		for i, r := range results {
			inv.println(r.Code + "\t" + app.Label(accs[i]))
		}
	}
	return nil
}

// codeAccounts is the URI's account, without any vault, or the vault's
// accounts that match query.
func (inv *invocation) codeAccounts(query string, isURI bool) ([]otp.Account, error) {
	if isURI {
		acc, err := otp.ParseURI(query)
		if err != nil {
			return nil, asUsage(err)
		}
		return []otp.Account{acc}, nil
	}
	auth, err := inv.openVaultForCommand(false)
	if err != nil {
		return nil, err
	}
	accs := app.Match(auth.Accounts(), query)
	if len(accs) == 0 {
		return nil, failed("no account matches " + quote(query))
	}
	return accs, nil
}

func runNext(inv *invocation, args []string) error {
	rest, err := inv.parseN(inv.flags(), args, 1, 1)
	if err != nil {
		return err
	}
	auth, acc, err := inv.openOne(rest[0])
	if err != nil {
		return err
	}
	next, _, err := auth.NextHOTP(acc.UUID)
	if err != nil {
		return err
	}
	inv.println(next)
	return nil
}

func runAdd(inv *invocation, args []string) error {
	fs := inv.flags()
	var f app.AccountFields
	fs.StringVar(&f.Issuer, "issuer", "", "the service, such as GitHub")
	fs.StringVar(&f.Name, "name", "", "the account name, such as an e-mail address")
	fs.StringVar(&f.Secret, "secret", "", "the Base32 secret")
	fs.StringVar(&f.Type, "type", "totp", "totp, hotp or steam")
	fs.StringVar(&f.Algorithm, "algorithm", "SHA1", "SHA1, SHA256 or SHA512")
	fs.IntVar(&f.Digits, "digits", 0, "code length (default 6; 5 for steam)")
	fs.IntVar(&f.Period, "period", 30, "seconds a TOTP code lasts")
	fs.Uint64Var(&f.Counter, "counter", 0, "HOTP counter")
	rest, err := inv.parse(fs, args)
	if err != nil {
		return err
	}
	var accs []otp.Account
	switch {
	case len(rest) == 1 && f.Secret == "":
		accs, err = app.ParseAccounts(rest[0])
	case len(rest) == 0 && f.Secret != "":
		var acc otp.Account
		acc, err = f.Account()
		accs = []otp.Account{acc}
	default:
		return withHint(usageError("add takes one otpauth URI, or --secret with --issuer and --name"), "run 'gatekey add --help'")
	}
	if err != nil {
		return asUsage(err)
	}
	return inv.addAccounts(accs)
}

// listJSON is one element of `list --json`, as CLI.md documents it.
type listJSON struct {
	UUID      string   `json:"uuid"`
	Type      string   `json:"type"`
	Issuer    string   `json:"issuer"`
	Name      string   `json:"name"`
	Algorithm string   `json:"algorithm"`
	Digits    int      `json:"digits"`
	Period    *int     `json:"period,omitempty"`
	Counter   *uint64  `json:"counter,omitempty"`
	Favorite  bool     `json:"favorite"`
	Groups    []string `json:"groups"`
}

func listItem(a otp.Account) listJSON {
	item := listJSON{UUID: a.UUID, Type: string(a.Type), Issuer: a.Issuer, Name: a.Name,
		Algorithm: string(a.Algorithm), Digits: a.Digits, Favorite: a.Favorite, Groups: a.Groups}
	if item.Groups == nil {
		item.Groups = []string{}
	}
	if a.Type == otp.HOTP {
		item.Counter = &a.Counter
	} else {
		item.Period = &a.Period
	}
	return item
}

func runList(inv *invocation, args []string) error {
	fs := inv.flags()
	asJSON := fs.Bool("json", false, "print a JSON array")
	if _, err := inv.parseN(fs, args, 0, 0); err != nil {
		return err
	}
	auth, err := inv.openVaultForCommand(false)
	if err != nil {
		return err
	}
	accs := auth.Accounts()
	if *asJSON {
		out := make([]listJSON, 0, len(accs))
		for _, a := range accs {
			out = append(out, listItem(a))
		}
		return inv.printJSON(out)
	}
	for _, a := range accs {
		inv.println(app.Label(a) + "\t" + string(a.Type))
	}
	return nil
}

func runRemove(inv *invocation, args []string) error {
	fs := inv.flags()
	yes := fs.Bool("yes", false, "do not ask for confirmation")
	rest, err := inv.parseN(fs, args, 1, 1)
	if err != nil {
		return err
	}
	auth, acc, err := inv.openOne(rest[0])
	if err != nil {
		return err
	}
	question := "Remove " + app.Label(acc) + "? Its codes cannot be recovered without the secret."
	if err := inv.needConfirmation(*yes, question, "nothing removed"); err != nil {
		return err
	}
	if err := auth.Remove(acc.UUID); err != nil {
		return err
	}
	inv.println("removed " + app.Label(acc))
	return nil
}
