//go:build linux || freebsd || openbsd || netbsd || dragonfly

package qrscan

import (
	"context"
	"errors"
	"fmt"
	"image"
	"os"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
)

// The clipboard is read straight from the X CLIPBOARD selection over the
// X protocol (pure Go through xgb) rather than with golang.design/x/clipboard:
// that package needs cgo and libx11 headers to build and an X display at
// init, while this needs neither, keeps the CLI buildable with
// CGO_ENABLED=0, and shares the connection code with the screen capture.

// clipboardImageTypes are the targets asked for, in order of preference.
var clipboardImageTypes = []string{"image/png", "image/bmp", "image/jpeg", "image/gif", "image/webp"}

// clipboardTimeout bounds how long a clipboard owner may take to answer.
const clipboardTimeout = 5 * time.Second

// clipboardImage reads and decodes the image on the clipboard.
func clipboardImage(ctx context.Context) (image.Image, error) {
	data, err := clipboardData(ctx)
	if err != nil {
		return nil, err
	}
	img, err := decodeImageData(data)
	if err != nil {
		return nil, fmt.Errorf("clipboard: %w", err)
	}
	return img, nil
}

// clipboardData reads the clipboard's image in the first format offered.
func clipboardData(ctx context.Context) ([]byte, error) {
	if os.Getenv("DISPLAY") == "" {
		return nil, fmt.Errorf("reading the clipboard: no X display (DISPLAY is not set): %w", ErrUnsupportedSource)
	}
	ctx, cancel := context.WithTimeout(ctx, clipboardTimeout)
	defer cancel()
	data, err := withX(ctx, readSelectionImage)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, errors.New("reading the clipboard: the application holding it did not answer")
		}
		return nil, fmt.Errorf("reading the clipboard: %w", err)
	}
	return data, nil
}

// selectionReader holds one conversation with the selection owner.
type selectionReader struct {
	conn  *xgb.Conn
	win   xproto.Window
	prop  xproto.Atom
	atoms map[string]xproto.Atom
}

func readSelectionImage(conn *xgb.Conn) ([]byte, error) {
	r := &selectionReader{conn: conn, atoms: map[string]xproto.Atom{}}
	names := append([]string{"CLIPBOARD", "TARGETS", "INCR", "GATEKEY_SELECTION"}, clipboardImageTypes...)
	for _, n := range names {
		reply, err := xproto.InternAtom(conn, false, uint16(len(n)), n).Reply()
		if err != nil {
			return nil, err
		}
		r.atoms[n] = reply.Atom
	}
	r.prop = r.atoms["GATEKEY_SELECTION"]
	screen := xproto.Setup(conn).DefaultScreen(conn)
	win, err := xproto.NewWindowId(conn)
	if err != nil {
		return nil, err
	}
	r.win = win
	// An unmapped window to receive the answer, watching its properties
	// for the chunks of an INCR transfer.
	if err := xproto.CreateWindowChecked(conn, screen.RootDepth, win, screen.Root, 0, 0, 1, 1, 0,
		xproto.WindowClassInputOutput, screen.RootVisual, xproto.CwEventMask,
		[]uint32{xproto.EventMaskPropertyChange}).Check(); err != nil {
		return nil, err
	}
	defer xproto.DestroyWindow(conn, win)

	targets, _, err := r.convert(r.atoms["TARGETS"])
	if err != nil {
		return nil, err
	}
	offered := map[xproto.Atom]bool{}
	for i := 0; i+4 <= len(targets); i += 4 {
		offered[xproto.Atom(xgb.Get32(targets[i:]))] = true
	}
	for _, t := range clipboardImageTypes {
		if offered[r.atoms[t]] {
			data, _, err := r.convert(r.atoms[t])
			return data, err
		}
	}
	return nil, ErrNoImage
}

// convert asks the owner for the selection as target and reads the answer,
// following the INCR protocol for large ones (ICCCM §2.7.2).
func (r *selectionReader) convert(target xproto.Atom) ([]byte, xproto.Atom, error) {
	xproto.ConvertSelection(r.conn, r.win, r.atoms["CLIPBOARD"], target, r.prop, xproto.TimeCurrentTime)
	for {
		ev, xerr := r.conn.WaitForEvent()
		if ev == nil && xerr == nil {
			return nil, 0, errors.New("connection to the X display closed")
		}
		if xerr != nil {
			continue // an error for some other request
		}
		n, ok := ev.(xproto.SelectionNotifyEvent)
		if !ok || n.Requestor != r.win {
			continue
		}
		if n.Property == xproto.AtomNone {
			return nil, 0, ErrNoImage // no owner, or it cannot give that type
		}
		data, typ, err := r.readProperty()
		if err != nil || typ != r.atoms["INCR"] {
			return data, typ, err
		}
		return r.readIncremental()
	}
}

// readProperty reads and deletes the transfer property.
func (r *selectionReader) readProperty() ([]byte, xproto.Atom, error) {
	var data []byte
	var typ xproto.Atom
	for offset := uint32(0); ; {
		reply, err := xproto.GetProperty(r.conn, false, r.win, r.prop, xproto.GetPropertyTypeAny, offset, 1<<20).Reply()
		if err != nil {
			return nil, 0, err
		}
		typ = reply.Type
		data = append(data, reply.Value...)
		if len(data) > MaxFileBytes {
			return nil, 0, ErrTooLarge
		}
		if reply.BytesAfter == 0 {
			break
		}
		offset += uint32(len(reply.Value)) / 4
	}
	xproto.DeleteProperty(r.conn, r.win, r.prop)
	return data, typ, nil
}

// readIncremental collects INCR chunks until the empty one that ends them.
func (r *selectionReader) readIncremental() ([]byte, xproto.Atom, error) {
	var all []byte
	for {
		ev, xerr := r.conn.WaitForEvent()
		if ev == nil && xerr == nil {
			return nil, 0, errors.New("connection to the X display closed")
		}
		p, ok := ev.(xproto.PropertyNotifyEvent)
		if xerr != nil || !ok || p.Window != r.win || p.Atom != r.prop || p.State != xproto.PropertyNewValue {
			continue
		}
		chunk, typ, err := r.readProperty()
		if err != nil {
			return nil, 0, err
		}
		if len(chunk) == 0 {
			return all, typ, nil
		}
		all = append(all, chunk...)
		if len(all) > MaxFileBytes {
			return nil, 0, ErrTooLarge
		}
	}
}
