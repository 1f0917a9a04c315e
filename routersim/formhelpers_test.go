package routersim

import (
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var (
	formRE   = regexp.MustCompile(`(?s)<form\b([^>]*)>(.*?)</form>`)
	inputRE  = regexp.MustCompile(`(?s)<input\b([^>]*)>`)
	selectRE = regexp.MustCompile(`(?s)<select\b([^>]*)>(.*?)</select>`)
	optionRE = regexp.MustCompile(`(?s)<option\b([^>]*)>`)
	attrRE   = regexp.MustCompile(`([A-Za-z_:][-A-Za-z0-9_:.]*)(?:\s*=\s*"([^"]*)")?`)
)

func attrs(s string) map[string]string {
	m := map[string]string{}
	for _, a := range attrRE.FindAllStringSubmatch(s, -1) {
		m[strings.ToLower(a[1])] = html.UnescapeString(a[2])
	}
	return m
}

// htmlForm is a form as a browser would submit it without changes.
type htmlForm struct {
	action string
	values url.Values
	// checkboxValue maps each check box to the value it posts when checked.
	checkboxValue map[string]string
}

// readForm returns the first form of page, as a browser would post it.
func readForm(t *testing.T, page string) htmlForm {
	t.Helper()
	return readFormNamed(t, page, "")
}

// readFormNamed returns the form of page with that name attribute (the first
// form for ""), as a browser would post it.
func readFormNamed(t *testing.T, page, name string) htmlForm {
	t.Helper()
	var m []string
	for _, f := range formRE.FindAllStringSubmatch(page, -1) {
		if name == "" || attrs(f[1])["name"] == name {
			m = f
			break
		}
	}
	if m == nil {
		t.Fatalf("no form %q in the page:\n%s", name, page)
	}
	f := htmlForm{action: attrs(m[1])["action"], values: url.Values{}, checkboxValue: map[string]string{}}
	for _, in := range inputRE.FindAllStringSubmatch(m[2], -1) {
		f.addInput(attrs(in[1]))
	}
	for _, s := range selectRE.FindAllStringSubmatch(m[2], -1) {
		name := attrs(s[1])["name"]
		for _, o := range optionRE.FindAllStringSubmatch(s[2], -1) {
			oa := attrs(o[1])
			if _, sel := oa["selected"]; sel {
				f.values.Set(name, oa["value"])
			}
		}
	}
	return f
}

// addInput adds one input as a browser would post it unchanged.
func (f htmlForm) addInput(a map[string]string) {
	name := a["name"]
	if name == "" {
		return
	}
	_, checked := a["checked"]
	_, hasValue := a["value"]
	switch a["type"] {
	case "submit":
	case "checkbox":
		v := a["value"]
		if !hasValue {
			v = "on"
		}
		f.checkboxValue[name] = v
		if checked {
			f.values.Set(name, v)
		}
	case "radio":
		if checked {
			f.values.Set(name, a["value"])
		}
	default:
		f.values.Set(name, a["value"])
	}
}

// check sets a check box the way a browser would.
func (f htmlForm) check(t *testing.T, name string, on bool) {
	t.Helper()
	v, ok := f.checkboxValue[name]
	if !ok {
		t.Fatalf("no check box %s in the form", name)
	}
	if on {
		f.values.Set(name, v)
	} else {
		f.values.Del(name)
	}
}

// submit posts the form to its action, resolved against the page URL, with
// the session's token in place of the page's stale copy, as a correct client
// does.
func (c *client) submit(pageURL string, f htmlForm) reply {
	c.t.Helper()
	f.values.Set("sFormAuthStr", c.token)
	base, err := url.Parse(pageURL)
	if err != nil {
		c.t.Fatal(err)
	}
	act, err := base.Parse(f.action)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.post(act.RequestURI(), f.values)
}
