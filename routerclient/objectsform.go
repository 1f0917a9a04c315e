package routerclient

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// The IP Object page (drayos-web.md §4.3 [A]): a table listing every
// object and a form that saves one object. Column headers and field names
// come from the profile's ip_objects section.

// Limits of the table reader: the page lists 192 objects.
const (
	maxTableRows  = 2000
	maxTableCells = 64
)

// objectPage is the IP Object page as last read.
type objectPage struct {
	url     *url.URL
	form    *htmlForm // the form that saves one object; nil when absent
	objects []ipObject
}

// readObjectPage opens the IP Object page and parses its table and form.
func (s *Session) readObjectPage(ctx context.Context) (*objectPage, error) {
	u, body, err := s.openPage(ctx, s.c.profile.IPObjects.FID)
	if err != nil {
		return nil, fmt.Errorf("reading the IP Object page: %w", err)
	}
	return s.parseObjectPage(u, body)
}

func (s *Session) parseObjectPage(u *url.URL, body string) (*objectPage, error) {
	p := s.c.profile
	objects, err := parseObjectTable(body, p.IPObjects.Columns)
	if err != nil {
		return nil, err
	}
	return &objectPage{url: u, form: findForm(parseForms(body), p.IPObjects.Fields["index"]), objects: objects}, nil
}

// tableBuild is a table being read: rows of cells.
type tableBuild struct{ rows [][]*strings.Builder }

// addCell starts a cell in the last row (a row is started when there is
// none); nil when the row is full.
func (t *tableBuild) addCell() *strings.Builder {
	if len(t.rows) == 0 {
		t.rows = append(t.rows, nil)
	}
	last := &t.rows[len(t.rows)-1]
	if len(*last) >= maxTableCells {
		return nil
	}
	b := &strings.Builder{}
	*last = append(*last, b)
	return b
}

// tableReader turns tags into tables; nested tables are tables of their own.
type tableReader struct {
	tables []*tableBuild
	stack  []*tableBuild
	cell   *strings.Builder
	rows   int
}

func (r *tableReader) visit(tag *htmlTag, text string) {
	switch {
	case tag == nil:
		if r.cell != nil && r.cell.Len() < 1024 {
			r.cell.WriteString(text)
		}
	case tag.name == "table":
		r.table(tag.end)
	case len(r.stack) > 0 && r.rows < maxTableRows:
		r.inTable(tag)
	}
}

// table opens or closes a table.
func (r *tableReader) table(end bool) {
	r.cell = nil
	if !end {
		t := &tableBuild{}
		r.tables, r.stack = append(r.tables, t), append(r.stack, t)
	} else if len(r.stack) > 0 {
		r.stack = r.stack[:len(r.stack)-1]
	}
}

// inTable handles rows and cells of the innermost open table.
func (r *tableReader) inTable(tag *htmlTag) {
	top := r.stack[len(r.stack)-1]
	switch {
	case tag.name == "tr" && !tag.end:
		top.rows = append(top.rows, nil)
		r.rows, r.cell = r.rows+1, nil
	case (tag.name == "td" || tag.name == "th") && !tag.end:
		r.cell = top.addCell()
	case tag.name == "td" || tag.name == "th" || tag.name == "tr":
		r.cell = nil
	}
}

// parseTables returns every table of a page as rows of cell texts.
func parseTables(page string) [][][]string {
	r := &tableReader{}
	scanHTML(page, r.visit)
	out := make([][][]string, len(r.tables))
	for i, t := range r.tables {
		for _, row := range t.rows {
			cells := make([]string, len(row))
			for j, c := range row {
				cells[j] = collapseSpace(c.String())
			}
			out[i] = append(out[i], cells)
		}
	}
	return out
}

// objectColumns maps a header row's cells to column keys by the profile's
// synonyms; ok is false unless it has an index and a start column.
func objectColumns(header []string, columns map[string][]string) (map[int]string, bool) {
	cols := map[int]string{}
	for i, cell := range header {
		best, bestLen := "", 0
		for key, syns := range columns {
			for _, syn := range syns {
				if labelMatches(cell, syn) && len(syn) > bestLen && len(labelWords(cell)) == len(labelWords(syn)) {
					best, bestLen = key, len(syn)
				}
			}
		}
		if best != "" {
			cols[i] = best
		}
	}
	has := map[string]bool{}
	for _, k := range cols {
		has[k] = true
	}
	return cols, has["index"] && has["start"]
}

