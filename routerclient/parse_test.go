package routerclient

import (
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// Login pages: DrayOS 4 with and without a code field, other families.
var loginPageCases = []struct {
	name      string
	page      string
	server    string
	family    Family
	model     string
	firmware  string
	totpField string
	captcha   string // the validation-code input, "" when none
}{
	{"drayos4 plain", `<html><head><title>Vigor Login Page</title><script>var x={fwver:"4.4.2.1"};</script></head>
<body><div>Vigor 3910</div><form action="/cgi-bin/wlogin.cgi" method=post><input type=text name=aa><input type=password name=ab>
<input type=hidden name=sFormAuthStr value=""><input type=submit value=Login></form></body></html>`, "", FamilyDrayOS4, "Vigor3910", "4.4.2.1", "", ""},
	{"drayos4 with code field by label", `<TITLE>Vigor Login Page</TITLE><span>Vigor2865</span> fwver = '4.4.5.8'
<FORM ACTION=wlogin.cgi><INPUT NAME="aa"><INPUT TYPE="PASSWORD" NAME="ab"><label for=x>2FA code</label><INPUT id=x NAME="obj5" TYPE=text></FORM>`, "", FamilyDrayOS4, "Vigor2865", "4.4.5.8", "obj5", ""},
	{"drayos4 third input without hint", `<title>Vigor Login Page</title><form><input name=user><input type=password name=pass><input name=zz9></form>`, "", FamilyDrayOS4, "", "", "zz9", ""},
	{"hidden and buttons never count", `<title>Vigor Login Page</title><form><input name=user><input type=password name=pass><input type=hidden name=authHidden><button name=otpButton>OK</button><input type=checkbox name=remember></form>`, "", FamilyDrayOS4, "", "", "", ""},
	{"drayos5", `<title>Vigor Login Page</title>fwver:"5.2.0" <p>Vigor2767</p>`, "", FamilyDrayOS5, "Vigor2767", "5.2.0", "", ""},
	{"linux by script", `<html><script src="rsa.js"></script><title>Vigor3900</title></html>`, "", FamilyLinux, "Vigor3900", "", "", ""},
	{"linux by server", `<title>Login</title>`, "DWS", FamilyLinux, "", "", "", ""},
	{"not a router", `<title>Welcome</title>hello`, "nginx", FamilyUnknown, "", "", "", ""},
	// The person-facing inputs are never the code field, whatever their labels say.
	{"person inputs with code-like labels", `<title>Vigor Login Page</title><form><label for=u>Login Code</label><input name=sUserName id=u>
<label for=p>Password (Login Code)</label><input type=password id=p name=sSysPass><button id=btnOk name=btnOk>Login</button></form>`, "", FamilyDrayOS4, "", "", "", ""},
	// The validation code (CAPTCHA) is recognised, and never taken for the TOTP field.
	{"validation code only", `<title>Vigor Login Page</title><form><input name=sUserName><input type=password name=sSysPass>
<img src="/cgi-bin/validcode.cgi?r=1" alt="picture"><label for=v>Validation Code</label><input name=sValidCode id=v></form>`, "", FamilyDrayOS4, "", "", "", "sValidCode"},
	{"validation code and TOTP", `<title>Vigor Login Page</title><form><input name=sUserName><input type=password name=sSysPass>
<label for=o>2FA Code</label><input name=sOtpCode id=o><label for=v>Enter the code shown</label><input name=captchaText id=v></form>`, "", FamilyDrayOS4, "", "", "sOtpCode", "captchaText"},
	{"picture only names the profile's field", `<title>Vigor Login Page</title><form><input name=user><input type=password name=pass>
<img src="/doc/ValidCode.png"><input name=zz></form>`, "", FamilyDrayOS4, "", "", "zz", "sValidCode"},
	// A firmware suffix is kept; a page without a model is still DrayOS 4.
	{"firmware suffix, no model", `<title>Vigor Login Page</title><script>var s={fwver:"4.4.2_BT"};</script><h1>Router Login</h1>`, "", FamilyDrayOS4, "", "4.4.2_BT", "", ""},
}

func TestParseLoginPage(t *testing.T) {
	p := DefaultProfile()
	for _, tc := range loginPageCases {
		h := http.Header{}
		if tc.server != "" {
			h.Set("Server", tc.server)
		}
		lp := parseLoginPage(tc.page, h, p)
		captcha := ""
		if lp.Captcha != nil {
			captcha = lp.Captcha.Field
		}
		if lp.Family != tc.family || lp.Model != tc.model || lp.Firmware != tc.firmware || lp.TOTPField != tc.totpField || captcha != tc.captcha {
			t.Errorf("%s: got %+v (captcha %q)", tc.name, lp, captcha)
		}
	}
}

func FuzzParseLoginPage(f *testing.F) {
	for _, tc := range loginPageCases {
		f.Add(tc.page)
	}
	p := DefaultProfile()
	f.Fuzz(func(t *testing.T, page string) {
		lp := parseLoginPage(page, nil, p)
		if lp.TOTPField != "" && !strings.Contains(strings.ToLower(page), strings.ToLower(lp.TOTPField)) {
			t.Errorf("code field %q is not on the page", lp.TOTPField)
		}
		if lp.Captcha != nil && strings.EqualFold(lp.Captcha.Field, lp.TOTPField) {
			t.Errorf("the validation code %q was taken for the TOTP field", lp.Captcha.Field)
		}
		for _, n := range p.LoginPageInputs {
			if strings.EqualFold(n, lp.TOTPField) {
				t.Errorf("the person-facing input %q was taken for the TOTP field", n)
			}
		}
	})
}

// Forms: types, defaults, labels, encoding back.
var formCases = []struct {
	name string
	page string
	want string // the form encoded back with webchange=1
}{
	{"checkboxes with and without value", `<form action="acontrol.cgi"><input type=checkbox name=a value=1 checked><input type=checkbox name=b checked><input type=checkbox name=c value=1></form>`,
		"a=1&b=on&webchange=1"},
	{"radio, select, text, textarea", `<form><input type=radio name=r value=Default><input type=radio name=r value=UserDefine checked>
<select name=s><option value=x>X<option value=y selected>Y</select><select name=t><option>first</option><option>second</option></select>
<input name=txt value="a&amp;b"><textarea name=ta>hello</textarea></form>`, "r=UserDefine&s=y&t=first&txt=a%26b&ta=hello&webchange=1"},
	{"duplicates and disabled", `<form><input name=d value=1><input name=d value=2><input name=x value=3 disabled><input type=submit name=go value=OK></form>`,
		"d=1&webchange=1"},
	// Browsers keep an unclosed form and drop a tag cut off by the end of
	// the page; so does the tokenizer.
	{"unclosed form", `<form><input name=a value="1">`, "a=1&webchange=1"},
	{"tag cut off", `<form><input name=b value=2><input name=a value="1`, "b=2&webchange=1"},
	// Case, entities, the last selected option, option text as value.
	{"upper case and entities", `<FORM ACTION="x.cgi"><INPUT NAME="A" VALUE="&lt;1&gt;"><SELECT NAME=s><OPTION SELECTED>one<OPTION selected>two</SELECT></FORM>`,
		"A=%3C1%3E&s=two&webchange=1"},
	// Script text is not markup: an input written inside it is no field.
	{"script is text", `<form><script>document.write('<input name=ghost value=1>')</script><input name=real value=2></form>`, "real=2&webchange=1"},
	// A field outside any form still counts (pages that build forms in script).
	{"orphan fields", `<input name=o value=1><p>text</p>`, "o=1&webchange=1"},
}

func TestParseForms(t *testing.T) {
	for _, tc := range formCases {
		forms := parseForms(tc.page)
		if len(forms) == 0 {
			t.Errorf("%s: no form", tc.name)
			continue
		}
		if got := forms[0].encode([][2]string{{"webchange", "1"}}); got != tc.want {
			t.Errorf("%s: encoded %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestFormLabels(t *testing.T) {
	page := `<form><label>User <input name=u></label><label for=p>Pass&amp;word</label><input type=password id=p name=p>
<label for=missing>nothing</label><input name=n id=n placeholder="Code"></form>`
	got := map[string]string{}
	for _, f := range parseForms(page)[0].Fields {
		got[f.Name] = f.Label
	}
	want := map[string]string{"u": "User", "p": "Pass&word", "n": ""}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("labels (-want +got):\n%s", d)
	}
}

func TestFormSetBool(t *testing.T) {
	page := `<form><input type=checkbox name=cb value=yes><input type=radio name=rd value=1><input type=radio name=rd value=0 checked><select name=sl><option value=off selected>Off<option value=on>On</select><input name=tx value=0></form>`
	f := parseForms(page)[0]
	for _, name := range []string{"cb", "rd", "sl", "tx"} {
		if v, err := f.boolValue(name); err != nil || v {
			t.Errorf("%s: read %v %v, want false", name, v, err)
		}
		if err := f.setBool(name, true); err != nil {
			t.Fatal(err)
		}
		if v, _ := f.boolValue(name); !v {
			t.Errorf("%s: not set", name)
		}
	}
	if got := f.encode(nil); got != "cb=yes&rd=1&sl=on&tx=1" {
		t.Errorf("encoded %q", got)
	}
}

func FuzzParseForms(f *testing.F) {
	for _, tc := range formCases {
		f.Add(tc.page)
	}
	for _, tc := range loginPageCases {
		f.Add(tc.page)
	}
	f.Fuzz(func(t *testing.T, page string) {
		forms := parseForms(page)
		p := DefaultProfile()
		for _, fm := range forms {
			enc := fm.encode([][2]string{{"webchange", "1"}})
			if strings.Count(enc, "webchange=") != 1 {
				t.Errorf("webchange sent %d times", strings.Count(enc, "webchange="))
			}
			managementFromForm(fm, p) // must not panic on any form
		}
		_ = htmlText(page)
		_ = pageTitle(page)
	})
}

// Console output: parsed by label, lenient in case, spacing and words.
var consoleCases = []struct {
	name string
	out  string
}{
	{"rmtcfg", "Remote Management: Enabled\nFTP: off\nHTTP: OFF\nEnforce HTTPS Access: on\nHTTPS: V\nTelnet: disabled\nTR069: 0\nSSH: yes\nSNMP: X\n"},
	{"echoicmp", "Echo ICMP: disable\n"},
	{"accesslist", "2: 10.0.0.0/8\n1: 192.0.2.1/32\n"},
	{"bfp", "Enable: on\nServices: HTTP HTTPS SSH\nLogin Failures: 5\nPenalty Period: 1800 sec\n"},
	{"version", "Router Model: Vigor2927Lac    Version: 4.5.2.2 English\nFirmware Build Date/Time: Jul  9 2026 11:31:06\n"},
	{"time", "Time Server: [pool.ntp.org]\nCurrent Time: [2026-01-02 03:04:05]\n"},
}

func TestConsoleParsers(t *testing.T) {
	p := DefaultProfile()
	var m Management
	if err := parseRmtcfg(consoleCases[0].out, p, &m); err != nil {
		t.Fatal(err)
	}
	want := Management{Internet: true, EnforceHTTPS: true, HTTPS: true, SSH: true}
	if d := cmp.Diff(want, m); d != "" {
		t.Errorf("rmtcfg (-want +got):\n%s", d)
	}
	if ping, err := parseEchoICMP(consoleCases[1].out, p); err != nil || ping {
		t.Errorf("echoicmp: %v %v", ping, err)
	}
	if list, _ := parseAccessList(consoleCases[2].out); !cmp.Equal(list, []string{"192.0.2.1", "10.0.0.0/8"}) {
		t.Errorf("access list %v", list)
	}
}

func TestConsoleParsersStatus(t *testing.T) {
	p := DefaultProfile()
	var b Management
	if err := parseBFP(consoleCases[3].out, p, &b); err != nil || !b.BruteForce || b.BruteForceFailures != 5 || b.BruteForcePenalty != 1800 ||
		!cmp.Equal(b.BruteForceServices, []string{"http", "https", "ssh"}) {
		t.Errorf("bfp %+v %v", b, err)
	}
	if model, v, err := parseSysVersion(consoleCases[4].out, p); err != nil || model != "Vigor2927Lac" || v != "4.5.2.2" {
		t.Errorf("version %q %q %v", model, v, err)
	}
	if tm, ok := parseConsoleTime(consoleCases[5].out, p); !ok || tm.Format("2006-01-02 15:04:05") != "2026-01-02 03:04:05" {
		t.Errorf("time %v %v", tm, ok)
	}
	if err := parseRmtcfg("HTTP: on\n", p, &Management{}); err == nil {
		t.Error("a status without every line must be an error")
	}
}

func FuzzConsoleOutput(f *testing.F) {
	for _, tc := range consoleCases {
		f.Add(tc.out)
	}
	p := DefaultProfile()
	f.Fuzz(func(t *testing.T, out string) {
		var m Management
		if err := parseRmtcfg(out, p, &m); err != nil && !utf8.ValidString(err.Error()) && utf8.ValidString(out) {
			t.Error("error is not text")
		}
		parseEchoICMP(out, p)
		parseAccessList(out)
		parseBFP(out, p, &m)
		parseSysVersion(out, p)
		parseConsoleTime(out, p)
	})
}

func TestLabelMatches(t *testing.T) {
	cases := []struct {
		label, syn string
		want       bool
	}{
		{"Enforce HTTPS Access", "Enforce HTTPS", true},
		{"HTTPS", "HTTP", false},
		{"tr069", "TR-069", true},
		{"  remote   management", "Remote Management", true},
		{"Enforce HTTPS", "HTTPS", false},
	}
	for _, tc := range cases {
		if got := labelMatches(tc.label, tc.syn); got != tc.want {
			t.Errorf("labelMatches(%q, %q) = %v", tc.label, tc.syn, got)
		}
	}
}
