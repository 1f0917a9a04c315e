package routerclient

import (
	"html"
	"strings"
)

// A small, lenient HTML scanner for the few things this client reads from
// router pages: forms and their fields, labels, the title. Router pages are
// untrusted input: the scanner never panics, is linear in the input and caps
// the number of fields it keeps.

const maxFormFields = 4000

type htmlTag struct {
	name  string            // lower case, without "/"
	end   bool              // a closing tag
	attrs map[string]string // lower-case names, unescaped values
}

func (t htmlTag) has(name string) bool { _, ok := t.attrs[name]; return ok }

// scanHTML calls visit for every tag and every run of text between tags.
// The contents of script and style elements are passed as text of that
// element only when keepScript is true.
func scanHTML(page string, visit func(tag *htmlTag, text string)) {
	for i := 0; i < len(page); {
		lt := strings.IndexByte(page[i:], '<')
		if lt < 0 {
			visit(nil, page[i:])
			return
		}
		if lt > 0 {
			visit(nil, page[i:i+lt])
		}
		i += lt
		if strings.HasPrefix(page[i:], "<!--") {
			end := strings.Index(page[i+4:], "-->")
			if end < 0 {
				return
			}
			i += 4 + end + 3
			continue
		}
		tag, n := parseTag(page[i:])
		if n == 0 { // a lone '<' is text
			visit(nil, "<")
			i++
			continue
		}
		i += n
		visit(&tag, "")
		if !tag.end && (tag.name == "script" || tag.name == "style" || tag.name == "textarea" || tag.name == "title") {
			// Raw text elements: their content runs to the matching end tag.
			end := indexFold(page[i:], "</"+tag.name)
			if end < 0 {
				end = len(page) - i
			}
			visit(nil, page[i:i+end])
			i += end
		}
	}
}

// parseTag reads one tag at the start of s and returns it with its length,
// or length 0 when s does not start a tag.
func parseTag(s string) (htmlTag, int) {
	var t htmlTag
	i := 1
	if i < len(s) && s[i] == '/' {
		t.end = true
		i++
	}
	start := i
	for i < len(s) && (isAlnum(s[i]) || s[i] == '-' || s[i] == ':') {
		i++
	}
	if i == start {
		if i < len(s) && (s[i] == '!' || s[i] == '?') { // doctype, processing instruction
			end := strings.IndexByte(s[i:], '>')
			if end < 0 {
				return t, len(s)
			}
			t.name = "!"
			return t, i + end + 1
		}
		return t, 0
	}
	t.name = strings.ToLower(s[start:i])
	t.attrs = map[string]string{}
	for i < len(s) {
		for i < len(s) && (isSpace(s[i]) || s[i] == '/') {
			i++
		}
		if i >= len(s) {
			break
		}
		if s[i] == '>' {
			return t, i + 1
		}
		nameStart := i
		for i < len(s) && !isSpace(s[i]) && s[i] != '=' && s[i] != '>' && s[i] != '/' {
			i++
		}
		name := strings.ToLower(s[nameStart:i])
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		value := ""
		if i < len(s) && s[i] == '=' {
			i++
			for i < len(s) && isSpace(s[i]) {
				i++
			}
			if i < len(s) && (s[i] == '"' || s[i] == '\'') {
				q := s[i]
				end := strings.IndexByte(s[i+1:], q)
				if end < 0 {
					value, i = s[i+1:], len(s)
				} else {
					value, i = s[i+1:i+1+end], i+1+end+1
				}
			} else {
				vs := i
				for i < len(s) && !isSpace(s[i]) && s[i] != '>' {
					i++
				}
				value = s[vs:i]
			}
		}
		if _, dup := t.attrs[name]; !dup && name != "" {
			t.attrs[name] = html.UnescapeString(value)
		}
	}
	return t, len(s)
}

func isAlnum(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' }

func indexFold(s, sub string) int {
	n := len(sub)
	for i := 0; i+n <= len(s); i++ {
		if strings.EqualFold(s[i:i+n], sub) {
			return i
		}
	}
	return -1
}

// htmlText returns the visible text of a page: tags dropped, entities
// decoded, script and style contents left out.
func htmlText(page string) string {
	var b strings.Builder
	skip := false
	scanHTML(page, func(tag *htmlTag, text string) {
		if tag != nil {
			skip = !tag.end && (tag.name == "script" || tag.name == "style")
			if tag.name == "br" || tag.name == "p" || tag.name == "div" || tag.name == "tr" || tag.name == "li" {
				b.WriteByte('\n')
			}
			return
		}
		if !skip {
			b.WriteString(html.UnescapeString(text))
		}
	})
	return b.String()
}

// pageTitle returns the text of the first title element.
func pageTitle(page string) string {
	inTitle, title, done := false, "", false
	scanHTML(page, func(tag *htmlTag, text string) {
		switch {
		case done:
		case tag != nil && tag.name == "title":
			inTitle = !tag.end
			done = tag.end
		case tag == nil && inTitle:
			title += text
		}
	})
	return strings.TrimSpace(html.UnescapeString(title))
}
