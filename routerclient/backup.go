package routerclient

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Configuration backup (drayos-web.md §4.4): the Configuration Backup page
// (fid 2016, or Configuration Export, fid 3004, on newer firmware) holds a
// form with a Backup button; posting it answers the configuration file as
// an attachment. The client finds the form by its button rather than by
// its action, and never restores.

// Backup is a router's configuration file.
type Backup struct {
	// Filename is the name the router suggested, reduced to letters,
	// digits, dots, dashes and underscores; a fallback when it gave none.
	Filename string
	Data     []byte
}

// String never shows the configuration, which holds passwords.
func (b Backup) String() string { return fmt.Sprintf("Backup{%s, %d bytes}", b.Filename, len(b.Data)) }

// Backup downloads the router's configuration file. The answer must be an
// attachment that is not a web page, within the profile's size bound; the
// error wraps ErrBackup otherwise. Saving the backup is a read for the
// router: nothing changes.
func (s *Session) Backup(ctx context.Context) (*Backup, error) {
	var b *Backup
	err := s.read(ctx, func() error {
		var err error
		b, err = s.backup(ctx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("backing up the configuration: %w", err)
	}
	return b, nil
}

func (s *Session) backup(ctx context.Context) (*Backup, error) {
	p := s.c.profile
	var tried []string
	for _, fid := range p.Backup.FIDs {
		u, body, err := s.openPage(ctx, fid)
		if errors.Is(err, ErrUnexpectedResponse) {
			tried = append(tried, strconv.Itoa(fid))
			continue
		}
		if err != nil {
			return nil, err
		}
		form, button := findBackupForm(body, p)
		if form == nil {
			tried = append(tried, strconv.Itoa(fid))
			continue
		}
		return s.postBackup(ctx, u, form, button)
	}
	return nil, fmt.Errorf("%w: no backup form on the pages with fid %s", ErrBackup, strings.Join(tried, " or "))
}

// findBackupForm returns the form whose submit button matches the
// profile's button_pattern, and the button; forms with a file input
// (restore) never count.
func findBackupForm(body string, p *Profile) (*htmlForm, *formField) {
	for _, f := range parseForms(body) {
		var button *formField
		restore := false
		for _, fl := range f.Fields {
			switch {
			case fl.Type == "file":
				restore = true
			case (fl.Type == "submit" || fl.Type == "button" || fl.Type == "image") && button == nil &&
				p.backupButtonRE.MatchString(fl.Value+" "+fl.Name+" "+fl.ID+" "+fl.Label):
				button = fl
			}
		}
		if button != nil && !restore {
			return f, button
		}
	}
	return nil, nil
}

// postBackup submits the form as a browser does when its button is
// pressed, and checks that the answer is a configuration file.
func (s *Session) postBackup(ctx context.Context, u *url.URL, form *htmlForm, button *formField) (*Backup, error) {
	var extra [][2]string
	if button.Name != "" {
		extra = append(extra, [2]string{button.Name, button.Value})
	}
	a, err := s.submit(ctx, u, form, extra, s.c.profile.Backup.MaxBytes)
	if err != nil {
		return nil, err
	}
	ctype, _, _ := mime.ParseMediaType(a.header.Get("Content-Type"))
	disp, params, derr := mime.ParseMediaType(a.header.Get("Content-Disposition"))
	switch {
	case a.status != http.StatusOK:
		return nil, fmt.Errorf("%w: the router answered HTTP %d", ErrBackup, a.status)
	case derr != nil || !strings.EqualFold(disp, "attachment"):
		return nil, fmt.Errorf("%w: the router answered a page (%s), not a file to download", ErrBackup, truncate(ctype, 40))
	case strings.HasPrefix(ctype, "text/html") || looksLikeHTML(a.raw):
		return nil, fmt.Errorf("%w: the router answered a web page instead of the configuration file", ErrBackup)
	case len(a.raw) == 0:
		return nil, fmt.Errorf("%w: the configuration file is empty", ErrBackup)
	}
	return &Backup{Filename: safeFilename(params["filename"], s.Model()), Data: a.raw}, nil
}

// looksLikeHTML recognises a web page sent as an attachment.
func looksLikeHTML(data []byte) bool {
	head := strings.ToLower(strings.TrimSpace(string(data[:min(len(data), 512)])))
	return strings.HasPrefix(head, "<!doctype html") || strings.HasPrefix(head, "<html") || strings.Contains(head, "<title>vigor login page")
}

// safeFilename reduces a suggested name to a plain file name: no folders,
// no leading dot, only letters, digits, dots, dashes and underscores.
func safeFilename(name, model string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, name)
	name = strings.TrimLeft(name, ".")
	if len(name) > 100 {
		name = name[len(name)-100:]
	}
	if strings.Trim(name, "_") == "" {
		name = safeFilename(cmpOr(model, "router")+"_config.cfg", "router")
	}
	return name
}
