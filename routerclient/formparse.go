package routerclient

import "strings"

// formParser turns a page's tags into forms, the way a browser would build
// them: fields in page order, with their state, labels and select options.
// Fields outside any form are gathered into a last form with an empty
// action, so that a page that builds its form in script still shows its
// inputs.
type formParser struct {
	forms   []*htmlForm
	orphans *htmlForm
	cur     *htmlForm // the open form, nil outside one
	count   int       // fields kept, bounded by maxFormFields

	sel    *formField // the open select
	area   *formField // the open textarea
	option *pendingOption

	label     *pendingLabel     // the open label
	labelsFor map[string]string // <label for=id> texts by id
}

// pendingOption is an option of the open select, until its end.
type pendingOption struct {
	value    string
	hasValue bool
	selected bool
	text     strings.Builder
}

// pendingLabel is an open label: its text and the fields inside it.
type pendingLabel struct {
	forID  string
	text   strings.Builder
	fields []*formField
}

// parseForms returns the forms of a page.
func parseForms(page string) []*htmlForm {
	p := &formParser{orphans: &htmlForm{}, labelsFor: map[string]string{}}
	scanHTML(page, p.visit)
	return p.finish()
}

func (p *formParser) visit(tag *htmlTag, text string) {
	if tag == nil {
		p.text(text)
		return
	}
	switch tag.name {
	case "form":
		p.formTag(tag)
	case "label":
		p.labelTag(tag)
	case "input", "select", "textarea", "button":
		p.fieldTag(tag)
	case "option":
		p.optionTag(tag)
	}
}

// text adds text to the open textarea, option and label.
func (p *formParser) text(text string) {
	switch {
	case p.area != nil:
		p.area.Value += strings.TrimPrefix(text, "\n")
	case p.option != nil:
		p.option.text.WriteString(text)
	}
	if p.label != nil {
		p.label.text.WriteString(text)
	}
}

func (p *formParser) formTag(tag *htmlTag) {
	p.closeOption()
	if tag.end {
		p.cur = nil
		return
	}
	p.cur = &htmlForm{Action: tag.attrs["action"], Method: strings.ToUpper(tag.attrs["method"])}
	p.forms = append(p.forms, p.cur)
}

func (p *formParser) labelTag(tag *htmlTag) {
	if !tag.end {
		p.label = &pendingLabel{forID: tag.attrs["for"]}
		return
	}
	if p.label == nil {
		return
	}
	t := collapseSpace(p.label.text.String())
	for _, f := range p.label.fields {
		if f.Label == "" {
			f.Label = t
		}
	}
	if id := p.label.forID; id != "" {
		if _, seen := p.labelsFor[id]; !seen {
			p.labelsFor[id] = t
		}
	}
	p.label = nil
}

func (p *formParser) fieldTag(tag *htmlTag) {
	if tag.end {
		switch tag.name {
		case "select":
			p.closeOption()
			p.sel = nil
		case "textarea":
			p.area = nil
		}
		return
	}
	if p.count >= maxFormFields {
		return
	}
	p.count++
	f := newField(tag)
	switch f.Type {
	case "select":
		p.sel = f
	case "textarea":
		p.area = f
	}
	if p.label != nil {
		p.label.fields = append(p.label.fields, f)
	}
	target := p.cur
	if target == nil {
		target = p.orphans
	}
	target.Fields = append(target.Fields, f)
}

// newField reads an input, select, textarea or button tag.
func newField(tag *htmlTag) *formField {
	f := &formField{
		Name:        tag.attrs["name"],
		ID:          tag.attrs["id"],
		Placeholder: tag.attrs["placeholder"],
		Checked:     tag.has("checked"),
		Disabled:    tag.has("disabled"),
	}
	f.Value, f.HasValue = tag.attrs["value"]
	switch tag.name {
	case "input":
		f.Type = strings.ToLower(strings.TrimSpace(tag.attrs["type"]))
		if f.Type == "" {
			f.Type = "text"
		}
	case "button":
		f.Type = "button"
	default:
		f.Type = tag.name
	}
	if f.Type == "select" || f.Type == "textarea" {
		// A select's value comes from its options, a textarea's from its text.
		f.Checked, f.Value = false, ""
	}
	return f
}

func (p *formParser) optionTag(tag *htmlTag) {
	if p.sel == nil {
		return
	}
	p.closeOption()
	if tag.end {
		return
	}
	v, ok := tag.attrs["value"]
	p.option = &pendingOption{value: v, hasValue: ok, selected: tag.has("selected")}
}

// closeOption adds the open option to the open select. The select's value
// is its selected option, else its first one; sel.Checked records that an
// option was explicitly selected.
func (p *formParser) closeOption() {
	o := p.option
	p.option = nil
	if p.sel == nil || o == nil {
		return
	}
	v := o.value
	if !o.hasValue {
		v = strings.TrimSpace(o.text.String())
	}
	sel := p.sel
	sel.Options = append(sel.Options, v)
	switch {
	case o.selected: // the last selected option wins, as in browsers
		sel.Value, sel.Checked = v, true
	case len(sel.Options) == 1 && !sel.Checked:
		sel.Value = v
	}
}

// finish closes what is open, attaches <label for=id> texts and returns
// the forms, with the orphan fields last.
func (p *formParser) finish() []*htmlForm {
	p.closeOption()
	all := append(p.forms, p.orphans)
	for _, fm := range all {
		for _, f := range fm.Fields {
			if t, ok := p.labelsFor[f.ID]; ok && f.ID != "" && f.Label == "" {
				f.Label = t
			}
		}
	}
	if len(p.orphans.Fields) > 0 {
		return all
	}
	return p.forms
}
