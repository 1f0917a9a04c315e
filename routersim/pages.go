package routersim

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
)

// navItem is one link of the page menu.
type navItem struct {
	Label, URL string
}

// accessRow is one access-list input.
type accessRow struct {
	Index int
	Name  string
	Value string
}

// pageData is what every template may show.
type pageData struct {
	Title, Message  string
	Model, Firmware string
	Now             string
	Token           string
	Flash           string
	Nav             []navItem
	CB              string

	// Login page.
	ShowTOTP  bool
	TOTPField string
	Obj       []string

	// Management page.
	M      Management
	P      Ports
	Access []accessRow

	// Administrator Password page.
	Admin        AdminPageNames
	TOTPOK       bool
	TOTPEnabled  bool
	TOTPVerified bool
	Secret       string

	// Time and Date page.
	Time  TimeSettings
	Zones []int
}

// menu is the navigation menu in the order of the router's menu.
var menu = []struct{ label, fid string }{
	{"Dashboard", "1"}, {"System Status", "2015"}, {"Administrator Password", "2029"},
	{"Time and Date", "6"}, {"Management", "2041"}, {"Reboot System", "2201"},
	{"Configuration Backup", "2016"}, {"Web Console", "310"},
}

// pageDataLocked fills what every logged-in page shows; it takes the
// session's pending message.
func (r *Router) pageDataLocked(s *session, title string) pageData {
	d := pageData{
		Title: title, Model: r.opts.Model, Firmware: r.opts.Firmware,
		Now: r.clockLocked().UTC().Format("2006-01-02 15:04:05"), CB: r.opts.Names.CheckboxValue,
		M: r.running.Management, Admin: r.opts.Names.Admin, TOTPOK: r.totpOK,
	}
	if s != nil {
		d.Token, d.Flash, s.flash = s.token, s.flash, ""
		for _, m := range menu {
			d.Nav = append(d.Nav, navItem{m.label, navURL(s.token, m.fid)})
		}
		d.Nav = append(d.Nav, navItem{"Logout", "/cgi-bin/wlogout.cgi?sFormAuthStr=" + s.token})
	}
	return d
}

// render writes a page with status 200.
func (r *Router) render(c *call, name string, d pageData) {
	r.renderStatus(c, http.StatusOK, name, d)
}

// renderStatus writes a page; "blocked" and other plain messages use the
// message template.
func (r *Router) renderStatus(c *call, status int, name string, d pageData) {
	if name == "blocked" {
		name = "message"
	}
	var buf bytes.Buffer
	if err := pageTemplates.ExecuteTemplate(&buf, name, d); err != nil {
		http.Error(c.w, "500 Internal Server Error", http.StatusInternalServerError)
		return
	}
	c.w.Header().Set("Content-Type", "text/html; charset=utf-8")
	c.w.Header().Set("Cache-Control", "no-store")
	c.w.WriteHeader(status)
	c.w.Write(buf.Bytes())
}

// serveLoginPage is /weblogin.htm: title, fwver and model for detection, and
// the code input for WAN callers when TOTP is on (drayos-web.md §1, §3.1).
func (r *Router) serveLoginPage(c *call) {
	r.mu.Lock()
	d := pageData{Model: r.opts.Model, Firmware: r.opts.Firmware, TOTPField: r.opts.Names.TOTPField}
	d.ShowTOTP = c.wan && r.running.TOTP.Enabled
	r.mu.Unlock()
	for i := 3; i <= 7; i++ {
		name := fmt.Sprintf("obj%d", i)
		if !(d.ShowTOTP && name == d.TOTPField) {
			d.Obj = append(d.Obj, name)
		}
	}
	r.render(c, "login", d)
}

// serveDetectionOnly serves the DrayOS 5 and Linux families: a login page to
// detect them by, nothing else.
func (r *Router) serveDetectionOnly(c *call) {
	path := strings.ToLower(c.req.URL.Path)
	d := pageData{Model: r.opts.Model, Firmware: r.opts.Firmware}
	if r.opts.Family == FamilyLinux {
		c.w.Header().Set("Server", "DWS")
		if path == "/" || path == "/weblogin.htm" || path == "/index.htm" {
			r.render(c, "detect-linux", d)
			return
		}
	} else if path == "/" || path == "/weblogin.htm" {
		r.render(c, "detect-drayos5", d)
		return
	}
	http.NotFound(c.w, c.req)
}

// docPages maps /doc/ pages to their template and title.
var docPages = map[string]struct{ template, title string }{
	"dashboard.htm": {"dashboard", "Dashboard"},
	"status.htm":    {"status", "System Status"},
	"chglog.sht":    {"chglog", "Administrator Password"},
	"time.sht":      {"time", "Time and Date"},
	"acontrol.sht":  {"acontrol", "Management"},
	"rebootsys.sht": {"rebootsys", "Reboot System"},
	"cfgrest.htm":   {"cfgrest", "Configuration Backup"},
	"console.htm":   {"console", "Web Console"},
}

// serveDoc serves /doc/ pages, which need the cookie only.
func (r *Router) serveDoc(c *call, name string) {
	r.mu.Lock()
	s := r.sessionLocked(c)
	if s == nil {
		r.mu.Unlock()
		toLogin(c)
		return
	}
	if name == "qrcode.png" {
		secret := r.displayedSecretLocked(s)
		uri := totpURI(secret, r.running.AdminUser, r.opts.Model)
		r.mu.Unlock()
		if !r.totpOK {
			http.NotFound(c.w, c.req)
			return
		}
		img, err := qrPNG(uri, 240)
		if err != nil {
			http.Error(c.w, "500 Internal Server Error", http.StatusInternalServerError)
			return
		}
		c.w.Header().Set("Content-Type", "image/png")
		c.w.Header().Set("Cache-Control", "no-store")
		c.w.Write(img)
		return
	}
	p, ok := docPages[name]
	if !ok {
		r.mu.Unlock()
		http.NotFound(c.w, c.req)
		return
	}
	d := r.pageDataLocked(s, p.title)
	switch name {
	case "acontrol.sht":
		d.P = d.M.EffectivePorts()
		for i, v := range d.M.AccessList {
			d.Access = append(d.Access, accessRow{i + 1, fmt.Sprintf("index%d", i+1), v})
		}
	case "chglog.sht":
		if r.totpOK {
			d.Secret = r.displayedSecretLocked(s)
			d.TOTPEnabled = r.running.TOTP.Enabled
			d.TOTPVerified = s.verifiedSecret != "" && s.verifiedSecret == d.Secret
		}
	case "time.sht":
		d.Time = r.running.Time
		for z := 0; z <= 32; z++ {
			d.Zones = append(d.Zones, z)
		}
	}
	r.mu.Unlock()
	r.render(c, p.template, d)
}

// displayedSecretLocked is the secret the Administrator Password page shows:
// the enrolled one while TOTP is on, else a new random one kept for this
// session until it is enrolled.
func (r *Router) displayedSecretLocked(s *session) string {
	if r.running.TOTP.Enabled && r.running.TOTP.Secret != "" {
		return r.running.TOTP.Secret
	}
	if s.pendingSecret == "" {
		secret, err := newTOTPSecret()
		if err != nil {
			return ""
		}
		s.pendingSecret = secret
	}
	return s.pendingSecret
}
