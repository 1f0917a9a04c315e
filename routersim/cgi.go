package routersim

import (
	"net/http"
	"strings"
)

// serveCGI routes /cgi-bin/NAME (case-insensitive). The login and the
// Validation Code picture need no session; everything else needs the
// session and its token.
func (r *Router) serveCGI(c *call, name string) {
	switch name {
	case "wlogin.cgi":
		r.serveLogin(c)
		return
	case validCodeCGI:
		r.serveValidCode(c)
		return
	}
	r.mu.Lock()
	s := r.cgiSessionLocked(c)
	var token string
	if s != nil {
		token = s.token
	}
	r.mu.Unlock()
	if s == nil {
		toLogin(c)
		return
	}
	r.serveSessionCGI(c, name, token)
}

// serveSessionCGI routes the CGIs of a logged-in caller.
func (r *Router) serveSessionCGI(c *call, name, token string) {
	switch name {
	case "wlogout.cgi":
		r.serveLogout(c)
	case "v2x00.cgi":
		r.serveV2x00(c, token)
	case "cgidashboard.cgi":
		redirect(c, "/doc/dashboard.htm")
	case "acontrol.cgi":
		r.saveManagement(c)
	case "chglog.cgi":
		r.saveAdmin(c, token)
	case "time.cgi":
		r.saveTime(c, token)
	case "reboot.cgi":
		r.saveReboot(c)
	case "objip.cgi":
		r.saveObject(c, token)
	case r.backupPage().cgi:
		r.serveBackup(c)
	case "cfgrestore.cgi":
		r.serveRestore(c)
	default:
		http.NotFound(c.w, c.req)
	}
}

// serveV2x00 is the navigation (GET) and the web console (POST, fid=310).
func (r *Router) serveV2x00(c *call, token string) {
	if c.req.Method == http.MethodPost {
		if c.req.PostForm.Get("fid") != "310" {
			http.Error(c.w, "400 Bad Request: unknown fid", http.StatusBadRequest)
			return
		}
		r.serveConsole(c)
		return
	}
	fid := strings.TrimSpace(c.req.URL.Query().Get("fid"))
	if fid == "1" {
		redirect(c, "/cgi-bin/cgidashboard.cgi?sFormAuthStr="+token)
		return
	}
	page, ok := r.pageOfFID(fid)
	if !ok {
		http.NotFound(c.w, c.req)
		return
	}
	redirect(c, "/doc/"+page)
}

// pageOfFID maps a navigation fid to its /doc/ page (drayos-web.md §4).
func (r *Router) pageOfFID(fid string) (string, bool) {
	pages := map[string]string{
		"2015": "status.htm",
		"2029": "chglog.sht",
		"6":    "time.sht",
		"2041": "acontrol.sht",
		"2201": "rebootsys.sht",
		"2301": "objip.sht",
		"310":  "console.htm",
	}
	b := r.backupPage()
	pages[b.fid] = b.doc
	p, ok := pages[fid]
	return p, ok
}

// navURL is the navigation URL of a fid for a session's token.
func navURL(token, fid string) string {
	return "/cgi-bin/v2x00.cgi?sFormAuthStr=" + token + "&fid=" + fid
}
