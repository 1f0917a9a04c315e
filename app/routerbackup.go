package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gatekey/gatekey/internal/atomicfile"
	"github.com/gatekey/gatekey/routerclient"
)

// BackupsDir is the folder under the home folder that keeps router
// configuration backups, one folder per router.
const BackupsDir = "backups"

// ErrBackupFailed means the configuration backup before a change failed, so
// nothing was changed.
var ErrBackupFailed = errors.New("the configuration backup before the change failed, so nothing was changed")

// ChangeOptions are what every change to a router takes.
type ChangeOptions struct {
	// NoBackup skips the configuration backup made before the change.
	NoBackup bool
	// AcceptRisk overrides the safety rules, after the person read their
	// warning (management from the Internet without TOTP, or HTTP, Telnet
	// or FTP from the WAN).
	AcceptRisk bool
}

// Backup saves the router's configuration file (drayos-web.md §4.4) to
// file, or when file is empty to <home>/backups/<router>/<UTC time>.cfg,
// and returns the path. The file is 0600 and its folder 0700: the
// configuration holds every password the router knows.
func (s *RouterService) Backup(ctx context.Context, name, file string) (string, error) {
	var path string
	err := s.with(ctx, name, func(sess *routerclient.Session, r Router) error {
		var err error
		path, err = s.backup(ctx, sess, r, file)
		return err
	})
	return path, err
}

// backup downloads and writes the configuration within a session.
func (s *RouterService) backup(ctx context.Context, sess *routerclient.Session, r Router, file string) (string, error) {
	b, err := sess.Backup(ctx)
	if err != nil {
		return "", err
	}
	path := file
	if path == "" {
		dir := filepath.Join(s.home, BackupsDir, folderName(r.Name))
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return "", err
		}
		path = filepath.Join(dir, time.Now().UTC().Format("20060102T150405Z")+".cfg")
	}
	if err := atomicfile.Write(path, b.Data); err != nil {
		return "", fmt.Errorf("saving the configuration backup: %w", err)
	}
	return path, nil
}

// backupBefore is the backup a change makes first, unless the person
// declined it.
func (s *RouterService) backupBefore(ctx context.Context, sess *routerclient.Session, r Router, opts ChangeOptions) (string, error) {
	if opts.NoBackup {
		return "", nil
	}
	path, err := s.backup(ctx, sess, r, "")
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrBackupFailed, err)
	}
	return path, nil
}

// folderName makes a router name safe as one folder name.
func folderName(name string) string {
	clean := strings.Map(func(r rune) rune {
		switch {
		case r == '/' || r == '\\' || r == ':' || r < ' ' || strings.ContainsRune(`<>"|?*`, r):
			return '_'
		}
		return r
	}, strings.TrimSpace(name))
	if clean == "" || clean == "." || clean == ".." {
		return "router"
	}
	return clean
}
