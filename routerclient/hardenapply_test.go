package routerclient

import (
	"errors"
	"testing"

	"github.com/gatekey/gatekey/routersim"
	"github.com/google/go-cmp/cmp"
)

// hardenStart is a starting state for the plan-against-router test.
type hardenStart struct {
	name string
	opts routersim.Options
	edit func(*routersim.State)
	hard HardenOptions
}

var hardenStarts = []hardenStart{
	{"weak, IPv6 and TR-069 open", routersim.Options{IPv6Open: true, TR069Open: true}, func(s *routersim.State) {
		m := &s.Management
		m.HTTP, m.Telnet, m.FTP, m.SNMP, m.Ping = true, true, true, true, true
		m.TLS = routersim.TLSVersions{TLS12: true, TLS11: true, TLS10: true, SSL3: true}
	}, HardenOptions{}},
	{"TR-069 kept for an ACS", routersim.Options{TR069Open: true}, nil, HardenOptions{KeepTR069: true}},
	{"--allow with objects, groups and host names", routersim.Options{
		Objects:    map[int]routersim.IPObject{5: {Name: "office", Type: routersim.ObjectSubnet, Start: "198.51.100.0", Mask: "255.255.255.0"}},
		AccessList: []string{"5", "g2", "vpn.example.net"},
	}, nil, HardenOptions{Allow: []string{"203.0.113.0/24", "198.51.100.0/24", "192.0.2.9"}, TOTPLinked: true}},
	{"--allow without TOTP", routersim.Options{IPv6Open: true}, nil, HardenOptions{Allow: []string{"203.0.113.0/24", "2001:db8::/32"}}},
	{"IPv6 prefixes", routersim.Options{IPv6AccessList: []string{"2001:db8:9::/48"}}, nil,
		HardenOptions{Allow: []string{"2001:db8::/32", "192.0.2.0/25"}, TOTPLinked: true}},
}

// A dry run's changes are exactly what harden then writes and reads back,
// on both settings paths and from several starting states; the dry run
// writes nothing.
func TestHardenAppliesThePlan(t *testing.T) {
	t.Parallel()
	for _, start := range hardenStarts {
		for name, profile := range map[string]func() *Profile{"form": DefaultProfile, "console": consoleFirst} {
			t.Run(start.name+"/"+name, func(t *testing.T) {
				t.Parallel()
				hardenAgainstPlan(t, start, profile)
			})
		}
	}
}

// hardenAgainstPlan makes a dry run and then the real run on a router in
// the starting state, and compares.
func hardenAgainstPlan(t *testing.T, start hardenStart, profile func() *Profile) {
	r := startSim(t, start.opts)
	if start.edit != nil {
		if err := r.Update(start.edit); err != nil {
			t.Fatal(err)
		}
	}
	before := r.Snapshot()
	plan, err := login(t, lanClient(t, r, WithProfile(profile())), adminCreds, nil).PlanHarden(t.Context(), start.hard)
	if err != nil {
		t.Fatal(err)
	}
	if r.Snapshot() != before || len(plan.Changes) == 0 {
		t.Fatalf("the dry run changed the router, or plans nothing: %v", plan.Changes)
	}
	res, err := login(t, lanClient(t, r, WithProfile(profile())), adminCreds, nil).Harden(t.Context(), start.hard)
	if !errors.Is(err, plan.Blocked) {
		t.Fatalf("harden: %v (plan blocked: %v)", err, plan.Blocked)
	}
	if d := cmp.Diff(plan.Changes, res.Changes); d != "" || len(res.NotTaken) != 0 {
		t.Errorf("applied changes differ from the dry run (-plan +applied):\n%s\nnot taken %v", d, res.NotTaken)
	}
	after, err := login(t, lanClient(t, r), adminCreds, nil).ReadManagement(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(plan.Changes, orderChanges(Diff(plan.Current, after), hardenOrder)); d != "" {
		t.Errorf("read back differs from the plan (-plan +router):\n%s", d)
	}
	if d := cmp.Diff(plan.Target, after); d != "" {
		t.Errorf("router after harden (-plan target +router):\n%s", d)
	}
	checkObjects(t, before, r.Snapshot(), createdObjects(before, plan))
}

// createdObjects predicts the objects harden fills: one per allowed IPv4
// network that no object holds, in the free slots from 1 up.
func createdObjects(before routersim.State, plan *HardenPlan) map[int]string {
	out := map[int]string{}
	free := 1
	for _, e := range addressEntries(plan.Target.AccessList) {
		p, err := netipPrefix(e)
		if err != nil {
			continue
		}
		held := false
		for i := range before.Objects {
			if simObject(before, i+1).holds(p) {
				held = true
			}
		}
		if held {
			continue
		}
		for !simObject(before, free).free() {
			free++
		}
		out[free] = p.String()
		free++
	}
	return out
}

// A plan shown to a person is written only while the router still shows
// the settings it was made from.
func TestApplyHardenPlanRefusesStalePlan(t *testing.T) {
	t.Parallel()
	r := startSim(t, routersim.Options{})
	s := login(t, lanClient(t, r), adminCreds, nil)
	plan, err := s.PlanHarden(t.Context(), HardenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Update(func(st *routersim.State) { st.Management.Telnet = true }); err != nil {
		t.Fatal(err)
	}
	before := r.Snapshot()
	if _, err := s.ApplyHardenPlan(t.Context(), plan); !errors.Is(err, ErrPlanStale) {
		t.Fatalf("got %v, want ErrPlanStale", err)
	}
	if r.Snapshot() != before {
		t.Fatal("a stale plan was written")
	}
	if plan, err = s.PlanHarden(t.Context(), HardenOptions{}); err != nil {
		t.Fatal(err)
	}
	res, err := s.ApplyHardenPlan(t.Context(), plan)
	if err != nil || !cmp.Equal(res.Changes, plan.Changes) {
		t.Fatalf("fresh plan: %v, applied %v, planned %v", err, res.Changes, plan.Changes)
	}
}
