//go:build !(linux || freebsd || openbsd || netbsd || windows)

package app

import "context"

// WatchSession reports screen locks and sleep; on this platform Gatekey
// does not hear of them yet, so nothing is ever reported and the idle
// auto-lock is the only automatic lock.
func WatchSession(ctx context.Context) <-chan SessionEvent { return make(chan SessionEvent) }
