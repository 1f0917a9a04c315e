package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/gatekey/gatekey/internal/atomicfile"
	"github.com/gatekey/gatekey/internal/readlimit"
	"github.com/gatekey/gatekey/otp"
	"github.com/gatekey/gatekey/routerclient"
	"github.com/gatekey/gatekey/vault"
)

// RoutersFile holds the router records (no secrets) beside the vault.
const RoutersFile = "routers.json"

// routerKeychainService files router passwords in the OS keychain, one item
// per router name.
const routerKeychainService = "Gatekey router"

// maxRoutersFile bounds what is read of routers.json, and maxProfileFile
// of a router profile override.
const (
	maxRoutersFile = 4 << 20
	maxProfileFile = 1 << 20
)

// Errors about router records.
var (
	ErrNoRouter     = errors.New("no router by that name")
	ErrRouterExists = errors.New("a router by that name already exists")
	ErrNoPassword   = errors.New("the router's password is not in the keychain")
)

// Router is one router record: where it is, who logs in, the pinned
// certificate and the TOTP account linked for WAN logins. Its password is in
// the OS keychain, never here.
type Router struct {
	Name        string `json:"name"`
	URL         string `json:"url"`
	User        string `json:"user"`
	Fingerprint string `json:"fingerprint,omitempty"`
	TOTP        string `json:"totp,omitempty"`    // uuid of the linked vault account
	Profile     string `json:"profile,omitempty"` // a profile override file; empty is the built-in drayos4
	PlainHTTP   bool   `json:"plain_http,omitempty"`
	// WANURL is where the person reaches the router from the Internet, used
	// to check a WAN login with the TOTP code; empty when unknown.
	WANURL string `json:"wan_url,omitempty"`
	// WANPlainHTTP: the person allowed plain HTTP to WANURL although it is
	// not a private address (the password then crosses the Internet).
	WANPlainHTTP bool `json:"wan_plain_http,omitempty"`
	// LastStep is the last TOTP time step sent to this router, kept so that
	// two commands within one period never send the same code (the router
	// refuses a replayed code).
	LastStep int64 `json:"last_step,omitempty"`
}

// Routers is the set of router records under the home folder.
type Routers struct {
	mu       sync.Mutex
	path     string
	list     []Router
	keychain vault.Keychain
}

// LoadRouters reads routers.json under home (an absent file is an empty
// list). keychain nil means the OS keychain.
func LoadRouters(home string, keychain vault.Keychain) (*Routers, error) {
	if keychain == nil {
		keychain = vault.SystemKeychain{}
	}
	rs := &Routers{path: filepath.Join(home, RoutersFile), keychain: keychain}
	data, err := readlimit.File(rs.path, maxRoutersFile)
	if errors.Is(err, os.ErrNotExist) {
		return rs, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the router records: %w", err)
	}
	if err := json.Unmarshal(data, &rs.list); err != nil {
		return nil, fmt.Errorf("%s is damaged: %w", rs.path, err)
	}
	return rs, nil
}

// List returns the records sorted by name.
func (rs *Routers) List() []Router {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	out := slices.Clone(rs.list)
	slices.SortFunc(out, func(a, b Router) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// Get returns the record named name.
func (rs *Routers) Get(name string) (Router, error) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if i := rs.index(name); i >= 0 {
		return rs.list[i], nil
	}
	return Router{}, fmt.Errorf("%w: %q", ErrNoRouter, name)
}

func (rs *Routers) index(name string) int {
	return slices.IndexFunc(rs.list, func(r Router) bool { return r.Name == name })
}

// Add saves a new record and its password in the keychain.
func (rs *Routers) Add(r Router, password string) error {
	if strings.TrimSpace(r.Name) == "" {
		return errors.New("a router needs a name")
	}
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if rs.index(r.Name) >= 0 {
		return fmt.Errorf("%w: %q", ErrRouterExists, r.Name)
	}
	if err := rs.keychain.Set(routerKeychainService, r.Name, password); err != nil {
		return fmt.Errorf("saving the router's password in the keychain: %w", err)
	}
	rs.list = append(rs.list, r)
	if err := rs.save(); err != nil {
		rs.list = rs.list[:len(rs.list)-1]
		_ = rs.keychain.Delete(routerKeychainService, r.Name)
		return err
	}
	return nil
}

// Update replaces the record with the same name.
func (rs *Routers) Update(r Router) error {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	i := rs.index(r.Name)
	if i < 0 {
		return fmt.Errorf("%w: %q", ErrNoRouter, r.Name)
	}
	old := rs.list[i]
	rs.list[i] = r
	if err := rs.save(); err != nil {
		rs.list[i] = old
		return err
	}
	return nil
}

// Remove forgets a router and its keychain entry.
func (rs *Routers) Remove(name string) error {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	i := rs.index(name)
	if i < 0 {
		return fmt.Errorf("%w: %q", ErrNoRouter, name)
	}
	removed := rs.list[i]
	rs.list = slices.Delete(rs.list, i, i+1)
	if err := rs.save(); err != nil {
		rs.list = slices.Insert(rs.list, i, removed)
		return err
	}
	if err := rs.keychain.Delete(routerKeychainService, name); err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return fmt.Errorf("the router was forgotten but its password stays in the keychain: %w", err)
	}
	if err := rs.ForgetPendingPassword(name); err != nil {
		return fmt.Errorf("the router was forgotten but a new password of its stays in the keychain: %w", err)
	}
	return nil
}

