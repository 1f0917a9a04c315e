package routersim

import (
	"errors"
	"net/http"
	"strconv"
)

// objectRow is one object in the IP Object page's table.
type objectRow struct {
	Index                                   int
	Name, Intf, Type, Start, End, Mask, Inv string
}

// option is one <option> of a select.
type option struct {
	Value, Label string
	Selected     bool
}

// objectPageLocked fills the IP Object page (drayos-web.md §4.3 [A]): the
// form edits object idx (the first free one when idx is 0) and the table
// lists all 192.
func (r *Router) objectPageLocked(d *pageData, idx int) {
	st := &r.running
	if idx < 1 || idx > MaxObjects {
		idx = 1
		for i, o := range st.Objects {
			if o.free() {
				idx = i + 1
				break
			}
		}
	}
	o := st.Objects[idx-1]
	d.ObjIdx, d.Obj = idx, o
	for _, v := range []ObjectInterface{InterfaceAny, InterfaceLAN, InterfaceWAN} {
		d.IntfOptions = append(d.IntfOptions, option{strconv.Itoa(int(v)), interfaceNames[v], v == o.Interface})
	}
	for _, v := range []ObjectType{ObjectSingle, ObjectRange, ObjectSubnet} {
		d.TypeOptions = append(d.TypeOptions, option{strconv.Itoa(int(v)), objectTypeNames[v], v == o.Type})
	}
	for i, o := range st.Objects {
		inv := "No"
		if o.Invert {
			inv = "Yes"
		}
		d.ObjRows = append(d.ObjRows, objectRow{i + 1, o.Name, interfaceNames[o.Interface], objectTypeNames[o.Type],
			orZero(o.Start), orZero(o.End), orZero(o.Mask), inv})
	}
}

// objectFields maps what objectError names to the form's fields.
var objectFields = map[string]string{
	"name": "sObjName", "interface": "iObjIntf", "address type": "iObjType",
	"start address": "sStartIp", "end address": "sEndIp", "mask": "sMask",
}

// objectFromForm reads the IP Object form: the index and the object it
// saves, in the form the router keeps. A name and start address left empty
// and 0.0.0.0 free the object. Problems are noted in fr.
func objectFromForm(fr *formReader) (int, IPObject) {
	idx := fr.number("iObjIdx", 1, MaxObjects)
	o := IPObject{
		Name:      fr.text("sObjName"),
		Interface: ObjectInterface(fr.number("iObjIntf", 0, 2)),
		Type:      ObjectType(fr.number("iObjType", 1, 3)),
		Start:     fr.text("sStartIp"),
		End:       fr.text("sEndIp"),
		Mask:      fr.text("sMask"),
		Invert:    fr.checked("iInvert"),
	}
	if fr.missing != "" || fr.invalid != "" {
		return idx, o
	}
	norm, err := o.normalized()
	var oe *objectError
	if errors.As(err, &oe) {
		fr.invalid = objectFields[oe.field]
		return idx, o
	}
	if norm.free() {
		norm = FreeObject()
	}
	return idx, norm
}

// saveObject is objip.cgi: it saves the one object the form names.
func (r *Router) saveObject(c *call, token string) {
	back := navURL(token, "2301")
	f := c.req.PostForm
	if c.req.Method != http.MethodPost || f.Get("webchange") != "1" {
		redirect(c, back)
		return
	}
	fr := r.newFormReader(f)
	idx, obj := objectFromForm(fr)
	if r.formFailed(c, fr) {
		return
	}
	r.mu.Lock()
	st := r.running
	st.Objects[idx-1] = obj
	err := r.applyAndCommitLocked(st)
	r.mu.Unlock()
	if err != nil {
		r.saveFailed(c)
		return
	}
	redirect(c, back)
}
