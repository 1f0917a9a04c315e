//go:build linux || freebsd || openbsd || netbsd || dragonfly

package qrscan

import (
	"context"
	"errors"
	"fmt"
	"image"
	"net/url"
	"os"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/godbus/dbus/v5"
)

// portalRequests numbers portal requests so that their handles are unique.
var portalRequests atomic.Uint64

// capturePortal asks the desktop portal for a screenshot, the only way a
// Wayland client may read the screen. The portal writes the picture to a
// file and answers with its URI; the file is read and then removed, so no
// copy of a screen that may show secrets stays behind.
func capturePortal(ctx context.Context) (image.Image, error) {
	conn, err := dbus.ConnectSessionBus(dbus.WithContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("connecting to the session bus: %v: %w", err, ErrUnsupportedSource)
	}
	defer conn.Close()

	token := "gatekey" + strconv.FormatUint(portalRequests.Add(1), 10) + strconv.Itoa(os.Getpid())
	// The request object's path is known in advance (portal documentation,
	// "Shared Request interface"): subscribe before calling so the answer
	// cannot be missed.
	sender := []byte(conn.Names()[0][1:])
	for i, c := range sender {
		if c == '.' {
			sender[i] = '_'
		}
	}
	path := dbus.ObjectPath("/org/freedesktop/portal/desktop/request/" + string(sender) + "/" + token)
	if err := conn.AddMatchSignal(dbus.WithMatchObjectPath(path),
		dbus.WithMatchInterface("org.freedesktop.portal.Request"), dbus.WithMatchMember("Response")); err != nil {
		return nil, fmt.Errorf("asking the screenshot portal: %w", err)
	}
	signals := make(chan *dbus.Signal, 4)
	conn.Signal(signals)

	portal := conn.Object("org.freedesktop.portal.Desktop", "/org/freedesktop/portal/desktop")
	var handle dbus.ObjectPath
	err = portal.CallWithContext(ctx, "org.freedesktop.portal.Screenshot.Screenshot", 0, "",
		map[string]dbus.Variant{"handle_token": dbus.MakeVariant(token), "interactive": dbus.MakeVariant(false)}).Store(&handle)
	if err != nil {
		return nil, fmt.Errorf("asking the screenshot portal: %v: %w", err, ErrUnsupportedSource)
	}
	timeout := time.NewTimer(2 * time.Minute) // the user may be asked to allow it
	defer timeout.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-timeout.C:
			return nil, errors.New("the screenshot portal did not answer")
		case sig := <-signals:
			if sig.Path != handle && sig.Path != path || len(sig.Body) < 2 {
				continue
			}
			return portalResult(sig.Body)
		}
	}
}

// portalResult reads the screenshot named in a Response signal.
func portalResult(body []interface{}) (image.Image, error) {
	code, _ := body[0].(uint32)
	if code != 0 {
		return nil, errors.New("the screenshot was cancelled or refused")
	}
	results, _ := body[1].(map[string]dbus.Variant)
	uri, _ := results["uri"].Value().(string)
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "file" {
		return nil, errors.New("the screenshot portal gave no file")
	}
	data, err := os.ReadFile(u.Path)
	os.Remove(u.Path)
	if err != nil {
		return nil, fmt.Errorf("reading the portal's screenshot: %w", err)
	}
	return decodeImageData(data)
}
