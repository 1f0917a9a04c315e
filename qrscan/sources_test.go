package qrscan

import (
	"context"
	"errors"
	"image"
	"image/png"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gatekey/gatekey/internal/testenv"
)

// writePNG saves img in a temporary folder of t.
func writePNG(t *testing.T, img image.Image) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "code.png")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// startHelper runs a program that stays in the foreground for the length of
// the test, and stops exactly that process afterwards.
func startHelper(t *testing.T, name string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(testenv.Tool(t, name), args...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	return cmd
}

// scanScreenUntil polls the screen until a code with text shows up, since
// a new window takes a moment to be mapped and drawn.
func scanScreenUntil(t *testing.T, text string, within time.Duration) Code {
	t.Helper()
	deadline := time.Now().Add(within)
	var lastErr error
	for time.Now().Before(deadline) {
		codes, err := ScanScreen(t.Context())
		for _, c := range codes {
			if c.Text == text {
				return c
			}
		}
		lastErr = err
		time.Sleep(300 * time.Millisecond)
	}
	t.Fatalf("the code did not show up on the screen within %v (last error: %v)", within, lastErr)
	return Code{}
}

// TestScanScreen shows a rendered code in an ImageMagick window on the test
// display and reads it back from a screen capture.
func TestScanScreen(t *testing.T) {
	testenv.Display(t)
	const text = "otpauth://totp/Screen:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Screen"
	img, err := Render(text, 180)
	if err != nil {
		t.Fatal(err)
	}
	startHelper(t, "display", "-geometry", "+300+200", writePNG(t, img))
	c := scanScreenUntil(t, text, 15*time.Second)
	if !c.Bounds.Overlaps(image.Rect(300, 200, 300+180, 200+180).Inset(-40)) {
		t.Errorf("code found at %v, the window is at (300,200) 180x180", c.Bounds)
	}
}

// TestScanScreenCancelled returns the context's error, not a capture.
func TestScanScreenCancelled(t *testing.T) {
	testenv.Display(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := ScanScreen(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("ScanScreen with a cancelled context: %v, want context.Canceled", err)
	}
}

// TestScanClipboard puts images on the X clipboard with xclip, the way an
// image viewer's "copy" does, and reads them back.
func TestScanClipboard(t *testing.T) {
	testenv.Display(t)
	testenv.Tool(t, "xclip")
	const text = "otpauth://totp/Clip:bob@example.com?secret=KRSXG5CTMVRXEZLU&issuer=Clip"
	small, err := Render(text, 200)
	if err != nil {
		t.Fatal(err)
	}
	// A large PNG is sent in INCR chunks (ICCCM), which the reader must
	// reassemble.
	large := genNoiseBackground(1600, 1200, text)
	for _, tc := range []struct {
		name string
		img  image.Image
	}{{"small", small}, {"large incremental", large}} {
		t.Run(tc.name, func(t *testing.T) {
			path := writePNG(t, tc.img)
			if st, _ := os.Stat(path); tc.name != "small" && st.Size() < 1<<20 {
				t.Fatalf("test image is %d bytes, too small to need an incremental transfer", st.Size())
			}
			startHelper(t, "xclip", "-quiet", "-selection", "clipboard", "-t", "image/png", "-i", path)
			codes := pollClipboard(t)
			if len(codes) != 1 || codes[0].Text != text {
				t.Errorf("ScanClipboard = %+v, want one code %q", codes, text)
			}
		})
	}

	t.Run("text only", func(t *testing.T) {
		cmd := exec.Command(testenv.Tool(t, "xclip"), "-quiet", "-selection", "clipboard")
		cmd.Stdin = strings.NewReader("just some text")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		time.Sleep(300 * time.Millisecond)
		if _, err := ScanClipboard(t.Context()); !errors.Is(err, ErrNoImage) {
			t.Errorf("ScanClipboard with text on the clipboard: %v, want ErrNoImage", err)
		}
	})
}

// pollClipboard waits for xclip to own the selection.
func pollClipboard(t *testing.T) []Code {
	t.Helper()
	var err error
	for range 30 {
		var codes []Code
		codes, err = ScanClipboard(t.Context())
		if err == nil {
			return codes
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("ScanClipboard: %v", err)
	return nil
}

// genNoiseBackground is a code on a background of random grey speckles,
// which compresses badly and so makes a large PNG.
func genNoiseBackground(w, h int, text string) image.Image {
	r := rand.New(rand.NewPCG(1, 2))
	img := canvas(w, h, white)
	for i := 0; i < len(img.Pix); i += 4 {
		v := uint8(200 + r.IntN(56))
		img.Pix[i], img.Pix[i+1], img.Pix[i+2] = v, v, v
	}
	side := codeSide(text, 6)
	fill(img, image.Rect(90, 90, 110+int(side), 110+int(side)), white)
	drawCode(img, text, square(100, 100, side, 0), black, white)
	return img
}
