package routersim

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
)

// Start starts a router on the listen addresses of opts and returns once they
// accept connections. The router closes when ctx ends or Close is called.
func Start(ctx context.Context, opts Options) (*Router, error) {
	opts = opts.withDefaults()
	if err := opts.check(); err != nil {
		return nil, fmt.Errorf("starting the router simulator: %w", err)
	}
	r := &Router{
		opts: opts, stateDir: opts.StateDir, failures: map[string]*failureCount{},
		byPath: map[string]int{}, conns: map[net.Conn]struct{}{},
		latency: opts.Latency, clockOffset: opts.ClockOffset, lastTOTPStep: -1,
		backupFault: opts.BackupFault, refuseArmed: opts.RefuseNewPasswordOnce,
	}
	r.totpOK = totpDocumented(opts.Model, opts.Firmware)
	if opts.TOTPSupported != nil {
		r.totpOK = *opts.TOTPSupported
	}
	if err := r.openState(); err != nil {
		return nil, err
	}
	if err := r.listen(); err != nil {
		r.Close()
		return nil, err
	}
	wctx, cancel := context.WithCancel(ctx)
	r.stopWatch = cancel
	go func() {
		<-wctx.Done()
		if ctx.Err() != nil {
			r.Close()
		}
	}()
	return r, nil
}

// check refuses options the router cannot run with.
func (o Options) check() error {
	switch o.Family {
	case FamilyDrayOS4, FamilyDrayOS5, FamilyLinux:
	default:
		return fmt.Errorf("unknown family %q (want drayos4, drayos5 or linux)", o.Family)
	}
	if o.LANHTTP == "" && o.LANHTTPS == "" && o.WANHTTP == "" && o.WANHTTPS == "" && o.WANHTTP6 == "" && o.WANHTTPS6 == "" {
		return errors.New("no listen address given")
	}
	if o.BackupFID != 2016 && o.BackupFID != 3004 {
		return fmt.Errorf("backup fid %d (want 2016 or 3004)", o.BackupFID)
	}
	return nil
}

// factoryStateFor is the factory configuration for the options.
func factoryStateFor(o Options) State {
	bf := DefaultBruteForce()
	if o.BruteForce != nil {
		bf = *o.BruteForce
	}
	return factoryState(o.AdminUser, o.AdminPassword, bf)
}

// openState loads the saved configuration and certificate, or makes the
// factory ones, then applies the start-up settings of the options.
func (r *Router) openState() error {
	if r.stateDir == "" {
		dir, err := os.MkdirTemp("", "routersim-")
		if err != nil {
			return fmt.Errorf("creating the router state folder: %w", err)
		}
		r.stateDir, r.ownDir = dir, true
	} else if err := os.MkdirAll(r.stateDir, 0o700); err != nil {
		return fmt.Errorf("creating the router state folder: %w", err)
	}
	st, ok, err := loadState(r.stateDir)
	if err != nil {
		return err
	}
	if !ok {
		st = factoryStateFor(r.opts)
	}
	if err := r.opts.applyPresets(&st); err != nil {
		return fmt.Errorf("starting the router simulator: %w", err)
	}
	if err := saveState(r.stateDir, st); err != nil {
		return err
	}
	r.running, r.committed = st, st
	cert, err := loadOrCreateCert(r.stateDir, r.opts.Now())
	if err != nil {
		return err
	}
	leaf, err := x509.ParseCertificate(cert.Certificate[0])
	if err != nil {
		return fmt.Errorf("loading the router certificate: %w", err)
	}
	r.cert, r.leaf = cert, leaf
	return nil
}
