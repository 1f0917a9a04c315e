package routersim

import "html/template"

// checkbox is one check box as a form writes it.
type checkbox struct {
	Name, Label string
	Checked     bool
	Value       string
	HasValue    bool
}

// box builds a check box with the configured value attribute.
func box(value, name, label string, checked bool) checkbox {
	return checkbox{Name: name, Label: label, Checked: checked, Value: value, HasValue: value != CheckboxNoValue}
}

// pageTemplates are every page, escaped by html/template. The labels follow
// DrayTek's documented wording (drayos-web.md §3.2, §4.1, §4.2); the pages
// are split by topic over the templates*.go files.
var pageTemplates = template.Must(template.New("").Funcs(template.FuncMap{"box": box}).Parse(
	baseTemplates + loginTemplate + managementTemplate + adminTemplates + objectTemplate + backupTemplate))

// baseTemplates are the pieces every page uses and the pages outside a
// session.
const baseTemplates = `
{{define "cb"}}<label for="{{.Name}}"><input type="checkbox" name="{{.Name}}" id="{{.Name}}"{{if .HasValue}} value="{{.Value}}"{{end}}{{if .Checked}} checked{{end}}> {{.Label}}</label>{{end}}

{{define "style"}}<style>
body{font-family:Arial,Helvetica,sans-serif;font-size:14px;margin:0;background:#f3f5f8;color:#222}
.top{background:#1d4f91;color:#fff;padding:8px 16px;font-size:18px}
.top span{font-size:13px;margin-left:16px;color:#dbe6f5}
.menu{float:left;width:190px;background:#e3e9f2;min-height:100vh;padding:8px 0}
.menu a{display:block;padding:5px 14px;color:#1d4f91;text-decoration:none}
.main{margin-left:200px;padding:10px 18px}
h1{font-size:18px;color:#1d4f91;border-bottom:1px solid #1d4f91;padding-bottom:4px}
h2{font-size:15px;background:#dfe7f3;padding:4px 6px;margin:14px 0 6px}
table{border-collapse:collapse}
td{padding:3px 8px;vertical-align:top}
.flash{background:#fff3c4;border:1px solid #e0c060;padding:6px;margin:6px 0}
.secret{font-family:monospace;font-size:15px}
input[type=submit]{padding:3px 18px}
</style>{{end}}

{{define "head"}}<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{.Title}}</title>{{template "style"}}
<script>
document.addEventListener("DOMContentLoaded",function(){
  var t=sessionStorage.getItem("sFormAuthStr"),l=document.getElementsByName("sFormAuthStr");
  for(var i=0;t&&i<l.length;i++){l[i].value=t;}
});
</script></head>
<body><div class="top">{{.Model}} <span>Firmware {{.Firmware}}</span><span>System time {{.Now}}</span></div>
<div class="menu">{{range .Nav}}<a href="{{.URL}}">{{.Label}}</a>{{end}}</div>
<div class="main"><h1>{{.Title}}</h1>{{if .Flash}}<p class="flash" id="flash">{{.Flash}}</p>{{end}}{{end}}

{{define "foot"}}</div></body></html>{{end}}

{{define "restarting"}}<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Reboot System</title>{{template "style"}}</head>
<body><div class="top">{{.Model}}</div><div class="main" style="margin-left:40px">
<h1>Reboot System</h1><p>Router is restarting... Please wait and log in again.</p></div></body></html>{{end}}

{{define "message"}}<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{.Title}}</title>{{template "style"}}</head>
<body><div class="main" style="margin-left:40px"><h1>{{.Title}}</h1><p>{{.Message}}</p></div></body></html>{{end}}

{{define "detect-drayos5"}}<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Vigor Login Page</title>
<script>var config = {fwver:"{{.Firmware}}", model:"{{.Model}}"};</script></head>
<body><div id="app"><h1>{{.Model}}</h1><p>Loading the login form...</p></div>
<script src="/js/app.js"></script></body></html>{{end}}

{{define "detect-linux"}}<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Vigor Login Page</title>
<script src="/scripts/rsa.js"></script><script src="/scripts/md5.js"></script></head>
<body><h1>{{.Model}}</h1>
<form method="post" action="/cgi-bin/mainfunction.cgi">
<input type="text" name="user"> <input type="password" name="pass"> <input type="submit" value="Login">
</form></body></html>{{end}}
`
