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

	"github.com/google/go-cmp/cmp"
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

func TestParseFlagsNewSwitches(t *testing.T) {
	t.Parallel()
	var stderr syncBuffer
	o, code := parseFlags([]string{
		"--validation-code", "--ipv6-open", "--tr069-open", "--login-without-model", "--backup-fid", "3004",
		"--backup-fault", "no-form", "--password-refused-chars", "none", "--refuse-new-password-once",
		"--wan-http6", "[::1]:0", "--wan-https6", "[::1]:0", "--valid-code-field", "sCaptcha", "--firmware", "4.4.2_BT",
	}, &stderr)
	if code != -1 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	want := newSwitches{true, true, true, true, true, 3004, BackupFaultNoForm, RefuseNothing, "[::1]:0", "[::1]:0", "4.4.2_BT", "sCaptcha"}
	if diff := cmp.Diff(want, switchesOf(o), cmp.AllowUnexported(newSwitches{})); diff != "" {
		t.Fatalf("options (-want +got):\n%s", diff)
	}
	// The defaults leave the new switches off and the IPv6 listeners closed.
	d, code := parseFlags(nil, &stderr)
	want = newSwitches{backupFID: 2016, validCodeField: "sValidCode"}
	if diff := cmp.Diff(want, switchesOf(d), cmp.AllowUnexported(newSwitches{})); code != -1 || diff != "" {
		t.Fatalf("defaults: exit %d (-want +got):\n%s", code, diff)
	}
	if _, code := parseFlags([]string{"--backup-fault", "sometimes"}, &stderr); code != 2 {
		t.Fatalf("unknown backup fault: exit %d", code)
	}
	if code := RunCommandLineContext(t.Context(), []string{"--backup-fid", "2017", "--lan-http", "127.0.0.1:0"}, &stderr, &stderr); code != 1 {
		t.Fatalf("bad backup fid: exit %d", code)
	}
}

// newSwitches are the Options that the flags added with IPv6, the
// Validation Code, the backup and the password rules set.
type newSwitches struct {
	validationCode, ipv6Open, tr069Open, loginWithoutModel, refuseNewPassword bool
	backupFID                                                                 int
	backupFault                                                               BackupFault
	refused, wanHTTP6, wanHTTPS6, firmware, validCodeField                    string
}

func switchesOf(o Options) newSwitches {
	return newSwitches{o.ValidationCode, o.IPv6Open, o.TR069Open, o.LoginPageWithoutModel, o.RefuseNewPasswordOnce,
		o.BackupFID, o.BackupFault, o.PasswordRefusedChars, o.WANHTTP6, o.WANHTTPS6, o.Firmware, o.Names.ValidCodeField}
}
