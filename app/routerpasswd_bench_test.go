package app

import (
	"context"
	"fmt"
	"math"
	"sort"
	"testing"
	"time"

	"github.com/gatekey/gatekey/routersim"
)

// BenchmarkChangePasswordRequests counts the requests of one password
// change (login, backup, change, logout, login with the new password,
// logout), by path, for the closing figures.
func BenchmarkChangePasswordRequests(b *testing.B) {
	for _, path := range []string{"console", "form"} {
		b.Run(path, func(b *testing.B) {
			d := NewDesktop(b.TempDir(), newMemKeychain())
			r, err := routersim.Start(context.Background(), routersim.Options{LANHTTPS: "127.0.0.1:0"})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { r.Close() })
			rec := Router{Name: "office", URL: r.URLs().LANHTTPS, User: "admin", Fingerprint: r.Fingerprint()}
			if path == "form" {
				rec.Profile = formProfile(b)
			}
			rs, _ := d.Routers().Records()
			if err := rs.Add(rec, "admin"); err != nil {
				b.Fatal(err)
			}
			i := 0
			for b.Loop() {
				r.ResetRequests()
				i++
				if _, err := d.Routers().ChangePassword(context.Background(), "office", fmt.Sprintf("Strong-passw0rd-%d", i), ChangeOptions{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(r.Requests()), "requests")
			byPath := r.RequestsByPath()
			paths := make([]string, 0, len(byPath))
			for p := range byPath {
				paths = append(paths, p)
			}
			sort.Strings(paths)
			for _, p := range paths {
				b.Logf("%-28s %d", p, byPath[p])
			}
		})
	}
}

// BenchmarkFleetChangePassword changes the passwords of 100 simulated
// routers that each answer after 50 ms, beside the ideal time: every
// router's requests at that latency, FleetConcurrency at a time.
func BenchmarkFleetChangePassword(b *testing.B) {
	const routers, latency = 100, 50 * time.Millisecond
	d := NewDesktop(b.TempDir(), newMemKeychain())
	rs, _ := d.Routers().Records()
	sims := make([]*routersim.Router, routers)
	names := make([]string, routers)
	for i := range sims {
		r, err := routersim.Start(context.Background(), routersim.Options{LANHTTPS: "127.0.0.1:0", Latency: latency})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { r.Close() })
		sims[i], names[i] = r, fmt.Sprintf("r%03d", i)
		if err := rs.Add(Router{Name: names[i], URL: r.URLs().LANHTTPS, User: "admin", Fingerprint: r.Fingerprint()}, "admin"); err != nil {
			b.Fatal(err)
		}
	}
	round := 0
	for b.Loop() {
		round++
		for _, r := range sims {
			r.ResetRequests()
		}
		start := time.Now()
		outcomes := d.Routers().FleetChangePassword(context.Background(), names,
			func(name string) (string, error) { return fmt.Sprintf("Fleet-passw0rd-%s-%d", name, round), nil }, ChangeOptions{}, nil)
		wall := time.Since(start)
		requests := 0
		for i, o := range outcomes {
			if o.Err != nil {
				b.Fatal(o.Name, o.Err)
			}
			requests += sims[i].Requests()
		}
		perRouter := float64(requests) / routers
		ideal := time.Duration(math.Ceil(float64(routers)/FleetConcurrency) * perRouter * float64(latency))
		b.ReportMetric(perRouter, "req/router")
		b.ReportMetric(wall.Seconds(), "wall-s")
		b.ReportMetric(ideal.Seconds(), "ideal-s")
	}
}
