package app

// SessionEvent is one reason to lock the vault at once: the desktop locked
// its screen, or the machine is about to sleep.
type SessionEvent struct {
	// Sleep is true when the machine is about to sleep. Gatekey then holds
	// a logind "delay" inhibitor that keeps the machine awake until Locked
	// is called (or until logind's InhibitDelayMaxSec, 5 s by default,
	// runs out), so that the secrets are wiped before memory is frozen.
	Sleep bool
	done  func()
}

// Locked tells the watcher that the vault is locked and its secrets wiped.
// For a sleep it releases the inhibitor, and the machine goes to sleep.
// Call it once the lock has finished, also when the vault was locked
// already; it may be called from any goroutine, and more than once.
func (e SessionEvent) Locked() {
	if e.done != nil {
		e.done()
	}
}
