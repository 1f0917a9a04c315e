//go:build !(linux || freebsd || openbsd || netbsd)

package app

// TrayAvailable reports whether a system tray will show Gatekey's icon. On
// Windows and macOS the notification area and the menu bar always exist.
func TrayAvailable() bool { return true }
