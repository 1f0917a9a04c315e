package ui

import (
	"testing"

	"github.com/gatekey/gatekey/app"
	"github.com/gatekey/gatekey/routersim"
)

// Plain HTTP to an outside address on the Internet is saved only after the
// person agrees, and the agreement is remembered with that address; an
// https:// address is saved without a question.
func TestPlainHTTPWANAddressAsksFirst(t *testing.T) {
	_, d, v := routerWindow(t)
	r := startSim(t, routersim.Options{})
	if err := d.Routers().Add(t.Context(), app.NewRouter{Name: "office", URL: r.URLs().LANHTTPS, User: "admin", Password: "admin", Fingerprint: r.Fingerprint()}); err != nil {
		t.Fatal(err)
	}
	v.reload()
	v.openDetails("office")
	det := v.detail

	det.wan.SetText("https://203.0.113.9")
	det.onSaveWAN()
	if rec, _ := d.Routers().Get("office"); det.wanDialog != nil || rec.WANURL != "https://203.0.113.9" {
		t.Fatalf("https: asked %v, saved %q", det.wanDialog != nil, rec.WANURL)
	}

	det.wan.SetText("http://203.0.113.9:8080")
	det.onSaveWAN()
	if det.wanDialog == nil {
		t.Fatal("plain HTTP to a public address saved without a question")
	}
	if rec, _ := d.Routers().Get("office"); rec.WANURL != "https://203.0.113.9" || rec.WANPlainHTTP {
		t.Fatalf("saved before the answer: %q, plain HTTP allowed %v", rec.WANURL, rec.WANPlainHTTP)
	}
	det.wanDialog.Confirm()
	if rec, _ := d.Routers().Get("office"); rec.WANURL != "http://203.0.113.9:8080" || !rec.WANPlainHTTP {
		t.Fatalf("after agreeing: %q, plain HTTP allowed %v", rec.WANURL, rec.WANPlainHTTP)
	}
}
