// Package desktoptest drives the real Gatekey binary on the X display that
// scripts/desktop-session provides: it builds the binary, finds its window,
// takes screenshots and closes the window the way a window manager would.
package desktoptest

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"

	"github.com/gatekey/gatekey/internal/testenv"
)

var (
	buildOnce sync.Once
	buildPath string
	buildErr  error
	buildLog  []byte
)

// BinaryEnv names a gatekey binary to test instead of building one from
// this checkout, to measure an older build with today's tests.
const BinaryEnv = "GATEKEY_TEST_BINARY"

// Binary builds the gatekey binary once per test process, with the same tags
// as `make build`, and returns its path.
func Binary(t testing.TB) string {
	t.Helper()
	if bin := os.Getenv(BinaryEnv); bin != "" {
		return bin
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "gatekey-bin-")
		if err != nil {
			buildErr = err
			return
		}
		buildPath = filepath.Join(dir, "gatekey")
		cmd := exec.Command("go", "build", "-tags", "migrated_fynedo", "-o", buildPath, ".")
		cmd.Dir = testenv.RepoRoot(t)
		buildLog, buildErr = cmd.CombinedOutput()
	})
	if buildErr != nil {
		t.Fatalf("building gatekey: %v\n%s", buildErr, buildLog)
	}
	return buildPath
}

// X is a connection to the test display.
type X struct {
	conn *xgb.Conn
	root xproto.Window
}

// Connect opens the display named by $DISPLAY.
func Connect(t testing.TB) *X {
	t.Helper()
	testenv.Display(t)
	xgb.Logger = log.New(io.Discard, "", 0) // it complains about a missing ~/.Xauthority, which Xvfb does not need
	conn, err := xgb.NewConn()
	if err != nil {
		t.Fatalf("connecting to the X display: %v", err)
	}
	t.Cleanup(conn.Close)
	return &X{conn: conn, root: xproto.Setup(conn).DefaultScreen(conn).Root}
}

// WaitWindow waits until a mapped top-level window whose name is title
// exists, and returns it.
func (x *X) WaitWindow(t testing.TB, title string, timeout time.Duration) xproto.Window {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		if w, ok := x.findWindow(x.root, title); ok {
			return w
		}
		if time.Now().After(deadline) {
			t.Fatalf("no window named %q appeared within %v", title, timeout)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// HasWindow reports whether a mapped window named title exists.
func (x *X) HasWindow(title string) bool {
	_, ok := x.findWindow(x.root, title)
	return ok
}

func (x *X) findWindow(parent xproto.Window, title string) (xproto.Window, bool) {
	tree, err := xproto.QueryTree(x.conn, parent).Reply()
	if err != nil {
		return 0, false
	}
	for _, w := range tree.Children {
		if x.name(w) == title && x.mapped(w) {
			return w, true
		}
		if found, ok := x.findWindow(w, title); ok {
			return found, true
		}
	}
	return 0, false
}

func (x *X) name(w xproto.Window) string {
	for _, atomName := range []string{"_NET_WM_NAME", "WM_NAME"} {
		atom := x.atom(atomName)
		prop, err := xproto.GetProperty(x.conn, false, w, atom, xproto.GetPropertyTypeAny, 0, 256).Reply()
		if err == nil && prop != nil && len(prop.Value) > 0 {
			return string(prop.Value)
		}
	}
	return ""
}

func (x *X) mapped(w xproto.Window) bool {
	attr, err := xproto.GetWindowAttributes(x.conn, w).Reply()
	return err == nil && attr.MapState == xproto.MapStateViewable
}

func (x *X) atom(name string) xproto.Atom {
	reply, err := xproto.InternAtom(x.conn, false, uint16(len(name)), name).Reply()
	if err != nil {
		return 0
	}
	return reply.Atom
}

// Screenshot captures window w (retrying briefly while it is being drawn),
// saves it as a PNG at path and returns the image.
func (x *X) Screenshot(t testing.TB, w xproto.Window, path string) image.Image {
	t.Helper()
	var lastErr error
	for range 20 {
		img, err := x.capture(w)
		if err == nil {
			var buf bytes.Buffer
			if err := png.Encode(&buf, img); err != nil {
				t.Fatalf("encoding screenshot: %v", err)
			}
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				t.Fatalf("saving screenshot: %v", err)
			}
			t.Logf("screenshot: %s", path)
			return img
		}
		lastErr = err
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("capturing window: %v", lastErr)
	return nil
}

// Capture reads the window's pixels without saving them, for tests that
// watch the window change.
func (x *X) Capture(w xproto.Window) (*image.RGBA, error) { return x.capture(w) }

// Changed is the fraction of pixels that differ between two captures of
// the same window (1 when their sizes differ).
func Changed(a, b *image.RGBA) float64 {
	if a.Bounds() != b.Bounds() || len(a.Pix) != len(b.Pix) {
		return 1
	}
	differ := 0
	for i := 0; i+3 < len(a.Pix); i += 4 {
		if !bytes.Equal(a.Pix[i:i+3], b.Pix[i:i+3]) {
			differ++
		}
	}
	return float64(differ) / float64(len(a.Pix)/4)
}

func (x *X) capture(w xproto.Window) (*image.RGBA, error) {
	geo, err := xproto.GetGeometry(x.conn, xproto.Drawable(w)).Reply()
	if err != nil {
		return nil, err
	}
	if geo.Width == 0 || geo.Height == 0 {
		return nil, fmt.Errorf("window has no size yet")
	}
	reply, err := xproto.GetImage(x.conn, xproto.ImageFormatZPixmap, xproto.Drawable(w),
		0, 0, geo.Width, geo.Height, 0xffffffff).Reply()
	if err != nil {
		return nil, err
	}
	width, height := int(geo.Width), int(geo.Height)
	if len(reply.Data) < width*height*4 {
		return nil, fmt.Errorf("short image: %d bytes for %dx%d", len(reply.Data), width, height)
	}
	img := image.NewRGBA(image.Rect(0, 0, width, height))
	for i := 0; i < width*height; i++ {
		// 24-bit depth ZPixmap on a little-endian server: B, G, R, pad.
		b, g, r := reply.Data[4*i], reply.Data[4*i+1], reply.Data[4*i+2]
		img.Pix[4*i], img.Pix[4*i+1], img.Pix[4*i+2], img.Pix[4*i+3] = r, g, b, 0xff
	}
	return img, nil
}

// Close asks window w to close with a WM_DELETE_WINDOW client message, as a
// window manager does when the person clicks the close button.
func (x *X) Close(t testing.TB, w xproto.Window) {
	t.Helper()
	protocols, deleteWindow := x.atom("WM_PROTOCOLS"), x.atom("WM_DELETE_WINDOW")
	data := xproto.ClientMessageDataUnionData32New([]uint32{uint32(deleteWindow), uint32(xproto.TimeCurrentTime), 0, 0, 0})
	ev := xproto.ClientMessageEvent{Format: 32, Window: w, Type: protocols, Data: data}
	if err := xproto.SendEventChecked(x.conn, false, w, xproto.EventMaskNoEvent, string(ev.Bytes())).Check(); err != nil {
		t.Fatalf("sending WM_DELETE_WINDOW: %v", err)
	}
}

// Colors counts the distinct colours of img, a cheap test that a window shows
// something more than a flat fill.
func Colors(img image.Image) int {
	seen := map[color.RGBA]struct{}{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8), uint8(a >> 8)}] = struct{}{}
		}
	}
	return len(seen)
}
