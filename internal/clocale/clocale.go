// Package clocale keeps Fyne quiet about the "C.UTF-8" locale.
//
// Fyne's lang package reads the locale from the environment while it is
// initialised and logs an error to stderr when it cannot parse it, which is
// the case for "C.UTF-8" (the default of many containers and CI machines);
// it accepts the equivalent "C". The command line promises that stderr carries
// only Gatekey's own messages, so this package, imported by main, rewrites
// such a value to "C" before Fyne's init runs, and Restore puts it back.
//
// Go initialises packages in import-path order among those whose imports are
// ready: this package imports only os and strings, which Fyne's locale
// dependency (github.com/jeandeaual/go-locale) imports too, and its path sorts
// before that one's, so its init always runs first.
package clocale

import (
	"os"
	"strings"
)

var saved = map[string]string{}

func init() {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v, ok := os.LookupEnv(name)
		if !ok || v == "" {
			continue
		}
		if strings.HasPrefix(v, "C.") || strings.HasPrefix(v, "POSIX.") {
			saved[name] = v
			os.Setenv(name, "C")
		}
		return // the first one set is the one that counts
	}
}

// Restore puts back the environment as the process received it, so that the
// programs Gatekey starts (a browser, say) see the user's own locale.
func Restore() {
	for name, v := range saved {
		os.Setenv(name, v)
	}
}
