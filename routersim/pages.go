package routersim

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
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
	// Token is the session's token, for navigation links; FormToken is what
	// the forms' hidden sFormAuthStr holds: never the session's token, as on
	// a page rendered before its script ran (drayos-web.md §4).
	Token, FormToken string
	Flash            string
	Nav              []navItem
	CB               string

	// Login page.
	ShowTOTP       bool
	TOTPField      string
	ObjFields      []string
	ShowValidCode  bool
	ValidCodeField string
	ValidCodeURL   string

	// Management page.
	M        Management
	P        Ports
	Access   []accessRow
	V6Access []accessRow

	// Administrator Password page.
	Admin        AdminPageNames
	TOTPOK       bool
	TOTPEnabled  bool
	TOTPVerified bool
	Secret       string

	// Time and Date page.
	Time  TimeSettings
	Zones []int

	// IP Object page.
	ObjIdx      int
	Obj         IPObject
	IntfOptions []option
	TypeOptions []option
	ObjRows     []objectRow

	// Configuration Backup page.
	BackupForm bool
	BackupCGI  string
}

// menu is the navigation menu in the order of the router's menu; the backup
// entry is added per firmware.
var menu = []struct{ label, fid string }{
	{"Dashboard", "1"}, {"System Status", "2015"}, {"Administrator Password", "2029"},
	{"Time and Date", "6"}, {"Management", "2041"}, {"IP Object", "2301"}, {"Reboot System", "2201"},
}

// pageDataLocked fills what every logged-in page shows; it takes the
// session's pending message.
func (r *Router) pageDataLocked(s *session, title string) pageData {
	d := pageData{
		Title: title, Model: r.opts.Model, Firmware: r.opts.Firmware,
		Now: r.clockLocked().UTC().Format("2006-01-02 15:04:05"), CB: r.opts.Names.CheckboxValue,
		M: r.running.Management, Admin: r.opts.Names.Admin, TOTPOK: r.totpOK,
		FormToken: randomAlnum(15),
	}
	if s != nil {
		d.Token, d.Flash, s.flash = s.token, s.flash, ""
		for _, m := range menu {
			d.Nav = append(d.Nav, navItem{m.label, navURL(s.token, m.fid)})
		}
		b := r.backupPage()
		d.Nav = append(d.Nav, navItem{b.title, navURL(s.token, b.fid)}, navItem{"Web Console", navURL(s.token, "310")},
			navItem{"Logout", "/cgi-bin/wlogout.cgi?sFormAuthStr=" + s.token})
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

// serveLoginPage is /weblogin.htm: title, fwver and (unless the options hide
// it) the model for detection (drayos-web.md §1), the person-facing inputs
// (§3.2), the code input for WAN callers when TOTP is on (§3.1), and the
// Validation Code picture and input when it is on, with a new code.
func (r *Router) serveLoginPage(c *call) {
	r.mu.Lock()
	d := pageData{Model: r.opts.Model, Firmware: r.opts.Firmware, TOTPField: r.opts.Names.TOTPField,
		ValidCodeField: r.opts.Names.ValidCodeField}
	d.ShowTOTP = c.wan && r.running.TOTP.Enabled
	if r.running.Management.ValidationCode {
		r.validCode = newValidCode()
		d.ShowValidCode = true
		d.ValidCodeURL = "/cgi-bin/" + validCodeCGI + "?r=" + randomAlnum(8)
	}
	r.mu.Unlock()
	if r.opts.LoginPageWithoutModel {
		d.Model = ""
	}
	for i := 3; i <= 7; i++ {
		name := fmt.Sprintf("obj%d", i)
		if !(d.ShowTOTP && name == d.TOTPField) {
			d.ObjFields = append(d.ObjFields, name)
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

// docPage is one /doc/ page: its template, its title, and what it adds to
// the page data.
type docPage struct {
	template, title string
	fill            func(r *Router, c *call, s *session, d *pageData)
}

// docPages maps the /doc/ pages to what serves them.
func (r *Router) docPages() map[string]docPage {
	b := r.backupPage()
	return map[string]docPage{
		"dashboard.htm": {"dashboard", "Dashboard", nil},
		"status.htm":    {"status", "System Status", nil},
		"chglog.sht":    {"chglog", "Administrator Password", fillAdminLocked},
		"time.sht":      {"time", "Time and Date", fillTimeLocked},
		"acontrol.sht":  {"acontrol", "Management", fillManagementLocked},
		"rebootsys.sht": {"rebootsys", "Reboot System", nil},
		"objip.sht":     {"objip", "IP Object", fillObjectsLocked},
		"console.htm":   {"console", "Web Console", nil},
		b.doc:           {"cfgrest", b.title, fillBackupLocked},
	}
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
		r.serveQRLocked(c, s) // unlocks
		return
	}
	p, ok := r.docPages()[name]
	if !ok {
		r.mu.Unlock()
		http.NotFound(c.w, c.req)
		return
	}
	if name == r.backupPage().doc && r.backupFault == BackupFaultPageError {
		r.mu.Unlock()
		http.Error(c.w, "500 Internal Server Error", http.StatusInternalServerError)
		return
	}
	d := r.pageDataLocked(s, p.title)
	if p.fill != nil {
		p.fill(r, c, s, &d)
	}
	r.mu.Unlock()
	r.render(c, p.template, d)
}

// fillManagementLocked adds the ports and both access lists.
func fillManagementLocked(r *Router, _ *call, _ *session, d *pageData) {
	d.P = d.M.EffectivePorts()
	for i, v := range d.M.AccessList {
		d.Access = append(d.Access, accessRow{i + 1, fmt.Sprintf("index%d", i+1), v})
	}
	for i, v := range d.M.IPv6.AccessList {
		d.V6Access = append(d.V6Access, accessRow{i + 1, fmt.Sprintf("v6index%d", i+1), v})
	}
}

// fillAdminLocked adds the TOTP part of the Administrator Password page.
func fillAdminLocked(r *Router, _ *call, s *session, d *pageData) {
	if r.totpOK {
		d.Secret = r.displayedSecretLocked(s)
		d.TOTPEnabled = r.running.TOTP.Enabled
		d.TOTPVerified = s.verifiedSecret != "" && s.verifiedSecret == d.Secret
	}
}

// fillTimeLocked adds the time settings and the zones to choose from.
func fillTimeLocked(r *Router, _ *call, _ *session, d *pageData) {
	d.Time = r.running.Time
	for z := 0; z <= 32; z++ {
		d.Zones = append(d.Zones, z)
	}
}

// fillObjectsLocked adds the object the form edits (?idx=N, else the first
// free one) and the table of all objects.
func fillObjectsLocked(r *Router, c *call, _ *session, d *pageData) {
	idx, _ := strconv.Atoi(c.req.URL.Query().Get("idx"))
	r.objectPageLocked(d, idx)
}

// fillBackupLocked adds the backup form, unless a fault hides it.
func fillBackupLocked(r *Router, _ *call, _ *session, d *pageData) {
	d.BackupForm = r.backupFault != BackupFaultNoForm
	d.BackupCGI = r.backupPage().cgi
}

// serveQRLocked serves the Administrator Password page's QR code; it is
// called with the lock held and releases it.
func (r *Router) serveQRLocked(c *call, s *session) {
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
