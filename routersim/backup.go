package routersim

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"strings"
)

// BackupFault is a way for the Configuration Backup to fail, for tests of
// clients that must change nothing when the backup fails.
type BackupFault int

const (
	// BackupOK is no fault.
	BackupOK BackupFault = iota
	// BackupFaultPageError answers the backup page with 500.
	BackupFaultPageError
	// BackupFaultNoForm serves the backup page without its form.
	BackupFaultNoForm
	// BackupFaultPostError answers the backup POST with 500.
	BackupFaultPostError
)

// backupPageInfo is where the backup lives on this firmware: fid 2016 with
// /doc/cfgrest.htm, or fid 3004 (Configuration Export) on newer firmware
// (drayos-web.md §4.4). The CGI names and the 3004 page name are [A].
type backupPageInfo struct{ fid, doc, cgi, title string }

func (r *Router) backupPage() backupPageInfo {
	if r.opts.BackupFID == 3004 {
		return backupPageInfo{"3004", "cfgexport.htm", "cfgexport.cgi", "Configuration Export"}
	}
	return backupPageInfo{"2016", "cfgrest.htm", "cfgbackup.cgi", "Configuration Backup"}
}

// serveBackup is the backup form's POST: with every field of the form it
// answers the configuration file as an attachment named <model>_<date>.cfg.
func (r *Router) serveBackup(c *call) {
	if c.req.Method != http.MethodPost {
		redirect(c, "/doc/"+r.backupPage().doc)
		return
	}
	fr := r.newFormReader(c.req.PostForm)
	if kind := fr.text("sBackupType"); kind != "all" && fr.missing == "" {
		fr.invalid = "sBackupType"
	}
	fr.text("webchange")
	if r.formFailed(c, fr) {
		return
	}
	r.mu.Lock()
	fault := r.backupFault
	data := encodeBackup(r.opts.Model, r.opts.Firmware, r.running)
	date := r.clockLocked().UTC().Format("20060102")
	r.mu.Unlock()
	if fault == BackupFaultPostError {
		http.Error(c.w, "500 Internal Server Error", http.StatusInternalServerError)
		return
	}
	name := safeFileName(r.opts.Model) + "_" + date + ".cfg"
	c.w.Header().Set("Content-Type", "application/octet-stream")
	c.w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	c.w.Header().Set("Cache-Control", "no-store")
	c.w.WriteHeader(http.StatusOK)
	c.w.Write(data)
}

// serveRestore is the restore form's POST. Gatekey never restores
// (drayos-web.md §4.4) and the simulator does not either: it answers 501 and
// changes nothing.
func (r *Router) serveRestore(c *call) {
	r.renderStatus(c, http.StatusNotImplemented, "message", pageData{Title: "Restore",
		Message: "Restoring a configuration file is not available on this router. Nothing was changed."})
}

// safeFileName keeps letters, digits, dots, dashes and underscores of s and
// turns the rest into underscores, so the file name needs no escaping.
func safeFileName(s string) string {
	return strings.Map(func(ch rune) rune {
		if ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '.' || ch == '-' || ch == '_' {
			return ch
		}
		return '_'
	}, s)
}

// Backup returns the configuration file the backup would download now: the
// running configuration, encoded as encodeBackup does. It is a test hook, so
// that a test can keep the bytes from before a change and compare them with
// what a client saved.
func (r *Router) Backup() []byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return encodeBackup(r.opts.Model, r.opts.Firmware, r.running)
}

// The configuration file [A]: the magic "DRAYCFG\0", a format version, the
// model and the firmware (each a 16-bit length and the text), the length and
// CRC-32 of the configuration's JSON, then that JSON deflated. The same
// configuration always gives the same bytes (State's encoding is
// deterministic and so is deflate at a fixed level).
const (
	backupMagic   = "DRAYCFG\x00"
	backupVersion = 1
	maxBackupJSON = 1 << 20
)

// encodeBackup encodes a configuration file.
func encodeBackup(model, firmware string, st State) []byte {
	js, _ := json.Marshal(st) // State holds only strings, numbers, booleans and arrays
	var out bytes.Buffer
	out.WriteString(backupMagic)
	binary.Write(&out, binary.BigEndian, uint16(backupVersion))
	for _, s := range []string{model, firmware} {
		binary.Write(&out, binary.BigEndian, uint16(len(s)))
		out.WriteString(s)
	}
	binary.Write(&out, binary.BigEndian, uint32(len(js)))
	binary.Write(&out, binary.BigEndian, crc32.ChecksumIEEE(js))
	zw, _ := flate.NewWriter(&out, flate.BestCompression) // the level is valid
	zw.Write(js)
	zw.Close()
	return out.Bytes()
}

// errBadBackup is returned for bytes that are not a configuration file.
var errBadBackup = errors.New("not a configuration file of the router simulator")

// DecodeBackup reads a configuration file made by the simulator's backup and
// returns the configuration it holds, for tests that check what a client
// saved.
func DecodeBackup(data []byte) (State, error) {
	rd := bytes.NewReader(data)
	magic := make([]byte, len(backupMagic))
	var version uint16
	if _, err := io.ReadFull(rd, magic); err != nil || string(magic) != backupMagic ||
		binary.Read(rd, binary.BigEndian, &version) != nil || version != backupVersion {
		return State{}, errBadBackup
	}
	for i := 0; i < 2; i++ {
		var n uint16
		if binary.Read(rd, binary.BigEndian, &n) != nil || int64(n) > int64(rd.Len()) {
			return State{}, errBadBackup
		}
		rd.Seek(int64(n), io.SeekCurrent)
	}
	var size, sum uint32
	if binary.Read(rd, binary.BigEndian, &size) != nil || binary.Read(rd, binary.BigEndian, &sum) != nil || size > maxBackupJSON {
		return State{}, errBadBackup
	}
	js, err := io.ReadAll(io.LimitReader(flate.NewReader(rd), maxBackupJSON+1))
	if err != nil || len(js) != int(size) || crc32.ChecksumIEEE(js) != sum {
		return State{}, errBadBackup
	}
	var st State
	if err := json.Unmarshal(js, &st); err != nil {
		return State{}, fmt.Errorf("%w: %w", errBadBackup, err)
	}
	return st, nil
}
