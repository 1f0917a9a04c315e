package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/gatekey/gatekey/routerclient"
)

// pendingPasswordService files a router's new administrator password in
// the keychain while the change is being proven, beside the old one.
const pendingPasswordService = routerKeychainService + " (new password)"

// ErrPasswordRefused means the router did not take the new password: it
// and the keychain are as they were.
var ErrPasswordRefused = routerclient.ErrPasswordRefused

// GeneratePassword makes a strong administrator password that DrayOS
// accepts from its console and its form: 24 letters, digits and symbols
// that need no quoting.
func GeneratePassword() (string, error) { return routerclient.GeneratePassword() }

// PasswordChange is what a password change did to one router.
type PasswordChange struct {
	Router string
	// Backup is the configuration saved before the change.
	Backup string
	// Changed: the router took the new password (or may have: see Err).
	Changed bool
	// Proven: Gatekey logged in with the new password, and the keychain
	// now holds it alone.
	Proven bool
	// Password is the new password, for a person who asked to see it.
	Password string
	Err      error
}

// UnprovenPasswordError means the router took (or may have taken) the new
// password but Gatekey could not log in with it. Both passwords stay in
// the keychain, and Gatekey does not try again by itself.
type UnprovenPasswordError struct {
	Router string
	// OldLabel and NewLabel are the keychain items that hold the two
	// passwords.
	OldLabel, NewLabel string
	Backup             string
	// Outcome is what happened: the new login's error, or the change's
	// when its outcome is unknown.
	Outcome error
}

func (e *UnprovenPasswordError) Error() string {
	msg := fmt.Sprintf("%s may now have the new password, but Gatekey could not log in with it (%v). "+
		"Both passwords are in the keychain: the old one as %s, the new one as %s. "+
		"Log in on the router's web page with either and check System Maintenance >> Administrator Password",
		e.Router, e.Outcome, e.OldLabel, e.NewLabel)
	if e.Backup != "" {
		msg += ", or restore the configuration saved in " + e.Backup
	}
	return msg + ". Gatekey does not try again by itself"
}

func (e *UnprovenPasswordError) Unwrap() error { return e.Outcome }

// ChangePassword replaces a router's administrator password without ever
// locking anyone out, in this order: a configuration backup; the new
// password filed in the keychain beside the old one; the change; a logout;
// a login with the new password (with the TOTP code when the router asks,
// never in the time step of the previous login); only then does the
// keychain keep the new password alone. A refused password leaves the
// router and the keychain as they were. When the new login fails, both
// passwords stay in the keychain and the error is an
// *UnprovenPasswordError that says how to recover; nothing is retried.
func (s *RouterService) ChangePassword(ctx context.Context, name, newPassword string, opts ChangeOptions) (*PasswordChange, error) {
	out := &PasswordChange{Router: name, Password: newPassword}
	r, err := s.Get(name)
	if err != nil {
		return out, err
	}
	rs, err := s.Records()
	if err != nil {
		return out, err
	}
	old, err := rs.Password(name)
	if err != nil {
		return out, err
	}
	if err := s.changeOnRouter(ctx, r, rs, old, newPassword, opts, out); err != nil {
		return out, err
	}
	// Log in with the new password, as the person will.
	sess, err := s.connectWith(ctx, r, newPassword)
	if err != nil {
		return out, s.unproven(r, out, err)
	}
	_ = sess.Close(context.WithoutCancel(ctx))
	if err := rs.ReplacePassword(name, newPassword); err != nil {
		return out, fmt.Errorf("the new password works, but the keychain could not be updated (it is filed as %s): %w", keychainLabel(pendingPasswordService, name), err)
	}
	out.Proven = true
	s.learn(name, func(sum *RouterSummary) { sum.Audit = nil })
	return out, nil
}

// changeOnRouter logs in with the old password, saves a backup, files the
// new password beside the old one and changes it on the router, then logs
// out.
func (s *RouterService) changeOnRouter(ctx context.Context, r Router, rs *Routers, old, newPassword string, opts ChangeOptions, out *PasswordChange) error {
	sess, err := s.connectWith(ctx, r, old)
	if err != nil {
		return err
	}
	defer sess.Close(context.WithoutCancel(ctx))
	if out.Backup, err = s.backupBefore(ctx, sess, r, opts); err != nil {
		return err
	}
	if err := rs.SetPendingPassword(r.Name, newPassword); err != nil {
		return fmt.Errorf("filing the new password in the keychain before the change: %w", err)
	}
	err = sess.ChangePassword(ctx, old, newPassword)
	switch {
	case errors.Is(err, routerclient.ErrPasswordRefused):
		_ = rs.ForgetPendingPassword(r.Name)
		return err
	case err != nil:
		// The router may have taken it: keep both and say so.
		out.Changed = true
		return s.unproven(r, out, err)
	}
	out.Changed = true
	if err := sess.Logout(ctx); err != nil {
		return s.unproven(r, out, err)
	}
	return nil
}

func (s *RouterService) unproven(r Router, out *PasswordChange, err error) error {
	return &UnprovenPasswordError{Router: r.Name, Backup: out.Backup, Outcome: err,
		OldLabel: keychainLabel(routerKeychainService, r.Name), NewLabel: keychainLabel(pendingPasswordService, r.Name)}
}

// keychainLabel names a keychain item as a keychain manager shows it.
func keychainLabel(service, user string) string { return fmt.Sprintf("%q, account %q", service, user) }

// FleetChangePassword changes the password of every named router, each
// with the password newPassword gives for it, under the same rules as one
// router; a router that fails keeps its old password and its outcome says
// why.
func (s *RouterService) FleetChangePassword(ctx context.Context, names []string, newPassword func(name string) (string, error), opts ChangeOptions, progress func(FleetProgress)) []FleetOutcome {
	return s.fleet(ctx, names, progress, func(ctx context.Context, name string, out *FleetOutcome) error {
		pw, err := newPassword(name)
		if err != nil {
			return err
		}
		out.Password, err = s.ChangePassword(ctx, name, pw, opts)
		return err
	})
}
