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
	n := c.Requests()
	m, err := s.ReadManagement(ctx)
	if err != nil {
		t.Fatal(err)
	}
	counts["read"] = c.Requests() - n
	target, _ := ApplySettings(m, []string{"ping=off", "brute_force=on", "access_list=192.0.2.0/24"})
	n = c.Requests()
	if _, err := s.ApplyManagement(ctx, target, ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	counts["apply+verify"] = c.Requests() - n
	n = c.Requests()
	if _, err := s.Set(ctx, []string{"ping=on"}, ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	counts["set"] = c.Requests() - n
	n = c.Requests()
	s.Close(ctx)
	counts["logout"] = c.Requests() - n
	return counts
}

// The protocol's minimum: probe 1 GET; login GET page + POST; form read
// v2x00 redirect + page; apply = read (2) + POST + the page it redirects to,
// which is the read-back. The console path reads with four status commands.
func TestRequestCounts(t *testing.T) {
	t.Parallel()
	want := map[string]map[string]int64{
		"form": {"probe": 1, "login": 2, "read": 2, "apply+verify": 4, "logout": 1},
		// read 4 + echoicmp, bfp, accesslist add + commit + read back 4
		"console": {"probe": 1, "login": 2, "read": 4, "apply+verify": 4 + 3 + 1 + 4, "set": 4 + 1 + 1 + 4, "logout": 1},
	}
	for name, p := range map[string]*Profile{"form": DefaultProfile(), "console": consoleFirst()} {
		got := requestCounts(t, p)
		for op, n := range want[name] {
			if got[op] != n {
				t.Errorf("%s path, %s: %d requests, want %d", name, op, got[op], n)
			}
		}
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
