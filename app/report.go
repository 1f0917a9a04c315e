package app

import (
	"encoding/csv"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"

	"github.com/gatekey/gatekey/routerclient"
)

// AuditExport is a fleet audit as a person sends it on: one report per
// router (a router that could not be reached carries its error instead).
type AuditExport struct {
	Generated time.Time
	Routers   []AuditExportRouter
}

// AuditExportRouter is one router's part of an export.
type AuditExportRouter struct {
	Name   string
	Checks []routerclient.Check
	Err    string
}

// Badge grades the router's part as the routers list does; a router that
// could not be audited counts as critical.
func (r AuditExportRouter) Badge() Badge {
	if r.Err != "" {
		return BadgeCritical
	}
	return BadgeOf(&routerclient.AuditReport{Router: r.Name, Checks: r.Checks})
}

// NewAuditExport gathers the audit results of a fleet run.
func NewAuditExport(outcomes []FleetOutcome, generated time.Time) AuditExport {
	ex := AuditExport{Generated: generated}
	for _, o := range outcomes {
		r := AuditExportRouter{Name: o.Name}
		switch {
		case o.Err != nil:
			r.Err = o.Err.Error()
		case o.Audit != nil:
			r.Checks = o.Audit.Checks
		default:
			continue
		}
		ex.Routers = append(ex.Routers, r)
	}
	return ex
}

// WriteCSV writes one line per check: router, severity, id, title, fix.
// Cells that a spreadsheet would run as a formula are quoted with a
// leading apostrophe, since titles may carry text a router chose.
func (ex AuditExport) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"router", "severity", "check", "title", "fix"})
	for _, r := range ex.Routers {
		if r.Err != "" {
			_ = cw.Write(safeCells(r.Name, "unreachable", "reachable", r.Err, "check the address, the credentials and that management from here is allowed"))
			continue
		}
		for _, c := range r.Checks {
			_ = cw.Write(safeCells(r.Name, string(c.Severity), c.ID, c.Title, c.Fix))
		}
	}
	cw.Flush()
	return cw.Error()
}

func safeCells(cells ...string) []string {
	for i, c := range cells {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			cells[i] = "'" + c
		}
	}
	return cells
}

// WriteHTML writes a self-contained page (no script, no external file);
// html/template escapes everything the routers said.
func (ex AuditExport) WriteHTML(w io.Writer) error {
	return reportPage.Execute(w, ex)
}

var reportPage = template.Must(template.New("report").Funcs(template.FuncMap{
	"date": func(t time.Time) string { return t.Format("2 January 2006 15:04 MST") },
	"sev":  func(s routerclient.Severity) string { return string(s) },
	"count": func(ex AuditExport, b Badge) int {
		n := 0
		for _, r := range ex.Routers {
			if r.Badge() == b {
				n++
			}
		}
		return n
	},
}).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Router audit</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;color:#222}
h2{margin-top:1.6em}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #ddd;vertical-align:top}
.badge{display:inline-block;padding:1px 8px;border-radius:8px;font-size:90%;color:#fff}
.good,.ok{background:#2e7d32}.info{background:#546e7a}.warnings,.warning{background:#ef6c00}
.critical,.high{background:#c62828}
</style></head><body>
<h1>Router audit</h1>
<p>Made by Gatekey on {{date .Generated}}: {{len .Routers}} routers, {{count . "good"}} good, {{count . "warnings"}} with warnings, {{count . "critical"}} critical.
The checks follow DrayTek's hardening advice and its published firmware advisories.</p>
{{range .Routers}}<h2>{{.Name}} <span class="badge {{.Badge}}">{{.Badge}}</span></h2>
{{if .Err}}<p>Gatekey could not audit this router: {{.Err}}</p>
{{else}}<table><tr><th>Severity</th><th>Check</th><th>What to do</th></tr>
{{range .Checks}}<tr><td><span class="badge {{sev .Severity}}">{{sev .Severity}}</span></td><td>{{.Title}}</td><td>{{if ne (sev .Severity) "ok"}}{{.Fix}}{{end}}</td></tr>
{{end}}</table>{{end}}
{{end}}</body></html>
`))

// ReportName is a file name for an export made at t.
func ReportName(t time.Time, ext string) string {
	return fmt.Sprintf("router-audit-%s.%s", t.Format("2006-01-02-1504"), ext)
}
