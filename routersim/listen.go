package routersim

import (
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// listenerSpec is one listener of the router: its address, its side, its
// scheme and whether it is the IPv6 WAN address.
type listenerSpec struct {
	addr         string
	wan, tls, v6 bool
	url          *string
}

// listen opens the listeners that have an address and serves them.
func (r *Router) listen() error {
	o := r.opts
	specs := []listenerSpec{
		// WAN HTTPS first, so that the Enforce HTTPS redirect knows its port.
		{o.WANHTTPS, true, true, false, &r.urls.WANHTTPS},
		{o.LANHTTP, false, false, false, &r.urls.LANHTTP},
		{o.LANHTTPS, false, true, false, &r.urls.LANHTTPS},
		{o.WANHTTP, true, false, false, &r.urls.WANHTTP},
		{o.WANHTTP6, true, false, true, &r.urls.WANHTTP6},
		{o.WANHTTPS6, true, true, true, &r.urls.WANHTTPS6},
	}
	for _, s := range specs {
		if s.addr == "" {
			continue
		}
		if err := r.serveListener(s); err != nil {
			return err
		}
	}
	return nil
}

// serveListener opens one listener and serves it in the background.
func (r *Router) serveListener(s listenerSpec) error {
	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		return fmt.Errorf("starting the router simulator on %s: %w", s.addr, err)
	}
	sl := &simListener{Listener: ln, r: r, wan: s.wan, tls: s.tls, v6: s.v6}
	var l net.Listener = sl
	scheme := "http"
	if s.tls {
		scheme = "https"
		l = tls.NewListener(sl, &tls.Config{Certificates: []tls.Certificate{r.cert}})
	}
	*s.url = scheme + "://" + shownAddr(ln.Addr().(*net.TCPAddr))
	if s.wan && s.tls && !s.v6 {
		r.wanHTTPS = shownAddr(ln.Addr().(*net.TCPAddr))
	}
	srv := &http.Server{
		Handler:           r.handler(s),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          log.New(io.Discard, "", 0),
	}
	r.servers = append(r.servers, srv)
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		srv.Serve(l)
	}()
	return nil
}

// shownAddr is host:port of a listener as a URL shows it: loopback for an
// unspecified address, brackets around IPv6.
func shownAddr(a *net.TCPAddr) string {
	ip := a.IP
	if ip.IsUnspecified() {
		if ip.To4() == nil {
			ip = net.IPv6loopback
		} else {
			ip = net.IPv4(127, 0, 0, 1)
		}
	}
	return net.JoinHostPort(ip.String(), strconv.Itoa(a.Port))
}

// closeConns cuts every open connection.
func (r *Router) closeConns() {
	r.mu.Lock()
	conns := make([]net.Conn, 0, len(r.conns))
	for c := range r.conns {
		conns = append(conns, c)
		delete(r.conns, c)
	}
	r.mu.Unlock()
	for _, c := range conns {
		c.Close()
	}
}

// simListener drops connections while rebooting, when asked to, and for WAN
// services that remote management leaves off; it tracks the others so that a
// reboot can cut them.
type simListener struct {
	net.Listener
	r            *Router
	wan, tls, v6 bool
}

// Accept returns the next connection the router takes.
func (l *simListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		r := l.r
		r.mu.Lock()
		drop := r.rebooting || (l.wan && r.wanServiceClosedLocked(l.tls, l.v6))
		if !drop && r.dropConns > 0 {
			r.dropConns--
			drop = true
		}
		if !drop {
			r.conns[c] = struct{}{}
		}
		r.mu.Unlock()
		if drop {
			c.Close()
			continue
		}
		return &trackedConn{Conn: c, r: r}, nil
	}
}

// wanServiceClosedLocked reports whether a WAN listener for HTTPS (tls) or
// HTTP closes connections: management from the Internet is on but the service
// is off, and for IPv4 HTTP no Enforce HTTPS redirect applies (drayos-web.md
// §3.6). The IPv6 listeners follow the IPv6 switches alone (§4.1).
func (r *Router) wanServiceClosedLocked(tls, v6 bool) bool {
	if v6 {
		m := r.running.Management.IPv6
		return m.Internet && ((tls && !m.HTTPS) || (!tls && !m.HTTP))
	}
	m := r.running.Management
	if !m.Internet {
		return false
	}
	if tls {
		return !m.HTTPS
	}
	return !m.HTTP && !m.EnforceHTTPS
}

// trackedConn forgets itself when closed.
type trackedConn struct {
	net.Conn
	r    *Router
	once sync.Once
}

// Close closes the connection.
func (c *trackedConn) Close() error {
	c.once.Do(func() {
		c.r.mu.Lock()
		delete(c.r.conns, c.Conn)
		c.r.mu.Unlock()
	})
	return c.Conn.Close()
}
