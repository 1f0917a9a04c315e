package app

import "context"

// WANCheck is the result of logging in the way the person will from
// outside.
type WANCheck struct {
	URL string
	// Tested: a WAN address is known and was tried from here.
	Tested bool
	// UsedCode: the router asked for the authenticator code and took it.
	UsedCode bool
	Err      error
	// Advice says how to test from outside when it cannot be done from here.
	Advice string
}

// VerifyWANLogin logs in through the router's WAN address with the linked
// account's code, as the person will from outside. It is an ordinary
// login to another address of the same record: the same pin, the same
// step store, and the same rule for plain HTTP (only to private addresses,
// or when the person allowed it for this address).
func (s *RouterService) VerifyWANLogin(ctx context.Context, name string) WANCheck {
	r, err := s.Get(name)
	if err != nil {
		return WANCheck{Err: err}
	}
	if r.WANURL == "" {
		return WANCheck{Advice: "Gatekey does not know this router's address on the Internet. To test, use a device outside your network " +
			"(a phone on mobile data): open https://<your public address>:<HTTPS port>, log in with the username, the password and the code Gatekey shows."}
	}
	out := WANCheck{URL: r.WANURL, Tested: true}
	wan := r
	wan.URL, wan.PlainHTTP = r.WANURL, isPlainHTTP(r.WANURL) && (!PlainHTTPToInternet(r.WANURL) || r.WANPlainHTTP)
	sess, err := s.connect(ctx, wan)
	if err == nil {
		out.UsedCode = sess.UsedTOTP()
		_ = sess.Close(context.WithoutCancel(ctx))
	}
	out.Err = err
	if err == nil && !out.UsedCode {
		out.Advice = "The router let Gatekey in from the WAN address without asking for a code: TOTP is not enforced for WAN logins."
	}
	return out
}
