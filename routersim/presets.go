package routersim

import "fmt"

// applyPresets applies the start-up settings of the options to st and checks
// the result as a form save would.
func (o Options) applyPresets(st *State) error {
	m := &st.Management
	if o.ValidationCode {
		m.ValidationCode = true
	}
	if o.IPv6Open {
		m.IPv6.Internet, m.IPv6.HTTP, m.IPv6.HTTPS = true, true, true
	}
	if o.TR069Open {
		m.Internet, m.TR069 = true, true
	}
	if err := o.applyObjects(st); err != nil {
		return err
	}
	if err := setList(&m.AccessList, o.AccessList, "access list"); err != nil {
		return err
	}
	if err := setList(&m.IPv6.AccessList, o.IPv6AccessList, "IPv6 access list"); err != nil {
		return err
	}
	return st.normalize()
}

// applyObjects sets the objects and groups of the options.
func (o Options) applyObjects(st *State) error {
	for n, obj := range o.Objects {
		if n < 1 || n > MaxObjects {
			return fmt.Errorf("IP object index %d outside 1-%d", n, MaxObjects)
		}
		st.Objects[n-1] = obj
	}
	for n, g := range o.Groups {
		if n < 1 || n > MaxGroups {
			return fmt.Errorf("IP group index %d outside 1-%d", n, MaxGroups)
		}
		st.Groups[n-1] = g
	}
	return nil
}

// setList replaces a 10-entry list with entries, unless entries is nil.
func setList(list *[10]string, entries []string, what string) error {
	if entries == nil {
		return nil
	}
	if len(entries) > len(list) {
		return fmt.Errorf("%s: %d entries, at most %d", what, len(entries), len(list))
	}
	*list = [10]string{}
	copy(list[:], entries)
	return nil
}
