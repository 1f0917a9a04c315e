package cli

import (
	"bufio"
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
		return codeJSON{}, err
	}
	out := codeJSON{UUID: acc.UUID, Issuer: acc.Issuer, Name: acc.Name, Type: string(acc.Type), Code: code}
	if acc.Type != otp.HOTP {
		r := int(acc.Remaining(at) / time.Second)
		out.Remaining = &r
	}
	return out, nil
}

func runCode(c *ctx, args []string) int {
	fs := c.flags()
	at := fs.Int64("at", 0, "compute the code at this Unix time instead of now")
	asJSON := fs.Bool("json", false, "print a JSON array")
	rest, code, ok := c.parseOrExit(fs, args)
	if !ok {
		return code
	}
	if len(rest) > 1 {
		return c.usageError("code takes at most one URI or query", "")
	}
	now := time.Now()
	if *at != 0 {
		now = time.Unix(*at, 0)
	}
	query := strings.Join(rest, "")
	var accs []otp.Account
	if strings.HasPrefix(strings.ToLower(query), "otpauth://") {
		acc, err := otp.ParseURI(query)
		if err != nil {
			return c.usageError(err.Error(), "")
		}
		accs = []otp.Account{acc}
	} else {
		auth, code, ok := c.openAuthenticator(false)
		if !ok {
			return code
		}
		accs = app.Match(auth.Accounts(), query)
		if len(accs) == 0 {
			return c.fail("no account matches "+quote(query), "")
		}
	}
	results := make([]codeJSON, 0, len(accs))
	for _, acc := range accs {
		r, err := codeOf(acc, now)
		if err != nil {
			return c.fail(app.Label(acc)+": "+err.Error(), "")
		}
		results = append(results, r)
	}
	if *asJSON {
		return c.printJSON(results)
	}
	if strings.HasPrefix(strings.ToLower(query), "otpauth://") {
		c.println(results[0].Code)
		return ExitOK
	}
	for i, r := range results {
		c.println(r.Code + "\t" + app.Label(accs[i]))
	}
	return ExitOK
}

func runNext(c *ctx, args []string) int {
	rest, code, ok := c.parseOrExit(c.flags(), args)
	if !ok {
		return code
	}
	if len(rest) != 1 {
		return c.usageError("next takes one query", "")
	}
	auth, acc, code, ok := c.openOne(rest[0])
	if !ok {
		return code
	}
	next, _, err := auth.NextHOTP(acc.UUID)
	if err != nil {
		return c.fail(err.Error(), "")
	}
	c.println(next)
	return ExitOK
}

func runAdd(c *ctx, args []string) int {
	fs := c.flags()
	issuer := fs.String("issuer", "", "the service, such as GitHub")
	name := fs.String("name", "", "the account name, such as an e-mail address")
	secret := fs.String("secret", "", "the Base32 secret")
	typ := fs.String("type", "totp", "totp, hotp or steam")
	algorithm := fs.String("algorithm", "SHA1", "SHA1, SHA256 or SHA512")
	digits := fs.Int("digits", 0, "code length (default 6; 5 for steam)")
	period := fs.Int("period", 30, "seconds a TOTP code lasts")
	counter := fs.Uint64("counter", 0, "HOTP counter")
	rest, code, ok := c.parseOrExit(fs, args)
	if !ok {
		return code
	}
	var accs []otp.Account
	switch {
	case len(rest) == 1 && *secret == "":
		var err error
		if accs, err = parseAccountsText(rest[0]); err != nil {
			return c.usageError(err.Error(), "")
		}
	case len(rest) == 0 && *secret != "":
		acc, err := accountFromFlags(*issuer, *name, *secret, *typ, *algorithm, *digits, *period, *counter)
		if err != nil {
			return c.usageError(err.Error(), "")
		}
		accs = []otp.Account{acc}
	default:
		return c.usageError("add takes one otpauth URI, or --secret with --issuer and --name", "run 'gatekey add --help'")
	}
	return c.addAccounts(accs)
}

// parseAccountsText reads an otpauth or otpauth-migration URI.
func parseAccountsText(text string) ([]otp.Account, error) {
	text = strings.TrimSpace(text)
	if strings.HasPrefix(strings.ToLower(text), "otpauth-migration://") {
		m, err := otp.ParseMigration(text)
		if err != nil {
			return nil, err
		}
		if len(m.Accounts) == 0 {
			return nil, fmt.Errorf("the migration URI holds no account Gatekey can use")
		}
		return m.Accounts, nil
	}
	acc, err := otp.ParseURI(text)
	if err != nil {
		return nil, err
	}
	return []otp.Account{acc}, nil
}

func accountFromFlags(issuer, name, secret, typ, algorithm string, digits, period int, counter uint64) (otp.Account, error) {
	key, err := otp.DecodeBase32(secret)
	if err != nil {
		return otp.Account{}, fmt.Errorf("--secret: %w", err)
	}
	acc := otp.Account{
		Type: otp.Type(strings.ToLower(typ)), Issuer: issuer, Name: name, Secret: key,
		Algorithm: otp.Algorithm(strings.ToUpper(algorithm)), Digits: digits, Period: period, Counter: counter,
	}
	if acc.Digits == 0 {
		acc.Digits = 6
		if acc.Type == otp.Steam {
			acc.Digits = otp.SteamDigits
		}
	}
	if acc.Type == otp.HOTP {
		acc.Period = 0
	}
	if name == "" && issuer == "" {
		return acc, fmt.Errorf("give the account a --name or an --issuer")
	}
	return acc, acc.Validate()
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

func runList(c *ctx, args []string) int {
	fs := c.flags()
	asJSON := fs.Bool("json", false, "print a JSON array")
	rest, code, ok := c.parseOrExit(fs, args)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		return c.usageError("list takes no arguments", "")
	}
	auth, code, ok := c.openAuthenticator(false)
	if !ok {
		return code
	}
	accs := auth.Accounts()
	if *asJSON {
		out := make([]listJSON, 0, len(accs))
		for _, a := range accs {
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
			out = append(out, item)
		}
		return c.printJSON(out)
	}
	for _, a := range accs {
		c.println(app.Label(a) + "\t" + string(a.Type))
	}
	return ExitOK
}

func runRemove(c *ctx, args []string) int {
	fs := c.flags()
	yes := fs.Bool("yes", false, "do not ask for confirmation")
	rest, code, ok := c.parseOrExit(fs, args)
	if !ok {
		return code
	}
	if len(rest) != 1 {
		return c.usageError("rm takes one query", "")
	}
	auth, acc, code, ok := c.openOne(rest[0])
	if !ok {
		return code
	}
	if !*yes {
		if !c.io.Terminal {
			return c.usageError("rm needs --yes when not run on a terminal", "")
		}
		fmt.Fprintf(c.io.Stderr, "Remove %s? Its codes cannot be recovered without the secret. [y/N] ", app.Label(acc))
		answer, _ := bufio.NewReader(c.io.Stdin).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
			return c.fail("nothing removed", "")
		}
	}
	if err := auth.Remove(acc.UUID); err != nil {
		return c.vaultError(err)
	}
	c.println("removed " + app.Label(acc))
	return ExitOK
}
