package routersim

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestRunCommandLine(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	pwFile := filepath.Join(dir, "pw")
	if err := os.WriteFile(pwFile, []byte("from-file\nsecond line\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- RunCommandLineContext(ctx, []string{
			"--model", "3910", "--firmware", "4.4.3.6", "--lan-http", "127.0.0.1:0", "--lan-https", "127.0.0.1:0",
			"--wan-http", "", "--wan-https", "127.0.0.1:0", "--password-file", pwFile,
			"--state", filepath.Join(dir, "state"), "--totp-field", "sCode", "--checkbox-value", "none",
		}, &stdout, &stderr)
	}()
	var urls []string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if urls = strings.Fields(stdout.String()); len(urls) == 3 {
			break
		}
	}
	if len(urls) != 3 || !strings.HasPrefix(urls[0], "http://127.0.0.1:") || !strings.HasPrefix(urls[1], "https://") || !strings.HasPrefix(urls[2], "https://") {
		t.Fatalf("printed URLs %q (stderr %s)", urls, stderr.String())
	}
	if strings.Contains(stderr.String(), "from-file") {
		t.Fatal("the password appeared on stderr")
	}
	resp, err := http.Get(urls[0] + "/weblogin.htm")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("login page: %d", resp.StatusCode)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit status %d, stderr %s", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("RunCommandLineContext did not stop with its context")
	}
	// The flags reached the router: its saved state has the password file's
	// first line.
	st, ok, err := loadState(filepath.Join(dir, "state"))
	if err != nil || !ok || st.AdminPassword != "from-file" {
		t.Fatalf("saved state: ok %v err %v", ok, err)
	}

	// Bad usage exits 2.
	for _, args := range [][]string{{"--no-such-flag"}, {"extra"}, {"--password-file", filepath.Join(dir, "missing")}} {
		if code := RunCommandLineContext(t.Context(), args, &stdout, &stderr); code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
	}
	if code := RunCommandLineContext(t.Context(), []string{"--family", "nope", "--lan-http", "127.0.0.1:0"}, &stdout, &stderr); code != 1 {
		t.Errorf("unknown family: exit %d, want 1", code)
	}
}
