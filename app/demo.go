package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"

	"github.com/zalando/go-keyring"

	"github.com/gatekey/gatekey/otp"
	"github.com/gatekey/gatekey/routersim"
)

// Demo is `gatekey --demo`: two simulated routers on loopback, one weak and
// one hardened, and a throwaway vault whose keys live only in memory, so
// that a person can try every router feature without a router. Nothing of
// the person's own vault, keychain or routers is touched.
type Demo struct {
	// Desktop serves the throwaway vault and the demo routers.
	Desktop *Desktop
	// Home is the temporary folder, removed by Close.
	Home    string
	routers []*routersim.Router
}

// Demo router names.
const (
	DemoWeakRouter     = "office (demo, weak)"
	DemoHardenedRouter = "branch (demo, hardened)"
	// DemoHardenedPassword is the hardened demo router's admin password
	// (the weak one keeps the factory admin/admin), for its web page.
	DemoHardenedPassword = "demo-branch"
)

// StartDemo starts the demo routers and the throwaway vault.
func StartDemo(ctx context.Context) (*Demo, error) {
	home, err := os.MkdirTemp("", "gatekey-demo-")
	if err != nil {
		return nil, err
	}
	demo := &Demo{Home: home, Desktop: NewDesktop(home, newMemoryKeychain())}
	if err := demo.start(ctx); err != nil {
		demo.Close()
		return nil, fmt.Errorf("starting the demo: %w", err)
	}
	return demo, nil
}

func (demo *Demo) start(ctx context.Context) error {
	if err := demo.Desktop.Create(nil, UnlockKeychain); err != nil {
		return err
	}
	loopback := routersim.Options{LANHTTPS: "127.0.0.1:0", WANHTTPS: "127.0.0.1:0", WANHTTP: "127.0.0.1:0"}

	// The weak one: old firmware, management from the Internet open to
	// everyone over HTTP and Telnet (IPv6 included), TR-069 open, no TOTP,
	// no brute-force protection.
	weakOpts := loopback
	weakOpts.Model, weakOpts.Firmware = "Vigor2927", "4.4.2"
	weakOpts.IPv6Open, weakOpts.TR069Open = true, true
	weak, err := routersim.Start(ctx, weakOpts)
	if err != nil {
		return err
	}
	demo.routers = append(demo.routers, weak)
	if err := weak.Update(func(st *routersim.State) {
		m := &st.Management
		m.Internet, m.HTTP, m.HTTPS, m.Telnet, m.FTP, m.Ping = true, true, true, true, true, true
		m.TLS.TLS10, m.TLS.TLS11 = true, true
	}); err != nil {
		return err
	}

	// The hardened one: current firmware, TOTP enrolled (its secret in the
	// demo vault), HTTPS only from one network, brute-force protection.
	hardOpts := loopback
	hardOpts.Model, hardOpts.Firmware = "Vigor2865", "4.5.1"
	hardOpts.AdminPassword = DemoHardenedPassword
	// Its access list points at an IP object holding the loopback network,
	// as a real router's does.
	hardOpts.Objects = map[int]routersim.IPObject{1: {Name: "demo office", Type: routersim.ObjectSubnet, Start: "127.0.0.0", Mask: "255.0.0.0"}}
	hardOpts.AccessList = []string{"1"}
	hard, err := routersim.Start(ctx, hardOpts)
	if err != nil {
		return err
	}
	demo.routers = append(demo.routers, hard)
	secret, err := hard.EnrollTOTP()
	if err != nil {
		return err
	}
	if err := hard.Update(func(st *routersim.State) {
		m := &st.Management
		m.Internet, m.HTTPS, m.EnforceHTTPS, m.HTTP, m.Telnet, m.FTP, m.Ping = true, true, true, false, false, false, false
		m.TLS = routersim.TLSVersions{TLS12: true}
		m.BruteForce = routersim.BruteForce{Enabled: true, HTTP: true, HTTPS: true, Telnet: true, SSH: true, FTP: true, TR069: true, Failures: 5, PenaltySeconds: 1800}
	}); err != nil {
		return err
	}
	key, err := otp.DecodeBase32(secret)
	if err != nil {
		return err
	}
	added, dups, err := demo.Desktop.Add(otp.Account{Type: otp.TOTP, Issuer: "DrayTek", Name: DemoHardenedRouter,
		Secret: key, Algorithm: otp.SHA1, Digits: 6, Period: 30, Note: "TOTP for WAN logins to the demo router"})
	if err != nil || len(added)+len(dups) != 1 {
		return errors.Join(err, errors.New("saving the demo account"))
	}

	rs, err := demo.Desktop.Routers().Records()
	if err != nil {
		return err
	}
	for _, r := range []struct {
		name, password string
		sim            *routersim.Router
		totp           string
	}{{DemoWeakRouter, "admin", weak, ""}, {DemoHardenedRouter, DemoHardenedPassword, hard, added[0].UUID}} {
		u := r.sim.URLs()
		rec := Router{Name: r.name, URL: u.LANHTTPS, WANURL: u.WANHTTPS, User: "admin", Fingerprint: r.sim.Fingerprint(), TOTP: r.totp}
		if err := rs.Add(rec, r.password); err != nil {
			return err
		}
	}
	return nil
}

// Close stops the routers and removes the throwaway vault.
func (demo *Demo) Close() error {
	var errs []error
	for _, r := range demo.routers {
		errs = append(errs, r.Close())
	}
	_ = demo.Desktop.Lock()
	errs = append(errs, os.RemoveAll(demo.Home))
	return errors.Join(errs...)
}

// memoryKeychain keeps the demo's master key and router passwords in
// memory only, so that the demo leaves nothing in the OS keychain.
type memoryKeychain struct {
	mu    sync.Mutex
	items map[string]string
}

func newMemoryKeychain() *memoryKeychain { return &memoryKeychain{items: map[string]string{}} }

func (k *memoryKeychain) Get(service, user string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.items[service+"\x00"+user]
	if !ok {
		return "", keyring.ErrNotFound
	}
	return v, nil
}

func (k *memoryKeychain) Set(service, user, secret string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.items[service+"\x00"+user] = secret
	return nil
}

func (k *memoryKeychain) Delete(service, user string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.items, service+"\x00"+user)
	return nil
}

// WindowService is what the window runs on: the vault and routers under
// the person's home folder, or with demo the throwaway demo. stop ends the
// demo when the window closes (it does nothing otherwise).
func WindowService(ctx context.Context, demo bool) (home string, d *Desktop, stop func(), err error) {
	if !demo {
		if home, err = ResolveHome(""); err != nil {
			return "", nil, nil, err
		}
		return home, NewDesktop(home, nil), func() {}, nil
	}
	dm, err := StartDemo(ctx)
	if err != nil {
		return "", nil, nil, err
	}
	return dm.Home, dm.Desktop, func() { _ = dm.Close() }, nil
}
