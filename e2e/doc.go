// Package e2e holds end-to-end tests that run the real gatekey binary: on
// the private X display and keychain of scripts/desktop-session for the
// window, and as a plain process for the command line.
package e2e
