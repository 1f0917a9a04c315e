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
// DrayTek's documented wording (drayos-web.md §4.1, §4.2).
var pageTemplates = template.Must(template.New("").Funcs(template.FuncMap{"box": box}).Parse(`
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
<html><head><meta charset="utf-8"><title>{{.Title}}</title>{{template "style"}}</head>
<body><div class="top">{{.Model}} <span>Firmware {{.Firmware}}</span><span>System time {{.Now}}</span></div>
<div class="menu">{{range .Nav}}<a href="{{.URL}}">{{.Label}}</a>{{end}}</div>
<div class="main"><h1>{{.Title}}</h1>{{if .Flash}}<p class="flash" id="flash">{{.Flash}}</p>{{end}}{{end}}

{{define "foot"}}</div></body></html>{{end}}

{{define "login"}}<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Vigor Login Page</title>{{template "style"}}
<script>var sysinfo = {fwver:"{{.Firmware}}", model:"{{.Model}}"};</script>
</head><body>
<div class="top">DrayTek <span>Firmware {{.Firmware}}</span></div>
<div class="main" style="margin-left:40px">
<h1 id="model">{{.Model}}</h1>
<form name="login" method="post" action="/cgi-bin/wlogin.cgi" onsubmit="return sendLogin(this)">
<table>
<tr><td><label for="sUserName">Username</label></td><td><input type="text" name="sUserName" id="sUserName" autocomplete="username"></td></tr>
<tr><td><label for="sSysPass">Password</label></td><td><input type="password" name="sSysPass" id="sSysPass" autocomplete="current-password"></td></tr>
{{if .ShowTOTP}}<tr><td><label for="{{.TOTPField}}">2FA Code (TOTP)</label></td><td><input type="text" name="{{.TOTPField}}" id="{{.TOTPField}}" inputmode="numeric" autocomplete="one-time-code" placeholder="6-digit code"></td></tr>{{end}}
</table>
<input type="hidden" name="aa" value="">
<input type="hidden" name="ab" value="">
<input type="hidden" name="sFormAuthStr" value="">
<input type="hidden" name="sslgroup" value="-1">
{{range .Obj}}<input type="hidden" name="{{.}}" value="">
{{end}}<input type="submit" value="Login">
</form>
<p>Copyright &copy; DrayTek Corp. All Rights Reserved.</p>
</div>
<script>
function b64(s){return btoa(unescape(encodeURIComponent(s)));}
function sendLogin(f){
  var a="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",r=new Uint8Array(15),t="";
  crypto.getRandomValues(r);
  for(var i=0;i<15;i++){t+=a.charAt(r[i]%62);}
  f.aa.value=b64(f.sUserName.value);
  f.ab.value=b64(f.sSysPass.value);
  f.sFormAuthStr.value=t;
  f.sUserName.disabled=true;
  f.sSysPass.disabled=true;
  return true;
}
</script>
</body></html>{{end}}

{{define "dashboard"}}{{template "head" .}}
<table>
<tr><td>Model Name</td><td id="modelName">{{.Model}}</td></tr>
<tr><td>Firmware Version</td><td>{{.Firmware}}</td></tr>
<tr><td>System Time</td><td>{{.Now}}</td></tr>
<tr><td>Management from the Internet</td><td>{{if .M.Internet}}Enabled{{else}}Disabled{{end}}</td></tr>
</table>
{{template "foot"}}{{end}}

{{define "status"}}{{template "head" .}}
<table>
<tr><td>Model Name</td><td>{{.Model}}</td></tr>
<tr><td>Firmware Version</td><td>{{.Firmware}}</td></tr>
<tr><td>Build Date/Time</td><td>Jan  6 2026 10:00:00</td></tr>
<tr><td>System Date</td><td id="systemTime">{{.Now}}</td></tr>
</table>
{{template "foot"}}{{end}}

{{define "cfgrest"}}{{template "head" .}}
<p>Backup and restore of the configuration file are done from a browser on a real router; the simulator keeps its configuration in its state folder.</p>
{{template "foot"}}{{end}}

{{define "console"}}{{template "head" .}}
<form method="post" action="../cgi-bin/v2x00.cgi">
<input type="hidden" name="sFormAuthStr" value="{{.Token}}">
<input type="hidden" name="fid" value="310">
<label for="cmd">Command</label> <input type="text" name="cmd" id="cmd" size="60">
<input type="submit" value="Send">
</form>
{{template "foot"}}{{end}}

{{define "acontrol"}}{{template "head" .}}
<form name="acontrol" method="post" action="../cgi-bin/acontrol.cgi">
<input type="hidden" name="sFormAuthStr" value="{{.Token}}">
<input type="hidden" name="webchange" value="1">
<h2>Internet Management</h2>
<table>
<tr><td colspan="2">{{template "cb" (box .CB "sRMC" "Allow management from the Internet" .M.Internet)}}</td></tr>
<tr><td></td><td>
{{template "cb" (box .CB "sRMCFtp" "FTP Server" .M.FTP)}}<br>
{{template "cb" (box .CB "sRMCHttp" "HTTP Server" .M.HTTP)}}<br>
{{template "cb" (box .CB "iRMCHsfrc" "Enforce HTTPS Access" .M.EnforceHTTPS)}}<br>
{{template "cb" (box .CB "sRMCHttps" "HTTPS Server" .M.HTTPS)}}<br>
{{template "cb" (box .CB "sRMCTelnet" "Telnet Server" .M.Telnet)}}<br>
{{template "cb" (box .CB "sRMCTr069" "TR069 Server" .M.TR069)}}<br>
{{template "cb" (box .CB "sRMCSsh" "SSH Server" .M.SSH)}}<br>
{{template "cb" (box .CB "sRMCSnmp" "SNMP Server" .M.SNMP)}}
</td></tr>
<tr><td colspan="2">{{template "cb" (box .CB "sWPing" "Disable PING from the Internet" (not .M.Ping))}}</td></tr>
</table>
<h2>Access List from the Internet</h2>
<table>
<tr><td>Index</td><td>IP Address / CIDR</td></tr>
{{range .Access}}<tr><td><label for="{{.Name}}">{{.Index}}</label></td><td><input type="text" name="{{.Name}}" id="{{.Name}}" value="{{.Value}}" size="20"></td></tr>
{{end}}</table>
<h2>Management Port Setup</h2>
<table>
<tr><td colspan="2"><label><input type="radio" name="ConfigPort" value="Default"{{if not .M.UserDefinedPorts}} checked{{end}}> Default Ports</label>
<label><input type="radio" name="ConfigPort" value="UserDefine"{{if .M.UserDefinedPorts}} checked{{end}}> User Define Ports</label></td></tr>
<tr><td><label for="HttpPort">HTTP Port</label></td><td><input type="text" name="HttpPort" id="HttpPort" value="{{.P.HTTP}}" size="6"></td></tr>
<tr><td><label for="HttpsPort">HTTPS Port</label></td><td><input type="text" name="HttpsPort" id="HttpsPort" value="{{.P.HTTPS}}" size="6"></td></tr>
<tr><td><label for="TelnetPort">Telnet Port</label></td><td><input type="text" name="TelnetPort" id="TelnetPort" value="{{.P.Telnet}}" size="6"></td></tr>
<tr><td><label for="txtFtpPort">FTP Port</label></td><td><input type="text" name="txtFtpPort" id="txtFtpPort" value="{{.P.FTP}}" size="6"></td></tr>
<tr><td><label for="txtTr069Port">TR069 Port</label></td><td><input type="text" name="txtTr069Port" id="txtTr069Port" value="{{.P.TR069}}" size="6"></td></tr>
<tr><td><label for="txtSshPort">SSH Port</label></td><td><input type="text" name="txtSshPort" id="txtSshPort" value="{{.P.SSH}}" size="6"></td></tr>
</table>
<h2>Brute Force Protection</h2>
<table>
<tr><td colspan="2">{{template "cb" (box .CB "iBrEn" "Enable brute force login protection" .M.BruteForce.Enabled)}}</td></tr>
<tr><td></td><td>
{{template "cb" (box .CB "iBrFtp" "FTP Server" .M.BruteForce.FTP)}}
{{template "cb" (box .CB "iBrHttp" "HTTP Server" .M.BruteForce.HTTP)}}
{{template "cb" (box .CB "iBrHttps" "HTTPS Server" .M.BruteForce.HTTPS)}}
{{template "cb" (box .CB "iBrTelnet" "Telnet Server" .M.BruteForce.Telnet)}}
{{template "cb" (box .CB "iBrTr069" "TR069 Server" .M.BruteForce.TR069)}}
{{template "cb" (box .CB "iBrSsh" "SSH Server" .M.BruteForce.SSH)}}
</td></tr>
<tr><td><label for="iLoginFailures">Maximum login failures</label></td><td><input type="text" name="iLoginFailures" id="iLoginFailures" value="{{.M.BruteForce.Failures}}" size="4"> times</td></tr>
<tr><td><label for="iPenaltyPeriod">Penalty period</label></td><td><input type="text" name="iPenaltyPeriod" id="iPenaltyPeriod" value="{{.M.BruteForce.PenaltySeconds}}" size="6"> seconds</td></tr>
</table>
<h2>TLS/SSL Encryption Setup</h2>
<p>{{template "cb" (box .CB "enTLSv1_2" "Enable TLS 1.2" .M.TLS.TLS12)}}
{{template "cb" (box .CB "enTLSv1_1" "Enable TLS 1.1" .M.TLS.TLS11)}}
{{template "cb" (box .CB "enTLSv1" "Enable TLS 1.0" .M.TLS.TLS10)}}
{{template "cb" (box .CB "enSSLv3" "Enable SSL 3.0" .M.TLS.SSL3)}}</p>
<h2>Auto-Logout</h2>
<p>{{template "cb" (box .CB "sDeflogoff" "Disable auto-logout" .M.AutoLogoutOff)}}</p>
<p><input type="submit" value="OK"></p>
</form>
{{template "foot"}}{{end}}

{{define "chglog"}}{{template "head" .}}
<form name="chglog" method="post" action="../cgi-bin/chglog.cgi">
<input type="hidden" name="sFormAuthStr" value="{{.Token}}">
<input type="hidden" name="webchange" value="1">
<h2>Administrator Password</h2>
<table>
<tr><td><label for="{{.Admin.OldPassword}}">Old Password</label></td><td><input type="password" name="{{.Admin.OldPassword}}" id="{{.Admin.OldPassword}}" autocomplete="current-password"></td></tr>
<tr><td><label for="{{.Admin.NewPassword}}">New Password</label></td><td><input type="password" name="{{.Admin.NewPassword}}" id="{{.Admin.NewPassword}}" autocomplete="new-password"></td></tr>
<tr><td><label for="{{.Admin.ConfirmPassword}}">Confirm Password</label></td><td><input type="password" name="{{.Admin.ConfirmPassword}}" id="{{.Admin.ConfirmPassword}}" autocomplete="new-password"></td></tr>
</table>
{{if .TOTPOK}}<h2>Advanced Authentication</h2>
<table>
<tr><td colspan="2">{{template "cb" (box .CB .Admin.TOTPEnable "Enable Advanced Authentication method when login from WAN" .TOTPEnabled)}}</td></tr>
<tr><td colspan="2"><label><input type="radio" name="{{.Admin.TOTPMethod}}" value="TOTP" checked> Time-based One-time Password (TOTP)</label></td></tr>
<tr><td><label for="{{.Admin.TOTPSecret}}">Secret</label></td><td><input type="text" name="{{.Admin.TOTPSecret}}" id="{{.Admin.TOTPSecret}}" value="{{.Secret}}" size="40" readonly> <span class="secret" id="totpSecretText">{{.Secret}}</span></td></tr>
<tr><td>QR code</td><td><img src="qrcode.png" id="totpQR" alt="QR code of the TOTP secret" width="200" height="200"></td></tr>
<tr><td><label for="{{.Admin.TOTPCode}}">Validation code</label></td><td><input type="text" name="{{.Admin.TOTPCode}}" id="{{.Admin.TOTPCode}}" size="8" inputmode="numeric" autocomplete="off"> <input type="submit" name="{{.Admin.Verify}}" value="Verify"></td></tr>
<tr><td>Status</td><td id="totpStatus">{{if .TOTPEnabled}}TOTP is enabled for logins from WAN{{else if .TOTPVerified}}Validation code verified; press OK to enable{{else}}Not enabled{{end}}</td></tr>
</table>{{end}}
<p><input type="submit" value="OK"></p>
</form>
{{template "foot"}}{{end}}

{{define "time"}}{{template "head" .}}
<form name="time" method="post" action="../cgi-bin/time.cgi">
<input type="hidden" name="sFormAuthStr" value="{{.Token}}">
<input type="hidden" name="webchange" value="1">
<table>
<tr><td>Current System Time</td><td id="currentTime">{{.Now}}</td></tr>
<tr><td><label for="sTimeServer">Time Server</label></td><td><input type="text" name="sTimeServer" id="sTimeServer" value="{{.Time.Server}}"></td></tr>
<tr><td><label for="iTimeZone">Time Zone Index</label></td><td><select name="iTimeZone" id="iTimeZone">{{$z := .Time.ZoneIndex}}{{range .Zones}}<option value="{{.}}"{{if eq . $z}} selected{{end}}>{{.}}</option>{{end}}</select></td></tr>
</table>
<p><input type="submit" value="OK"></p>
</form>
{{template "foot"}}{{end}}

{{define "rebootsys"}}{{template "head" .}}
{{if .Message}}<p id="rebootNote">{{.Message}}</p>{{end}}
<form name="reboot" method="post" action="../cgi-bin/reboot.cgi">
<input type="hidden" name="sFormAuthStr" value="{{.Token}}">
<input type="hidden" name="webchange" value="1">
<p><label><input type="radio" name="sReboot" value="Current" checked> Using current configuration</label><br>
<label><input type="radio" name="sReboot" value="Default"> Using factory default configuration</label></p>
<p><input type="submit" value="Reboot Now"></p>
</form>
{{template "foot"}}{{end}}

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
`))
