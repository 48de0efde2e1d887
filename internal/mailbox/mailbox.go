// Package mailbox reads Meta's confirmation e-mails from an IMAP folder and hands each to the
// connector. A mail leaves the folder only after the connector has durably accepted it (to the
// processed folder) or refused it (to the quarantine folder); a crash in between leaves it where
// it was, and reading it again is recognised as a duplicate — nothing lost, nothing twice.
package mailbox

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// Config says which mailbox to read.
type Config struct {
	Addr             string // host:port
	TLS              string // tls, starttls or none
	User, Password   string
	Folder           string
	ProcessedFolder  string
	QuarantineFolder string
	PollInterval     time.Duration
	MaxSize          int64 // larger mail goes to quarantine unread
	// TLSConfig overrides the TLS settings (tests with their own CA). Optional.
	TLSConfig *tls.Config
	// Fault is the crash tests' hook: called with "mailbox:accepted" after the connector has
	// accepted a mail and before it is moved.
	Fault func(point string)
}

// Intake is the connector's door for e-mails (workflow.Engine).
type Intake interface {
	Confirm(ctx context.Context, caseID string, raw []byte) (*objection.Confirmation, bool, error)
}

// Poller reads the mailbox periodically.
type Poller struct {
	cfg    Config
	intake Intake
	log    *slog.Logger
}

// New makes a poller.
func New(cfg Config, intake Intake, log *slog.Logger) *Poller {
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = time.Minute
	}
	return &Poller{cfg: cfg, intake: intake, log: log.With("component", "mailbox", "mailbox", cfg.User+"@"+cfg.Addr, "folder", cfg.Folder)}
}

// Result counts what one poll did.
type Result struct {
	Accepted, Quarantined, Left int
}

// Run polls until ctx ends.
func (p *Poller) Run(ctx context.Context) {
	for {
		res, err := p.Poll(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			p.log.Warn("polling the mailbox failed; trying again later", "error", err)
		case res.Accepted+res.Quarantined+res.Left > 0:
			p.log.Info("mailbox polled", "accepted", res.Accepted, "quarantined", res.Quarantined, "left", res.Left)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(p.cfg.PollInterval):
		}
	}
}

// Poll reads every mail in the folder once.
func (p *Poller) Poll(ctx context.Context) (Result, error) {
	var res Result
	c, err := p.dial()
	if err != nil {
		return res, err
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	if err := c.Login(p.cfg.User, p.cfg.Password).Wait(); err != nil {
		return res, fmt.Errorf("IMAP login as %s failed: %w", p.cfg.User, err)
	}
	if err := p.ensureFolders(c); err != nil {
		return res, err
	}
	if _, err := c.Select(p.cfg.Folder, nil).Wait(); err != nil {
		return res, fmt.Errorf("selecting %s: %w", p.cfg.Folder, err)
	}
	search, err := c.UIDSearch(&imap.SearchCriteria{}, nil).Wait()
	if err != nil {
		return res, fmt.Errorf("searching %s: %w", p.cfg.Folder, err)
	}
	for _, uid := range search.AllUIDs() {
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
		dest, err := p.handle(ctx, c, uid)
		if err != nil {
			res.Left++
			p.log.Warn("a mail stays in the folder for the next poll", "uid", uid, "error", err)
			continue
		}
		if _, err := c.Move(imap.UIDSetNum(uid), dest).Wait(); err != nil {
			return res, fmt.Errorf("moving mail %d to %s: %w", uid, dest, err)
		}
		if dest == p.cfg.ProcessedFolder {
			res.Accepted++
		} else {
			res.Quarantined++
		}
	}
	return res, c.Logout().Wait()
}

// handle hands one mail to the connector and says where it goes; an error leaves it in place.
func (p *Poller) handle(ctx context.Context, c *imapclient.Client, uid imap.UID) (string, error) {
	set := imap.UIDSetNum(uid)
	sized, err := c.Fetch(set, &imap.FetchOptions{UID: true, RFC822Size: true}).Collect()
	if err != nil || len(sized) != 1 {
		return "", fmt.Errorf("reading the size: %v", err)
	}
	if p.cfg.MaxSize > 0 && sized[0].RFC822Size > p.cfg.MaxSize {
		p.log.Warn("mail larger than allowed goes to quarantine unread", "uid", uid, "size", sized[0].RFC822Size)
		return p.cfg.QuarantineFolder, nil
	}
	section := &imap.FetchItemBodySection{Peek: true}
	msgs, err := c.Fetch(set, &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{section}}).Collect()
	if err != nil || len(msgs) != 1 {
		return "", fmt.Errorf("fetching: %v", err)
	}
	raw := msgs[0].FindBodySection(section)
	if raw == nil {
		return "", errors.New("the server returned no body")
	}
	conf, _, err := p.intake.Confirm(objection.WithPrincipal(ctx, objection.Principal{ID: "mailbox", Via: objection.ViaMailbox}), "", raw)
	switch objection.CodeOf(err) {
	case "":
		if err != nil {
			return "", err // the connector could not store it: try again later
		}
	case objection.CodeUnprocessable, objection.CodeTooLarge, objection.CodeInvalid:
		return p.cfg.QuarantineFolder, nil
	default:
		return "", err
	}
	if p.cfg.Fault != nil {
		p.cfg.Fault("mailbox:accepted")
	}
	if conf.State == objection.ConfirmationQuarantined { // a repeat of a refused mail
		return p.cfg.QuarantineFolder, nil
	}
	return p.cfg.ProcessedFolder, nil
}

func (p *Poller) dial() (*imapclient.Client, error) {
	opts := &imapclient.Options{TLSConfig: p.cfg.TLSConfig}
	var c *imapclient.Client
	var err error
	switch p.cfg.TLS {
	case "none":
		c, err = imapclient.DialInsecure(p.cfg.Addr, opts)
	case "starttls":
		c, err = imapclient.DialStartTLS(p.cfg.Addr, opts)
	default:
		c, err = imapclient.DialTLS(p.cfg.Addr, opts)
	}
	if err != nil {
		return nil, fmt.Errorf("connecting to %s: %w", p.cfg.Addr, err)
	}
	return c, nil
}

// ensureFolders creates the processed and quarantine folders when missing.
func (p *Poller) ensureFolders(c *imapclient.Client) error {
	list, err := c.List("", "*", nil).Collect()
	if err != nil {
		return fmt.Errorf("listing folders: %w", err)
	}
	for _, name := range []string{p.cfg.ProcessedFolder, p.cfg.QuarantineFolder} {
		if slices.ContainsFunc(list, func(d *imap.ListData) bool { return d.Mailbox == name }) {
			continue
		}
		if err := c.Create(name, nil).Wait(); err != nil {
			return fmt.Errorf("creating folder %s: %w", name, err)
		}
	}
	return nil
}
