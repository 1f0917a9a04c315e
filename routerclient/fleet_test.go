package routerclient

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatekey/gatekey/routersim"
)

func TestFleetWithOneFailing(t *testing.T) {
	t.Parallel()
	routers := map[string]*routersim.Router{}
	var names []string
	for _, n := range []string{"a", "b", "c", "d"} {
		routers[n] = startSim(t, routersim.Options{})
		names = append(names, n)
	}
	routers["c"].Close() // unreachable
	var progress atomic.Int32
	results := RunFleet(t.Context(), names, 2, func(ctx context.Context, name string) (Management, error) {
		c, err := New(routers[name].URLs().LANHTTPS, WithPin(routers[name].Fingerprint()), WithTimeout(2*time.Second))
		if err != nil {
			return Management{}, err
		}
		s, err := c.Login(ctx, adminCreds, nil)
		if err != nil {
			return Management{}, err
		}
		defer s.Close(ctx)
		m, _ := s.ReadManagement(ctx)
		target, _ := ApplySettings(m, []string{"ping=off"})
		res, err := s.ApplyManagement(ctx, target, ApplyOptions{})
		if err != nil {
			return Management{}, err
		}
		return res.After, nil
	}, func(p FleetProgress) { progress.Add(1) })
	for _, res := range results {
		if res.Name == "c" {
			if !errors.Is(res.Err, ErrUnreachable) {
				t.Errorf("c: %v, want ErrUnreachable", res.Err)
			}
			continue
		}
		if res.Err != nil || res.Value.Ping || routers[res.Name].Snapshot().Management.Ping {
			t.Errorf("%s: %v, ping %v", res.Name, res.Err, res.Value.Ping)
		}
	}
	if progress.Load() != 4 {
		t.Errorf("progress reported %d times", progress.Load())
	}
}

func TestFleetCancellation(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	var ran atomic.Int32
	results := RunFleet(ctx, []string{"1", "2", "3", "4", "5"}, 1, func(ctx context.Context, name string) (int, error) {
		ran.Add(1)
		cancel()
		<-ctx.Done()
		return 0, ctx.Err()
	}, nil)
	if ran.Load() != 1 {
		t.Errorf("%d operations ran after cancellation", ran.Load())
	}
	for _, r := range results {
		if !errors.Is(r.Err, context.Canceled) {
			t.Errorf("%s: %v", r.Name, r.Err)
		}
	}
}
