package routersim

// loginTemplate is the login page (drayos-web.md §1, §3). The person-facing
// inputs are sUserName, sSysPass and the button btnOk (§3.2); the page's
// script base64-encodes them into aa and ab, makes up the token and disables
// them, so that only the protocol fields are posted; it keeps the token in
// sessionStorage, from where every page's script puts it into its forms (the
// hidden sFormAuthStr as served is stale, drayos-web.md §4). The password's label
// says "Login Code" as some real pages' wording does, which a client must
// not take for a code field. The model is left out when the options say so.
const loginTemplate = `
{{define "login"}}<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Vigor Login Page</title>{{template "style"}}
<script>var sysinfo = {fwver:"{{.Firmware}}"{{if .Model}}, model:"{{.Model}}"{{end}}};</script>
</head><body>
<div class="top">DrayTek <span>Firmware {{.Firmware}}</span></div>
<div class="main" style="margin-left:40px">
<h1 id="model">{{if .Model}}{{.Model}}{{else}}Router Login{{end}}</h1>
<form name="login" method="post" action="/cgi-bin/wlogin.cgi" onsubmit="return sendLogin(this)">
<table>
<tr><td><label for="sUserName">Username</label></td><td><input type="text" name="sUserName" id="sUserName" autocomplete="username"></td></tr>
<tr><td><label for="sSysPass">Password (Login Code)</label></td><td><input type="password" name="sSysPass" id="sSysPass" autocomplete="current-password"></td></tr>
{{if .ShowTOTP}}<tr><td><label for="{{.TOTPField}}">2FA Code (TOTP)</label></td><td><input type="text" name="{{.TOTPField}}" id="{{.TOTPField}}" inputmode="numeric" autocomplete="one-time-code" placeholder="6-digit code"></td></tr>
{{end}}{{if .ShowValidCode}}<tr><td></td><td><img src="{{.ValidCodeURL}}" id="validCodeImg" alt="Validation Code picture" width="160" height="50"></td></tr>
<tr><td><label for="{{.ValidCodeField}}">Validation Code</label></td><td><input type="text" name="{{.ValidCodeField}}" id="{{.ValidCodeField}}" autocomplete="off" maxlength="5" size="8"></td></tr>
{{end}}</table>
<input type="hidden" name="aa" value="">
<input type="hidden" name="ab" value="">
<input type="hidden" name="sFormAuthStr" value="">
<input type="hidden" name="sslgroup" value="-1">
{{range .ObjFields}}<input type="hidden" name="{{.}}" value="">
{{end}}<p><button type="submit" id="btnOk" class="btn">Login</button></p>
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
  sessionStorage.setItem("sFormAuthStr",t);
  f.sUserName.disabled=true;
  f.sSysPass.disabled=true;
  return true;
}
</script>
</body></html>{{end}}
`
