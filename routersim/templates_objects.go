package routersim

// objectTemplate is the IP Object page (drayos-web.md §4.3 [A]): a form for
// one object and a table of every object with the same columns.
const objectTemplate = `
{{define "objip"}}{{template "head" .}}
<form name="objip" method="post" action="../cgi-bin/objip.cgi">
<input type="hidden" name="sFormAuthStr" value="{{.FormToken}}">
<input type="hidden" name="webchange" value="1">
<input type="hidden" name="iObjIdx" value="{{.ObjIdx}}">
<h2>Profile Index: {{.ObjIdx}}</h2>
<table>
<tr><td><label for="sObjName">Name</label></td><td><input type="text" name="sObjName" id="sObjName" value="{{.Obj.Name}}" maxlength="15"></td></tr>
<tr><td><label for="iObjIntf">Interface</label></td><td><select name="iObjIntf" id="iObjIntf">{{range .IntfOptions}}<option value="{{.Value}}"{{if .Selected}} selected{{end}}>{{.Label}}</option>{{end}}</select></td></tr>
<tr><td><label for="iObjType">Address Type</label></td><td><select name="iObjType" id="iObjType">{{range .TypeOptions}}<option value="{{.Value}}"{{if .Selected}} selected{{end}}>{{.Label}}</option>{{end}}</select></td></tr>
<tr><td><label for="sStartIp">Start IP Address</label></td><td><input type="text" name="sStartIp" id="sStartIp" value="{{.Obj.Start}}"></td></tr>
<tr><td><label for="sEndIp">End IP Address</label></td><td><input type="text" name="sEndIp" id="sEndIp" value="{{.Obj.End}}"></td></tr>
<tr><td><label for="sMask">Subnet Mask</label></td><td><input type="text" name="sMask" id="sMask" value="{{.Obj.Mask}}"></td></tr>
<tr><td colspan="2">{{template "cb" (box .CB "iInvert" "Invert Selection" .Obj.Invert)}}</td></tr>
</table>
<p><input type="submit" value="OK"></p>
</form>
<h2>IP Object Profiles</h2>
<table id="objectTable">
<tr><th>Index</th><th>Name</th><th>Interface</th><th>Address Type</th><th>Start IP Address</th><th>End IP Address</th><th>Subnet Mask</th><th>Invert Selection</th></tr>
{{range .ObjRows}}<tr><td><a href="objip.sht?idx={{.Index}}">{{.Index}}</a></td><td>{{.Name}}</td><td>{{.Intf}}</td><td>{{.Type}}</td><td>{{.Start}}</td><td>{{.End}}</td><td>{{.Mask}}</td><td>{{.Inv}}</td></tr>
{{end}}</table>
{{template "foot"}}{{end}}
`

// backupTemplate is the Configuration Backup page (drayos-web.md §4.4 [A]):
// the Restore form first, as on the router's page, then the Backup form,
// which a client must find by its Backup button rather than by place.
const backupTemplate = `
{{define "cfgrest"}}{{template "head" .}}
<h2>Restore</h2>
<form name="restore" method="post" action="../cgi-bin/cfgrestore.cgi" enctype="multipart/form-data">
<input type="hidden" name="sFormAuthStr" value="{{.FormToken}}">
<p><label for="cfgFile">Select a configuration file.</label> <input type="file" name="cfgFile" id="cfgFile">
<input type="submit" name="btnRestore" value="Restore"></p>
</form>
{{if .BackupForm}}<h2>Backup</h2>
<form name="backup" method="post" action="../cgi-bin/{{.BackupCGI}}">
<input type="hidden" name="sFormAuthStr" value="{{.FormToken}}">
<input type="hidden" name="webchange" value="1">
<input type="hidden" name="sBackupType" value="all">
<p>Click Backup to download the current running configuration as a file.
<input type="submit" name="btnBackup" value="Backup"></p>
</form>{{end}}
{{template "foot"}}{{end}}
`
