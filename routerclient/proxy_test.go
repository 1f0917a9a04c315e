package routerclient

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/gatekey/gatekey/routersim"
)

// recordingProxy is an HTTP proxy on loopback that records every request
// it gets: CONNECT tunnels are spliced to their target, plain requests are
// answered 502.
type recordingProxy struct {
	srv  *http.Server
	url  string
	mu   sync.Mutex
	seen []string
}

func startRecordingProxy(t testing.TB) *recordingProxy {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &recordingProxy{url: "http://" + l.Addr().String()}
	p.srv = &http.Server{Handler: http.HandlerFunc(p.serve)}
	go p.srv.Serve(l)
	t.Cleanup(func() { p.srv.Close() })
	return p
}

func (p *recordingProxy) serve(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	p.seen = append(p.seen, r.Method+" "+r.Host)
	p.mu.Unlock()
	if r.Method != http.MethodConnect {
		http.Error(w, "proxy refuses plain requests", http.StatusBadGateway)
		return
	}
	target, err := net.Dial("tcp", r.Host)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	conn, rw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		target.Close()
		return
	}
	rw.WriteString("HTTP/1.1 200 Connection established\r\n\r\n")
	rw.Flush()
	go func() { io.Copy(target, rw); target.Close() }()
	io.Copy(conn, target)
	conn.Close()
}

func (p *recordingProxy) requests() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.seen...)
}

// unproxiedURL rewrites a loopback URL to 0.0.0.0, which Linux connects to
// the local host but which Go's environment proxy rules do not exempt as
// loopback: a client that honoured HTTP_PROXY would send it to the proxy.
func unproxiedURL(u string) string { return strings.Replace(u, "127.0.0.1", "0.0.0.0", 1) }

// With WithProxy, HTTPS goes through the proxy (and the pin still holds);
// plain HTTP never does.
func TestExplicitProxyOnlyForHTTPS(t *testing.T) {
	t.Parallel()
	r := startSim(t, routersim.Options{})
	proxy := startRecordingProxy(t)
	res, err := Probe(t.Context(), unproxiedURL(r.URLs().LANHTTPS), WithProxy(proxy.url), WithPin(r.Fingerprint()))
	if err != nil {
		t.Fatalf("HTTPS through the proxy: %v", err)
	}
	if *res.Fingerprint != r.Fingerprint() {
		t.Error("the fingerprint seen through the proxy is not the router's")
	}
	if got := proxy.requests(); len(got) != 1 || !strings.HasPrefix(got[0], "CONNECT ") {
		t.Fatalf("proxy saw %v, want one CONNECT", got)
	}
	if _, err := Probe(t.Context(), unproxiedURL(r.URLs().LANHTTP), WithProxy(proxy.url)); err != nil {
		t.Fatalf("plain HTTP beside an HTTPS proxy: %v", err)
	}
	if got := proxy.requests(); len(got) != 1 {
		t.Errorf("plain HTTP went through the proxy: %v", got)
	}
	if _, err := New(r.URLs().LANHTTPS, WithProxy("ftp://proxy")); err == nil {
		t.Error("a proxy URL of another scheme was accepted")
	}
}

// proxyChildEnv names the router URLs a child process probes with
// HTTP_PROXY and HTTPS_PROXY set; Go reads those once per process, so the
// check runs in a fresh one.
const proxyChildEnv = "GATEKEY_TEST_PROXY_CHILD"

func TestMain(m *testing.M) {
	if urls := os.Getenv(proxyChildEnv); urls != "" {
		os.Exit(proxyChild(urls))
	}
	os.Exit(m.Run())
}

// proxyChild probes each URL ("URL PIN" pairs separated by commas) with
// the proxy variables set and no WithProxy.
func proxyChild(urls string) int {
	for _, pair := range strings.Split(urls, ",") {
		u, pin, _ := strings.Cut(pair, " ")
		opts := []Option{}
		if pin != "" {
			opts = append(opts, WithPin(pin))
		}
		if _, err := Probe(context.Background(), u, opts...); err != nil {
			fmt.Fprintf(os.Stderr, "probe %s: %v\n", u, err)
			return 1
		}
	}
	return 0
}

// HTTP_PROXY and HTTPS_PROXY never route router requests.
func TestEnvironmentProxyIgnored(t *testing.T) {
	t.Parallel()
	r := startSim(t, routersim.Options{})
	proxy := startRecordingProxy(t)
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "HTTP_PROXY="+proxy.url, "HTTPS_PROXY="+proxy.url, "NO_PROXY=",
		proxyChildEnv+"="+unproxiedURL(r.URLs().LANHTTP)+" ,"+unproxiedURL(r.URLs().LANHTTPS)+" "+r.Fingerprint())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if got := proxy.requests(); len(got) != 0 {
		t.Errorf("the environment's proxy was used: %v", got)
	}
}
