package routersim

// managementTemplate is the Management page (drayos-web.md §4.1), with the
// Validation Code switch (§3.2) and the IPv6 part.
const managementTemplate = `
{{define "acontrol"}}{{template "head" .}}
<form name="acontrol" method="post" action="../cgi-bin/acontrol.cgi">
<input type="hidden" name="sFormAuthStr" value="{{.FormToken}}">
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
<tr><td>Index</td><td>IP Object / Group / Host</td></tr>
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
<h2>Validation Code</h2>
<p>{{template "cb" (box .CB "sValidatedCode" "Enable Validation Code" .M.ValidationCode)}}</p>
<h2>IPv6 Management</h2>
<table>
<tr><td colspan="2">{{template "cb" (box .CB "sIp6RMC" "Allow management from the Internet (IPv6)" .M.IPv6.Internet)}}</td></tr>
<tr><td></td><td>
{{template "cb" (box .CB "sIp6Http" "HTTP Server" .M.IPv6.HTTP)}}<br>
{{template "cb" (box .CB "sIp6Https" "HTTPS Server" .M.IPv6.HTTPS)}}<br>
{{template "cb" (box .CB "sIp6Telnt" "Telnet Server" .M.IPv6.Telnet)}}<br>
{{template "cb" (box .CB "sIp6Ssh" "SSH Server" .M.IPv6.SSH)}}<br>
{{template "cb" (box .CB "sIp6Snmp" "SNMP Server" .M.IPv6.SNMP)}}
</td></tr>
<tr><td colspan="2">{{template "cb" (box .CB "sIp6Ping" "Disable PING from the Internet (IPv6)" (not .M.IPv6.Ping))}}</td></tr>
</table>
<h2>IPv6 Access List</h2>
<table>
<tr><td>Index</td><td>IPv6 Address / Prefix</td></tr>
{{range .V6Access}}<tr><td><label for="{{.Name}}">{{.Index}}</label></td><td><input type="text" name="{{.Name}}" id="{{.Name}}" value="{{.Value}}" size="40"></td></tr>
{{end}}</table>
<p><input type="submit" value="OK"></p>
</form>
{{template "foot"}}{{end}}
`
