// Package notify tells people by e-mail what happens to their cases: a case registered (with its
// letters and Meta's form links), a reminder before the deadline, a deadline passed, Meta's mail
// accepted, a mail in quarantine, a case closed or failed. Dutch templates, overridable by file;
// sent over SMTP by a well-kept library (wneessen/go-mail).
package notify

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/template"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/dutch"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// Events are all the events people are told of, as the domain names them (objection.Notice*);
// each has a template <event>.tmpl.
var Events = []string{objection.NoticeRegistered, objection.NoticeReminder, objection.NoticeOverdue,
	objection.NoticeAccepted, objection.NoticeQuarantined, objection.NoticeClosed, objection.NoticeFailed}

//go:embed templates/*.tmpl
var builtin embed.FS

// Notice is what a message is made of.
type Notice struct {
	Event        string
	Case         *objection.Case // nil for a quarantined mail that matched no case
	Confirmation *objection.Confirmation
	// Letters are the letters of the case's accounts, by index, for the registered notice.
	Letters map[int]string
	// PublicURL is where people reach the connector (CONNECTOR_PUBLIC_URL); may be empty.
	PublicURL string
}

// Templates render notices.
type Templates struct{ t *template.Template }

// LoadTemplates reads the built-in templates and, when dir is set, any <event>.tmpl in it
// instead of the built-in one. A template's first line is "Subject: …", then a blank line and
// the body.
func LoadTemplates(dir string) (*Templates, error) {
	funcs := template.FuncMap{
		"platform":     dutch.Platform,
		"bevestigdhoe": dutch.ConfirmedHow,
		"oordeel":      dutch.Verdict,
		"datum": func(t any) string {
			switch v := t.(type) {
			case time.Time:
				return v.In(objection.Amsterdam).Format("2-1-2006 15:04")
			case *time.Time:
				if v == nil {
					return "—"
				}
				return v.In(objection.Amsterdam).Format("2-1-2006 15:04")
			}
			return fmt.Sprint(t)
		},
	}
	t := template.New("notices").Funcs(funcs).Option("missingkey=error")
	for _, ev := range Events {
		name := ev + ".tmpl"
		src, err := fs.ReadFile(builtin, "templates/"+name)
		if err != nil {
			return nil, err
		}
		if dir != "" {
			if own, err := os.ReadFile(filepath.Join(dir, name)); err == nil {
				src = own
			} else if !errors.Is(err, fs.ErrNotExist) {
				return nil, err
			}
		}
		if _, err := t.New(ev).Parse(string(src)); err != nil {
			return nil, fmt.Errorf("template %s: %w", name, err)
		}
	}
	return &Templates{t: t}, nil
}

// Render makes the subject and body of a notice.
func (t *Templates) Render(n Notice) (subject, body string, err error) {
	var b bytes.Buffer
	if err := t.t.ExecuteTemplate(&b, n.Event, n); err != nil {
		return "", "", fmt.Errorf("rendering the %s notice: %w", n.Event, err)
	}
	head, rest, _ := strings.Cut(b.String(), "\n")
	subject, ok := strings.CutPrefix(head, "Subject: ")
	if !ok {
		return "", "", fmt.Errorf("the %s template does not begin with \"Subject: \"", n.Event)
	}
	return strings.TrimSpace(subject), strings.TrimLeft(rest, "\r\n"), nil
}

// Sender sends one message to the configured recipients.
type Sender interface {
	Send(ctx context.Context, messageID, subject, body string) error
}

// Notifier renders notices and sends them.
type Notifier struct {
	Templates *Templates
	Sender    Sender
	PublicURL string
	// Only these events are sent (empty: all).
	Events []string
}

// Wants reports whether an event is sent.
func (n *Notifier) Wants(event string) bool {
	if len(n.Events) == 0 {
		return true
	}
	for _, e := range n.Events {
		if e == event {
			return true
		}
	}
	return false
}

// Notify renders and sends a notice. messageID (without angle brackets) is the same on every attempt, so a receiving
// system can recognise a message sent twice (a crash between the SMTP server's acceptance and
// the connector's record of it).
func (n *Notifier) Notify(ctx context.Context, messageID string, notice Notice) error {
	notice.PublicURL = n.PublicURL
	subject, body, err := n.Templates.Render(notice)
	if err != nil {
		return err
	}
	return n.Sender.Send(ctx, messageID, subject, body)
}
