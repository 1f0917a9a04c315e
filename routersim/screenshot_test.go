package routersim

import (
	"bytes"
	"context"
	"encoding/base64"
	"html/template"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/gatekey/gatekey/internal/testenv"
)

// TestScreenshotManagementPage has Chromium log in and open the Management
// page, and checks that the screenshot shows a page (not a blank or an error
// screen). Headless Chromium's --screenshot takes no cookie, so a helper page
// on another loopback port (the same site) posts the browser login to
// wlogin.cgi, which sets the session cookie in the browser, then navigates
// with the token it chose, as the router's own login page does.
func TestScreenshotManagementPage(t *testing.T) {
	chromium := testenv.Tool(t, "chromium")
	r := startRouter(t, Options{})
	if err := r.Update(func(s *State) {
		s.Management.Internet, s.Management.HTTPS = true, true
		s.Objects[0] = IPObject{Name: "office", Type: ObjectSubnet, Start: "203.0.113.0", Mask: "255.255.255.0"}
		s.Management.AccessList[0] = "1"
	}); err != nil {
		t.Fatal(err)
	}
	sim := r.URLs().LANHTTP
	token := newToken()
	helper := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		pageTmpl.Execute(w, map[string]string{
			"Login": sim + "/cgi-bin/wlogin.cgi",
			"AA":    base64.StdEncoding.EncodeToString([]byte("admin")),
			"AB":    base64.StdEncoding.EncodeToString([]byte("admin")),
			"Token": token,
			"Page":  sim + "/cgi-bin/v2x00.cgi?sFormAuthStr=" + token + "&fid=2041",
		})
	}))
	defer helper.Close()

	dir := t.TempDir()
	shot := filepath.Join(dir, "management.png")
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--window-size=1100,1400",
		"--virtual-time-budget=5000", "--screenshot="+shot, helper.URL)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("chromium: %v\n%s", err, out)
	}
	t.Logf("screenshot of the Management page: %s", shot)
	// ROUTERSIM_KEEP_SCREENSHOT=FILE keeps a copy for a person to look at.
	if keep := os.Getenv("ROUTERSIM_KEEP_SCREENSHOT"); keep != "" {
		if data, err := os.ReadFile(shot); err == nil {
			os.WriteFile(keep, data, 0o600)
		}
	}

	// The browser logged in and read the Management page.
	by := r.RequestsByPath()
	if by["/cgi-bin/wlogin.cgi"] != 1 || by["/doc/acontrol.sht"] < 1 || !r.LoggedIn() {
		t.Fatalf("the browser did not reach the Management page: %v", by)
	}
	data, err := os.ReadFile(shot)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	checkNotBlank(t, img)
}

// pageTmpl is the helper page: a browser form posts the login into a hidden
// frame (the router sets its cookie in the browser), then a full-size frame
// opens the Management page through v2x00.cgi.
var pageTmpl = template.Must(template.New("").Parse(`<!DOCTYPE html>
<html><head><style>body{margin:0;overflow:hidden}iframe{border:0}</style></head><body>
<iframe name="login" id="login" style="display:none"></iframe>
<form id="f" method="post" action="{{.Login}}" target="login">
<input type="hidden" name="aa" value="{{.AA}}"><input type="hidden" name="ab" value="{{.AB}}">
<input type="hidden" name="sFormAuthStr" value="{{.Token}}"><input type="hidden" name="sslgroup" value="-1">
</form>
<script>
var opened = false;
document.getElementById("login").onload = function () {
  if (opened) { return; }
  opened = true;
  var p = document.createElement("iframe");
  p.src = "{{.Page}}";
  p.style.width = "100%";
  p.style.height = "100vh";
  document.body.appendChild(p);
};
document.getElementById("f").submit();
</script></body></html>`))

// checkNotBlank fails unless the image has the page's blue header and a fair
// share of dark (text) pixels.
func checkNotBlank(t *testing.T, img image.Image) {
	t.Helper()
	b := img.Bounds()
	var dark, blue, total int
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			r8, g8, b8 := cr>>8, cg>>8, cb>>8
			total++
			if r8 < 100 && g8 < 100 && b8 < 100 {
				dark++
			}
			if r8 < 60 && g8 > 60 && g8 < 100 && b8 > 120 && b8 < 170 {
				blue++
			}
		}
	}
	if dark < total/400 || blue < total/200 {
		t.Fatalf("the screenshot looks blank: %d dark and %d header pixels of %d", dark, blue, total)
	}
}
