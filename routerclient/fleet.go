package routerclient

import (
	"context"
	"sync"
	"time"
)

// FleetResult is one router's outcome of a fleet operation.
type FleetResult[T any] struct {
	Name    string
	Value   T
	Err     error
	Elapsed time.Duration
}

// FleetProgress is reported after each router finishes.
type FleetProgress struct {
	Name  string
	Err   error
	Done  int
	Total int
}

// RunFleet runs op on every named router with at most concurrency at once,
// calls progress (if not nil, from one goroutine at a time) after each, and
// returns the results in the order of names. When ctx ends, routers not yet
// started report ctx's error and running ones see the cancelled context.
func RunFleet[T any](ctx context.Context, names []string, concurrency int, op func(ctx context.Context, name string) (T, error), progress func(FleetProgress)) []FleetResult[T] {
	if concurrency < 1 {
		concurrency = 1
	}
	results := make([]FleetResult[T], len(names))
	sem := make(chan struct{}, concurrency)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	report := func(i int) {
		mu.Lock()
		defer mu.Unlock()
		done++
		if progress != nil {
			progress(FleetProgress{Name: names[i], Err: results[i].Err, Done: done, Total: len(names)})
		}
	}
	for i, name := range names {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			results[i] = FleetResult[T]{Name: name, Err: ctx.Err()}
			report(i)
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			start := time.Now()
			v, err := op(ctx, name)
			results[i] = FleetResult[T]{Name: name, Value: v, Err: err, Elapsed: time.Since(start)}
			report(i)
		}()
	}
	wg.Wait()
	return results
}