// Password returns a router's password from the keychain.
func (rs *Routers) Password(name string) (string, error) {
	pw, err := rs.keychain.Get(routerKeychainService, name)
	if errors.Is(err, keyring.ErrNotFound) {
		return "", fmt.Errorf("%w: %q (add the router again)", ErrNoPassword, name)
	}
	if err != nil {
		return "", fmt.Errorf("reading the router's password from the keychain: %w", err)
	}
	return pw, nil
}

// SetPendingPassword files a router's new password in the keychain beside
// the current one, while its change is being proven.
func (rs *Routers) SetPendingPassword(name, password string) error {
	return rs.keychain.Set(pendingPasswordService, name, password)
}

// ForgetPendingPassword removes a new password that the router refused.
func (rs *Routers) ForgetPendingPassword(name string) error {
	err := rs.keychain.Delete(pendingPasswordService, name)
	if errors.Is(err, keyring.ErrNotFound) {
		return nil
	}
	return err
}

// ReplacePassword makes a proven new password the router's only one in the
// keychain: the current item gets it, then the pending item goes.
func (rs *Routers) ReplacePassword(name, password string) error {
	if err := rs.keychain.Set(routerKeychainService, name, password); err != nil {
		return err
	}
	return rs.ForgetPendingPassword(name)
}

func (rs *Routers) save() error {
	data, err := json.MarshalIndent(rs.list, "", "  ")
	if err != nil {
		return err
	}
	if err := EnsureHome(filepath.Dir(rs.path)); err != nil {
		return err
	}
	return atomicfile.Write(rs.path, append(data, '\n'))
}

// LastStep and SetLastStep make Routers the client's TOTP step store, kept
// across runs of the command line. The client names a router by its host and
// port; every record at that address shares the step, as the router does.
func (rs *Routers) LastStep(host string) (int64, bool) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	var last int64
	for _, r := range rs.list {
		if r.reachedAt(host) {
			last = max(last, r.LastStep)
		}
	}
	return last, last > 0
}

// SetLastStep records the TOTP time step just sent to the router at host.
func (rs *Routers) SetLastStep(host string, step int64) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	changed := false
	for i, r := range rs.list {
		if r.reachedAt(host) {
			rs.list[i].LastStep, changed = step, true
		}
	}
	if changed {
		_ = rs.save() // losing it costs at most one wait for the next period
	}
}

// reachedAt reports whether host (host:port) is the router's LAN or WAN
// address: both lead to the same router, which refuses a code twice.
func (r Router) reachedAt(host string) bool {
	return routerHost(r.URL) == host || (r.WANURL != "" && routerHost(r.WANURL) == host)
}

func routerHost(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	return u.Host
}

// ClientOptions are the routerclient options for a record: its pin, its
// profile, plain HTTP where the record allows it, and the step store.
func (rs *Routers) ClientOptions(r Router, extra ...routerclient.Option) ([]routerclient.Option, error) {
	opts := []routerclient.Option{routerclient.WithStepStore(rs), routerclient.WithTimeout(20 * time.Second)}
	if r.Fingerprint != "" {
		opts = append(opts, routerclient.WithPin(r.Fingerprint))
	}
	if r.PlainHTTP {
		opts = append(opts, routerclient.WithPlainHTTP())
	}
	if r.Profile != "" {
		p, err := LoadProfileFile(r.Profile)
		if err != nil {
			return nil, err
		}
		opts = append(opts, routerclient.WithProfile(p))
	}
	return append(opts, extra...), nil
}

// LoadProfileFile reads a router profile override.
func LoadProfileFile(path string) (*routerclient.Profile, error) {
	data, err := readlimit.File(path, maxProfileFile)
	if err != nil {
		return nil, fmt.Errorf("reading the router profile: %w", err)
	}
	p, err := routerclient.LoadProfile(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("router profile %s: %w", path, err)
	}
	return p, nil
}

// CodeSourceFor computes an account's code at the moment the client asks.
func CodeSourceFor(acc otp.Account) routerclient.CodeSource {
	return func(_ context.Context, at time.Time) (string, error) { return acc.Code(at) }
}

// PlainHTTPToInternet says whether rawURL is plain HTTP to an address
// where the password would cross the Internet: allowed only when the
// person insists.
func PlainHTTPToInternet(rawURL string) bool {
	return isPlainHTTP(rawURL) && !PlainHTTPAllowed(rawURL)
}

// PlainHTTPAllowed says whether plain HTTP to rawURL is acceptable without
// the person insisting: only to loopback and private (LAN) addresses, where
// the password does not cross the Internet.
func PlainHTTPAllowed(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil {
		return false
	}
	host := u.Hostname()
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && (ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast())
}
