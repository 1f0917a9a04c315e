package routersim

// adminTemplates are the pages of a session besides Management, IP Object
// and backup: dashboard, status, console, Administrator Password, Time and
// Date, Reboot System.
const adminTemplates = `
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

{{define "console"}}{{template "head" .}}
<form method="post" action="../cgi-bin/v2x00.cgi">
<input type="hidden" name="sFormAuthStr" value="{{.FormToken}}">
<input type="hidden" name="fid" value="310">
<label for="cmd">Command</label> <input type="text" name="cmd" id="cmd" size="60">
<input type="submit" value="Send">
</form>
{{template "foot"}}{{end}}

{{define "chglog"}}{{template "head" .}}
<form name="chglog" method="post" action="../cgi-bin/chglog.cgi">
<input type="hidden" name="sFormAuthStr" value="{{.FormToken}}">
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
<input type="hidden" name="sFormAuthStr" value="{{.FormToken}}">
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
<input type="hidden" name="sFormAuthStr" value="{{.FormToken}}">
<input type="hidden" name="webchange" value="1">
<p><label><input type="radio" name="sReboot" value="Current" checked> Using current configuration</label><br>
<label><input type="radio" name="sReboot" value="Default"> Using factory default configuration</label></p>
<p><input type="submit" value="Reboot Now"></p>
</form>
{{template "foot"}}{{end}}
`
