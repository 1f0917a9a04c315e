package routerclient

import (
	"context"
	"fmt"
	"net/netip"
)

// The link between the access list and the IP objects: reads resolve
// object indexes to the networks they hold; writes find or create the
// object for each network before the list is written.

// objectIndexes lists the object indexes among entries.
func objectIndexes(list []string) []int {
	var out []int
	for _, e := range list {
		if n, ok := objectIndex(e); ok {
			out = append(out, n)
		}
	}
	return out
}

// resolveAccessList replaces object:<n> entries by the networks their
// objects hold, and remembers which object each network came from. When
// the objects cannot be read (a page or command this router lacks), the
// entries stay object:<n>, which a write keeps as they are.
func (s *Session) resolveAccessList(ctx context.Context, m *Management, path string) error {
	s.refs = map[string]int{}
	idxs := objectIndexes(m.AccessList)
	if len(idxs) == 0 {
		return nil
	}
	err := s.loadObjects(ctx, path, idxs)
	if err != nil && !pathUnavailable(err) {
		return fmt.Errorf("reading the IP objects of the access list: %w", err)
	}
	m.AccessList = s.objects.resolve(m.AccessList, s.refs)
	return nil
}

// loadObjects reads the objects with these indexes, through the page on
// the form path and one command each on the console path.
func (s *Session) loadObjects(ctx context.Context, path string, idxs []int) error {
	if s.objects == nil {
		s.objects = newObjectTable()
	}
	var missing []int
	for _, i := range idxs {
		if _, ok := s.objects.byIndex[i]; !ok {
			missing = append(missing, i)
		}
	}
	if len(missing) == 0 || s.objects.complete {
		return nil
	}
	if path == pathForm {
		return s.loadAllObjects(ctx, path)
	}
	for _, i := range missing {
		o, err := s.showObject(ctx, i)
		if err != nil {
			return err
		}
		s.objects.byIndex[i] = o
	}
	return nil
}

// loadAllObjects reads every object: from the IP Object page when the
// profile has the form path (two requests), else one command per object.
func (s *Session) loadAllObjects(ctx context.Context, path string) error {
	if s.objects == nil {
		s.objects = newObjectTable()
	}
	if s.objects.complete {
		return nil
	}
	if path == pathForm || contains(s.c.profile.SettingsPaths, pathForm) {
		page, err := s.readObjectPage(ctx)
		if err == nil || path == pathForm {
			if err != nil {
				return err
			}
			s.setObjectPage(page)
			return nil
		}
	}
	for i := 1; i <= s.c.profile.IPObjects.Count; i++ {
		if _, ok := s.objects.byIndex[i]; ok {
			continue
		}
		o, err := s.showObject(ctx, i)
		if err != nil {
			return err
		}
		s.objects.byIndex[i] = o
	}
	s.objects.complete = true
	return nil
}

// setObjectPage takes a freshly read IP Object page as the whole table.
func (s *Session) setObjectPage(page *objectPage) {
	s.objectPage = page
	s.objects = newObjectTable()
	for _, o := range page.objects {
		s.objects.byIndex[o.Index] = o
	}
	s.objects.complete = true
}

// objectRefs returns, for each IPv4 network of target's access list, the
// object that holds it: the one it was read from, else one that holds
// exactly it, else a free one that Gatekey fills and reads back. wrote
// tells whether an object was written.
func (s *Session) objectRefs(ctx context.Context, path string, target Management) (refs map[string]int, wrote bool, err error) {
	refs = map[string]int{}
	var missing []netip.Prefix
	for _, e := range addressEntries(target.AccessList) {
		if i := s.refs[e]; i > 0 {
			refs[e] = i
			continue
		}
		p, err := netipPrefix(e)
		if err != nil {
			return nil, false, err
		}
		missing = append(missing, p)
	}
	if len(missing) == 0 {
		return refs, false, nil
	}
	if err := s.loadAllObjects(ctx, path); err != nil {
		return nil, false, fmt.Errorf("reading the IP objects: %w", err)
	}
	for _, p := range missing {
		o, w, err := s.objectFor(ctx, path, p)
		wrote = wrote || w
		if err != nil {
			return nil, wrote, err
		}
		refs[prefixEntry(p)] = o.Index
	}
	return refs, wrote, nil
}

// netipPrefix reads an IPv4 address or network entry.
func netipPrefix(e string) (netip.Prefix, error) {
	if p, err := netip.ParsePrefix(e); err == nil && p.Addr().Is4() {
		return p.Masked(), nil
	}
	if a, err := netip.ParseAddr(e); err == nil && a.Is4() {
		return netip.PrefixFrom(a, 32), nil
	}
	return netip.Prefix{}, fmt.Errorf("%w: %q is not an IPv4 address or network", ErrBadSetting, truncate(e, 40))
}

// objectFor finds or creates the object for one network.
func (s *Session) objectFor(ctx context.Context, path string, p netip.Prefix) (ipObject, bool, error) {
	o, exists, err := s.objects.holder(p, s.c.profile.IPObjects.Count, nil)
	if err != nil || exists {
		return o, false, err
	}
	var got ipObject
	if path == pathConsole {
		got, err = s.writeObjectConsole(ctx, o)
	} else {
		if s.objectPage == nil {
			page, rerr := s.readObjectPage(ctx)
			if rerr != nil {
				return ipObject{}, false, rerr
			}
			s.setObjectPage(page)
		}
		got, err = s.writeObjectForm(ctx, s.objectPage, o)
	}
	if err != nil {
		return ipObject{}, true, fmt.Errorf("writing IP object %d for %s: %w", o.Index, prefixEntry(p), err)
	}
	s.objects.byIndex[got.Index] = got
	if !got.holds(p) || !got.ours() {
		return ipObject{}, true, fmt.Errorf("%w: IP object %d does not show %s after writing it", ErrNotTaken, o.Index, prefixEntry(p))
	}
	return got, true, nil
}
