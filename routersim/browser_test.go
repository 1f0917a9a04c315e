package routersim

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/gatekey/gatekey/internal/testenv"
)

// devtools drives a headless Chromium through the DevTools protocol on the
// pipe that --remote-debugging-pipe opens (file descriptors 3 and 4, one
// JSON message per NUL-terminated record), so that a test can type into
// the router's pages like a person, with the standard library alone.
type devtools struct {
	t       *testing.T
	in      *os.File // what Chromium reads
	out     *bufio.Reader
	outFile *os.File
	id      int
	session string
}

// startBrowser starts Chromium and attaches to a new blank tab.
func startBrowser(t *testing.T) *devtools {
	t.Helper()
	chromium := testenv.Tool(t, "chromium")
	toBrowser, browserIn, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	browserOut, fromBrowser, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	// The profile is not a t.TempDir: Chromium's helper processes may still
	// write to it for a moment after the browser closed.
	profile, err := os.MkdirTemp("", "routersim-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+profile, "--remote-debugging-pipe", "about:blank")
	cmd.ExtraFiles = []*os.File{toBrowser, fromBrowser}
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatalf("starting chromium: %v", err)
	}
	toBrowser.Close()
	fromBrowser.Close()
	t.Cleanup(func() {
		// Ask the browser to close, give it a moment, then make sure.
		browserIn.Write([]byte(`{"id":999999,"method":"Browser.close"}` + "\x00"))
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cancel()
			<-done
		}
		cancel()
		browserIn.Close()
		browserOut.Close()
		for i := 0; i < 20 && os.RemoveAll(profile) != nil; i++ {
			time.Sleep(100 * time.Millisecond)
		}
	})
	d := &devtools{t: t, in: browserIn, out: bufio.NewReader(browserOut), outFile: browserOut}
	var target struct{ TargetID string }
	d.call("Target.createTarget", map[string]any{"url": "about:blank"}, &target)
	var attached struct{ SessionID string }
	d.call("Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &attached)
	d.session = attached.SessionID
	return d
}

// call sends one command (to the tab once attached) and decodes its result,
// skipping the events that arrive in between.
func (d *devtools) call(method string, params map[string]any, result any) {
	d.t.Helper()
	if err := d.try(method, params, result); err != nil {
		d.t.Fatal(err)
	}
}

// try is call with the browser's refusal returned as an error.
func (d *devtools) try(method string, params map[string]any, result any) error {
	d.t.Helper()
	d.id++
	msg := map[string]any{"id": d.id, "method": method, "params": params}
	if d.session != "" {
		msg["sessionId"] = d.session
	}
	data, _ := json.Marshal(msg)
	if _, err := d.in.Write(append(data, 0)); err != nil {
		d.t.Fatalf("%s: %v", method, err)
	}
	d.outFile.SetReadDeadline(time.Now().Add(20 * time.Second))
	for {
		rec, err := d.out.ReadBytes(0)
		if err != nil {
			d.t.Fatalf("%s: reading the browser's answer: %v", method, err)
		}
		var reply struct {
			ID     int
			Result json.RawMessage
			Error  *struct{ Message string }
		}
		if json.Unmarshal(rec[:len(rec)-1], &reply) != nil || reply.ID != d.id {
			continue
		}
		if reply.Error != nil {
			return fmt.Errorf("%s: %s", method, reply.Error.Message)
		}
		if result != nil {
			json.Unmarshal(reply.Result, result)
		}
		return nil
	}
}

// eval runs JavaScript in the tab and returns its value as text.
func (d *devtools) eval(expr string) string {
	d.t.Helper()
	var res struct{ Result struct{ Value any } }
	d.call("Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true}, &res)
	return fmt.Sprint(res.Result.Value)
}

// open loads url and waits until the page has loaded.
func (d *devtools) open(url string) {
	d.t.Helper()
	d.call("Page.navigate", map[string]any{"url": url}, nil)
	d.waitFor("document.readyState === 'complete' && location.href === " + strconv.Quote(url))
}

// waitFor polls a JavaScript condition until it holds. A page that is
// navigating refuses to evaluate ("Inspected target navigated or
// closed"): that is a "not yet", like a false condition.
func (d *devtools) waitFor(cond string) {
	d.t.Helper()
	var last error
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		var res struct{ Result struct{ Value any } }
		last = d.try("Runtime.evaluate", map[string]any{"expression": "!!(" + cond + ")", "returnByValue": true}, &res)
		if last == nil && res.Result.Value == true {
			return
		}
	}
	d.t.Fatalf("the browser never met %s (last error: %v)", cond, last)
}

// TestBrowserUsesThePages logs in through the login page's own inputs and
// script in a real browser, then saves the Management form, whose stale
// token the page's script replaces (drayos-web.md §3.2, §4).
func TestBrowserUsesThePages(t *testing.T) {
	r := startRouter(t, Options{AdminPassword: "pässword"})
	b := startBrowser(t)
	base := r.URLs().LANHTTP
	b.open(base + "/weblogin.htm")
	b.eval(`document.getElementById("sUserName").value = "admin";
		document.getElementById("sSysPass").value = "pässword";
		document.getElementById("btnOk").click();`)
	b.waitFor(`location.pathname === "/" && document.readyState === "complete"`)
	if !r.LoggedIn() || r.LoginAttempts() != 1 {
		t.Fatalf("the login page's script did not log in: attempts %d", r.LoginAttempts())
	}
	b.open(base + "/doc/acontrol.sht")
	b.eval(`document.getElementById("sRMC").checked = true; document.forms.acontrol.submit();`)
	for deadline := time.Now().Add(10 * time.Second); !r.Snapshot().Management.Internet; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the browser's save did not apply (was the page's token replaced?)")
		}
	}
	if rep := r.Repeated(); len(rep) != 0 {
		t.Fatalf("the browser sent fields twice: %+v", rep)
	}
}
