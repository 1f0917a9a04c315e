package routerclient

import (
	"strings"

	"golang.org/x/net/html"
)

// Router pages are read with the HTML5 tokenizer of golang.org/x/net/html:
// it is lenient the way browsers are (case, quoting, attribute order,
// unterminated elements) and decodes entities, so the client reads a page
// as a person's browser shows it. Pages are untrusted input: they are
// bounded by maxBody before they get here, the tokenizer is linear in its
// input, and the form parser caps the fields it keeps.

// maxFormFields bounds the inputs kept from one page; a Management page has
// about a hundred.
const maxFormFields = 4000

// htmlTag is a start or end tag with its attributes; the first occurrence
// of an attribute wins, as in browsers.
type htmlTag struct {
	name  string            // lower case
	end   bool              // a closing tag
	attrs map[string]string // lower-case names, unescaped values
}

func (t htmlTag) has(name string) bool { _, ok := t.attrs[name]; return ok }

// scanHTML calls visit for every tag and every run of text between tags,
// with entities decoded. The contents of script and style elements come as
// text too, so that callers decide whether they count.
func scanHTML(page string, visit func(tag *htmlTag, text string)) {
	z := html.NewTokenizer(strings.NewReader(page))
	z.SetMaxBuf(maxBody)
	for {
		switch z.Next() {
		case html.ErrorToken:
			return // io.EOF, or a token larger than the buffer bound
		case html.TextToken:
			visit(nil, string(z.Text()))
		case html.StartTagToken, html.SelfClosingTagToken:
			visit(readTag(z, false), "")
		case html.EndTagToken:
			visit(readTag(z, true), "")
		}
	}
}

// readTag reads the current tag's name and attributes.
func readTag(z *html.Tokenizer, end bool) *htmlTag {
	name, more := z.TagName()
	t := &htmlTag{name: string(name), end: end, attrs: map[string]string{}}
	for more {
		var k, v []byte
		k, v, more = z.TagAttr()
		if _, dup := t.attrs[string(k)]; !dup && len(k) > 0 {
			t.attrs[string(k)] = string(v)
		}
	}
	return t
}

// blockTags start a new line in htmlText.
var blockTags = map[string]bool{"br": true, "p": true, "div": true, "tr": true, "li": true}

// htmlText returns the visible text of a page: tags dropped, entities
// decoded, script and style contents left out.
func htmlText(page string) string {
	var b strings.Builder
	skip := false
	scanHTML(page, func(tag *htmlTag, text string) {
		if tag != nil {
			skip = !tag.end && (tag.name == "script" || tag.name == "style")
			if blockTags[tag.name] {
				b.WriteByte('\n')
			}
			return
		}
		if !skip {
			b.WriteString(text)
		}
	})
	return b.String()
}

// pageTitle returns the text of the first title element.
func pageTitle(page string) string {
	inTitle, done := false, false
	var title strings.Builder
	scanHTML(page, func(tag *htmlTag, text string) {
		switch {
		case done:
		case tag != nil && tag.name == "title":
			inTitle = !tag.end
			done = tag.end
		case tag == nil && inTitle:
			title.WriteString(text)
		}
	})
	return strings.TrimSpace(title.String())
}

// images returns the src attribute of every img element, with its id and
// alt text, for the login page's validation picture.
func images(page string) []htmlTag {
	var out []htmlTag
	scanHTML(page, func(tag *htmlTag, _ string) {
		if tag != nil && !tag.end && tag.name == "img" && len(out) < maxFormFields {
			out = append(out, *tag)
		}
	})
	return out
}

// collapseSpace joins the words of s with single spaces.
func collapseSpace(s string) string { return strings.Join(strings.Fields(s), " ") }
