package routerclient

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gatekey/gatekey/routersim"
)

// The backup form is found on fid 2016, or on 3004 where newer firmware
// keeps it, and the file comes back byte for byte with its name.
func TestBackup(t *testing.T) {
	t.Parallel()
	for _, fid := range []int{2016, 3004} {
		t.Run("fid "+strconv.Itoa(fid), func(t *testing.T) {
			t.Parallel()
			r := startSim(t, routersim.Options{BackupFID: fid})
			var capture bytes.Buffer
			s := login(t, lanClient(t, r, WithCapture(NewCapture(&capture))), adminCreds, nil)
			want := r.Backup()
			b, err := s.Backup(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(b.Data, want) {
				t.Errorf("backup differs from the router's configuration (%d bytes, want %d)", len(b.Data), len(want))
			}
			if _, err := routersim.DecodeBackup(b.Data); err != nil {
				t.Errorf("the file does not decode: %v", err)
			}
			if !regexp.MustCompile(`^Vigor2927_[0-9]{8}\.cfg$`).MatchString(b.Filename) {
				t.Errorf("file name %q", b.Filename)
			}
			if strings.Contains(b.String(), string(want[:16])) {
				t.Error("String shows the configuration")
			}
			// The configuration holds the admin password: the capture
			// leaves the file out.
			if bytes.Contains(capture.Bytes(), []byte("DRAYCFG")) || !strings.Contains(capture.String(), "bytes of application/octet-stream left out") {
				t.Error("the capture holds the configuration file")
			}
		})
	}
}

// Every way the router can fail to give a file is an error wrapping
// ErrBackup, and nothing is written to the router.
func TestBackupFaults(t *testing.T) {
	t.Parallel()
	for name, fault := range map[string]routersim.BackupFault{
		"page error": routersim.BackupFaultPageError, "no form": routersim.BackupFaultNoForm, "post error": routersim.BackupFaultPostError,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := startSim(t, routersim.Options{BackupFault: fault})
			before := r.Snapshot()
			s := login(t, lanClient(t, r), adminCreds, nil)
			if _, err := s.Backup(t.Context()); !errors.Is(err, ErrBackup) {
				t.Fatalf("got %v, want ErrBackup", err)
			}
			if r.Snapshot() != before {
				t.Error("a failed backup changed the router")
			}
		})
	}
}

// Answers that are not a configuration file: a web page, a page sent as
// an attachment, a file larger than the bound.
func TestBackupRefusesPages(t *testing.T) {
	t.Parallel()
	cases := map[string]func(w http.ResponseWriter){
		"a page": func(w http.ResponseWriter) {
			io.WriteString(w, "<html><title>Configuration Backup</title><p>Done</p></html>")
		},
		"login page": func(w http.ResponseWriter) { io.WriteString(w, fakeLoginPage) },
		"html attachment": func(w http.ResponseWriter) {
			w.Header().Set("Content-Disposition", `attachment; filename="x.cfg"`)
			io.WriteString(w, "<!DOCTYPE html><html><title>Error</title></html>")
		},
		"too large": func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/octet-stream")
			w.Header().Set("Content-Disposition", `attachment; filename="../../etc/big.cfg"`)
			w.Write(bytes.Repeat([]byte{1}, 2048))
		},
	}
	for name, answer := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFakeRouter(t)
			f.fids["2016"] = "cfgrest.htm"
			f.docs["cfgrest.htm"] = `<form action="../cgi-bin/cfgbackup.cgi" method=post><input type=hidden name=sFormAuthStr value=old>
<input type=submit name=btnBackup value=Backup></form>`
			f.handle = func(w http.ResponseWriter, r *http.Request, body string) bool {
				answer(w)
				return true
			}
			p := DefaultProfile()
			p.Backup.MaxBytes = 1024
			s := login(t, f.client(t, WithProfile(p)), adminCreds, nil)
			if _, err := s.Backup(t.Context()); err == nil {
				t.Fatal("accepted")
			} else if want := map[string]error{"too large": ErrUnexpectedResponse, "login page": ErrSessionExpired}[name]; want != nil && !errors.Is(err, want) {
				t.Fatalf("got %v, want %v", err, want)
			} else if want == nil && !errors.Is(err, ErrBackup) {
				t.Fatalf("got %v, want ErrBackup", err)
			}
			if post := f.lastPost(); fieldCount(post, "btnBackup") != 1 || fieldCount(post, "sFormAuthStr") != 1 {
				t.Errorf("the form was not posted as a browser does: %q", post)
			}
		})
	}
}

func TestSafeFilename(t *testing.T) {
	for in, want := range map[string]string{
		"Vigor2927_20261204.cfg": "Vigor2927_20261204.cfg",
		"../../etc/passwd":       "passwd",
		`C:\x\y.cfg`:             "y.cfg",
		".hidden":                "hidden",
		"":                       "Vigor3910_config.cfg",
		"a b;c.cfg":              "a_b_c.cfg",
	} {
		if got := safeFilename(in, "Vigor3910"); got != want {
			t.Errorf("safeFilename(%q) = %q, want %q", in, got, want)
		}
	}
}