// parseObjectTable reads the IP objects listed on a page: the first table
// whose header names an index and a start address column.
func parseObjectTable(page string, columns map[string][]string) ([]ipObject, error) {
	for _, table := range parseTables(page) {
		for r, row := range table {
			cols, ok := objectColumns(row, columns)
			if !ok {
				continue
			}
			var out []ipObject
			for _, cells := range table[r+1:] {
				if o, ok := objectFromCells(cells, cols); ok {
					out = append(out, o)
				}
			}
			return out, nil
		}
	}
	return nil, fmt.Errorf("%w: the IP Object page has no table of objects (check the profile's ip_objects.columns)", ErrUnexpectedResponse)
}

// objectFromCells reads one table row; ok is false for rows that are not
// an object (no index).
func objectFromCells(cells []string, cols map[int]string) (ipObject, bool) {
	vals := map[string]string{}
	for i, c := range cells {
		if k, ok := cols[i]; ok {
			vals[k] = strings.TrimSpace(c)
		}
	}
	return objectFromValues(vals)
}

// objectFromValues builds an object from values by column key: index,
// name, interface, type, start, end, mask, end_mask, invert.
func objectFromValues(vals map[string]string) (ipObject, bool) {
	idx, err := strconv.Atoi(strings.Trim(vals["index"], "[]. "))
	if err != nil || idx < 1 || idx > 9999 {
		return ipObject{}, false
	}
	o := ipObject{Index: idx, Name: vals["name"], Start: strings.TrimSpace(vals["start"]), End: vals["end"], Mask: vals["mask"]}
	o.Intf, _ = parseIntf(vals["interface"])
	o.Type, _ = parseObjType(vals["type"])
	if em, ok := vals["end_mask"]; ok {
		if o.Type == objTypeSubnet {
			o.Mask = em
		} else {
			o.End = em
		}
	}
	if inv, err := parseBoolWord(vals["invert"]); err == nil {
		o.Invert = inv
	}
	return o, true
}

// writeObjectForm saves one object through the page's form and reads the
// page back; the object as the router then shows it is returned.
func (s *Session) writeObjectForm(ctx context.Context, page *objectPage, o ipObject) (ipObject, error) {
	if page.form == nil {
		return ipObject{}, fmt.Errorf("%w: the IP Object page has no form with field %q", ErrUnexpectedResponse, s.c.profile.IPObjects.Fields["index"])
	}
	form := page.form.clone()
	if err := fillObjectForm(form, s.c.profile.IPObjects.Fields, o); err != nil {
		return ipObject{}, err
	}
	a, err := s.postForm(ctx, page.url, form, nil, "saving IP object "+strconv.Itoa(o.Index))
	if err != nil {
		return ipObject{}, err
	}
	next, err := s.parseObjectPage(a.url, a.body)
	if err != nil {
		if next, err = s.readObjectPage(ctx); err != nil {
			return ipObject{}, err
		}
	}
	*page = *next
	for _, got := range next.objects {
		if got.Index == o.Index {
			return got, nil
		}
	}
	return ipObject{}, fmt.Errorf("%w: the IP Object page does not list object %d after saving it", ErrUnexpectedResponse, o.Index)
}

// fillObjectForm sets the form's fields to an object. Interface, type and
// mask may be selects or radios whose options are numbers or words.
func fillObjectForm(form *htmlForm, names map[string]string, o ipObject) error {
	bits, _ := maskBits(o.Mask)
	sets := []struct {
		key, value string
		match      func(string) bool
	}{
		{"index", strconv.Itoa(o.Index), nil},
		{"name", o.Name, nil},
		{"interface", strconv.Itoa(o.Intf), func(opt string) bool { v, ok := parseIntf(opt); return ok && v == o.Intf }},
		{"type", strconv.Itoa(o.Type), func(opt string) bool { v, ok := parseObjType(opt); return ok && v == o.Type }},
		{"start", o.Start, nil},
		{"end", o.End, nil},
		{"mask", o.Mask, func(opt string) bool { v, ok := maskBits(opt); return ok && v == bits }},
	}
	for _, st := range sets {
		if err := form.setChoice(names[st.key], st.value, st.match); err != nil {
			return err
		}
	}
	return form.setBool(names["invert"], o.Invert)
}
