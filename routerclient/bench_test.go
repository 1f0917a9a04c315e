package routerclient

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/gatekey/gatekey/routersim"
)

// requestCounts measures the requests of each operation on one router.
func requestCounts(t testing.TB, profile *Profile) map[string]int64 {
	r := startSim(t, routersim.Options{})
	ctx := context.Background()
	counts := map[string]int64{}
	pc, err := New(r.URLs().LANHTTPS, WithPin(r.Fingerprint()), WithProfile(profile))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pc.Probe(ctx); err != nil {
		t.Fatal(err)
	}
	counts["probe"] = pc.Requests()
	c := lanClient(t, r, WithProfile(profile))
	s, err := c.Login(ctx, adminCreds, nil)
	if err != nil {
		t.Fatal(err)
	}
	counts["login"] = c.Requests()
	measure := func(op string, f func() error) {
		n := c.Requests()
		if err := f(); err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		counts[op] = c.Requests() - n
	}
	var m Management
	measure("read", func() (err error) { m, err = s.ReadManagement(ctx); return err })
	target, _ := ApplySettings(m, []string{"ping=off", "brute_force=on", "access_list=192.0.2.0/24"})
	measure("apply+verify", func() error { _, err := s.ApplyManagement(ctx, target, ApplyOptions{}); return err })
	measure("set", func() error { _, err := s.Set(ctx, []string{"ping=on"}, ApplyOptions{}); return err })
	measure("logout", func() error { return s.Logout(ctx) })
	// A new session reads the objects the list points at.
	measure("login+read-with-object", func() (err error) {
		if s, err = c.Login(ctx, adminCreds, nil); err == nil {
			_, err = s.ReadManagement(ctx)
		}
		return err
	})
	// Harden with an access list: one network an object already holds,
	// one that needs a new object.
	r.Update(func(st *routersim.State) {
		st.Objects[9] = routersim.IPObject{Name: "partner", Type: routersim.ObjectSingle, Start: "203.0.113.9", End: "0.0.0.0", Mask: "0.0.0.0"}
	})
	s.Logout(ctx)
	measure("login+harden-allow", func() (err error) {
		if s, err = c.Login(ctx, adminCreds, nil); err == nil {
			_, err = s.Harden(ctx, HardenOptions{Allow: []string{"198.51.100.0/24", "203.0.113.9"}, TOTPLinked: true})
		}
		return err
	})
	s.Logout(ctx)
	return counts
}

// The protocol's minimum: probe 1 GET; login GET page + POST; a form read
// is the v2x00 redirect + the page. Writing through the form posts and
// follows the redirect to the page, which is the read-back (2); a new IP
// object costs the object list (2) and its save (POST, v2x00 redirect,
// page: 3). The console reads with four status commands plus the
// Management page for what only the page shows (IPv6, TLS, ports), and
// writes one command per setting, one per object field and its read-back,
// a commit and four status commands.
func TestRequestCounts(t *testing.T) {
	t.Parallel()
	want := map[string]map[string]int64{
		"form": {"probe": 1, "login": 2, "read": 2,
			"apply+verify":           2 + 2 + 3 + 2, // read, object list, object save, Management save
			"set":                    2 + 2,
			"logout":                 1,
			"login+read-with-object": 2 + 2 + 2,
			// login, read + object list, object save, Management save
			"login+harden-allow": 2 + 4 + 3 + 2},
		"console": {"probe": 1, "login": 2, "read": 4 + 2,
			// read, object list, -n/-a/-v, echoicmp, accesslist add, bfp, commit, read back
			"apply+verify":           6 + 2 + 3 + 3 + 1 + 4,
			"set":                    6 + 1 + 1 + 4,
			"logout":                 1,
			"login+read-with-object": 2 + 6 + 1,
			// login, read + one -v, object list, -n/-a/-v; rmtcfg enable,
			// enforce_https, echoicmp, accesslist remove + 2 adds, commit,
			// read back; then TLS through the form (page, post + page)
			"login+harden-allow": 2 + 7 + 2 + 3 + 6 + 1 + 4 + 4},
	}
	for name, p := range map[string]*Profile{"form": DefaultProfile(), "console": consoleFirst()} {
		got := requestCounts(t, p)
		for op, n := range want[name] {
			if got[op] != n {
				t.Errorf("%s path, %s: %d requests, want %d", name, op, got[op], n)
			}
		}
		t.Logf("%s path: %v", name, got)
	}
}

func BenchmarkRequestCounts(b *testing.B) {
	for b.Loop() {
		for name, p := range map[string]*Profile{"form": DefaultProfile(), "console": consoleFirst()} {
			for op, n := range requestCounts(b, p) {
				b.ReportMetric(float64(n), name+"-"+op+"-req")
			}
		}
	}
}

// BenchmarkFleet applies a change to 100 simulated routers with 50 ms of
// latency each, 16 at a time, and reports the wall time against the ideal
// (routers x requests x latency / concurrency).
func BenchmarkFleet(b *testing.B) {
	const routers, concurrency, latency = 100, 16, 50 * time.Millisecond
	ctx := context.Background()
	sims := make([]*routersim.Router, routers)
	names := make([]string, routers)
	for i := range sims {
		r, err := routersim.Start(ctx, routersim.Options{LANHTTPS: "127.0.0.1:0", Latency: latency})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { r.Close() })
		sims[i], names[i] = r, fmt.Sprint(i)
	}
	var requests int64
	flip := "on"
	for b.Loop() {
		requests = 0
		flip = map[string]string{"on": "off", "off": "on"}[flip]
		start := time.Now()
		results := RunFleet(ctx, names, concurrency, func(ctx context.Context, name string) (int64, error) {
			var i int
			fmt.Sscan(name, &i)
			c, err := New(sims[i].URLs().LANHTTPS, WithPin(sims[i].Fingerprint()))
			if err != nil {
				return 0, err
			}
			s, err := c.Login(ctx, adminCreds, nil)
			if err != nil {
				return 0, err
			}
			if _, err := s.Set(ctx, []string{"ping=" + flip}, ApplyOptions{}); err != nil {
				return 0, err
			}
			s.Close(ctx)
			return c.Requests(), nil
		}, nil)
		wall := time.Since(start)
		for _, r := range results {
			if r.Err != nil {
				b.Fatal(r.Name, r.Err)
			}
			requests += r.Value
		}
		perRouter := float64(requests) / routers
		ideal := time.Duration(float64(routers) * perRouter * float64(latency) / concurrency)
		b.ReportMetric(perRouter, "req/router")
		b.ReportMetric(wall.Seconds(), "wall-s")
		b.ReportMetric(ideal.Seconds(), "ideal-s")
	}
}
