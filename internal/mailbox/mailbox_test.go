package mailbox

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// memIMAP runs emersion's in-memory IMAP server on loopback.
func memIMAP(t *testing.T) (addr string, user *imapmemserver.User) {
	t.Helper()
	mem := imapmemserver.New()
	user = imapmemserver.NewUser("bezwaar", "geheim-wachtwoord")
	if err := user.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	mem.AddUser(user)
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}},
		InsecureAuth: true,
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String(), user
}

func appendMail(t *testing.T, addr string, raw string) {
	t.Helper()
	c, err := imapclient.DialInsecure(addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login("bezwaar", "geheim-wachtwoord").Wait(); err != nil {
		t.Fatal(err)
	}
	cmd := c.Append("INBOX", int64(len(raw)), nil)
	io.WriteString(cmd, raw)
	cmd.Close()
	if _, err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
}

// folder lists the subjects of the mails in a folder.
func folder(t *testing.T, addr, name string) []string {
	t.Helper()
	c, err := imapclient.DialInsecure(addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Login("bezwaar", "geheim-wachtwoord").Wait()
	if _, err := c.Select(name, nil).Wait(); err != nil {
		return nil
	}
	res, err := c.UIDSearch(&imap.SearchCriteria{}, nil).Wait()
	if err != nil || len(res.AllUIDs()) == 0 {
		return nil
	}
	msgs, _ := c.Fetch(imap.UIDSetNum(res.AllUIDs()...), &imap.FetchOptions{Envelope: true}).Collect()
	var out []string
	for _, m := range msgs {
		out = append(out, m.Envelope.Subject)
	}
	return out
}

// intake stands in for the connector here (the mailbox is the part under test; the connector
// with a real IMAP server is tested end to end in cmd/connector): it accepts "good" mail once
// and recognises repeats, refuses "bad" mail, and fails "flaky" mail until told otherwise.
type intake struct {
	mu       sync.Mutex
	seen     map[[32]byte]*objection.Confirmation
	calls    int
	flakyOK  bool
	accepted int
}

func (in *intake) Confirm(ctx context.Context, caseID string, raw []byte) (*objection.Confirmation, bool, error) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.calls++
	key := sha256.Sum256(raw)
	if c, ok := in.seen[key]; ok {
		return c, true, nil
	}
	switch {
	case bytes.Contains(raw, []byte("Subject: bad")):
		c := &objection.Confirmation{State: objection.ConfirmationQuarantined}
		in.seen[key] = c
		return c, false, &objection.Error{Code: objection.CodeUnprocessable, Message: "not from Meta"}
	case bytes.Contains(raw, []byte("Subject: flaky")) && !in.flakyOK:
		return nil, false, errors.New("database is locked")
	}
	c := &objection.Confirmation{State: objection.ConfirmationAccepted}
	in.seen[key] = c
	in.accepted++
	return c, false, nil
}

func mail(subject string) string {
	return "From: noreply@facebookmail.com\r\nTo: a@b.nl\r\nSubject: " + subject + "\r\nMessage-ID: <" + subject + "@x>\r\n\r\nbody\r\n"
}

func TestPollMovesOnlyWhatWasDurablyHandled(t *testing.T) {
	addr, _ := memIMAP(t)
	for _, s := range []string{"good", "bad", "flaky"} {
		appendMail(t, addr, mail(s))
	}
	in := &intake{seen: map[[32]byte]*objection.Confirmation{}}
	p := New(Config{Addr: addr, TLS: "none", User: "bezwaar", Password: "geheim-wachtwoord", Folder: "INBOX",
		ProcessedFolder: "Verwerkt", QuarantineFolder: "Quarantaine", MaxSize: 1 << 20}, in, slog.New(slog.NewTextHandler(io.Discard, nil)))
	res, err := p.Poll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res != (Result{Accepted: 1, Quarantined: 1, Left: 1}) {
		t.Errorf("first poll: %+v", res)
	}
	if got := folder(t, addr, "INBOX"); strings.Join(got, ",") != "flaky" {
		t.Errorf("INBOX: %v", got)
	}
	in.flakyOK = true
	if res, err := p.Poll(context.Background()); err != nil || res.Accepted != 1 {
		t.Fatalf("second poll: %+v %v", res, err)
	}
	if got := folder(t, addr, "Verwerkt"); len(got) != 2 {
		t.Errorf("Verwerkt: %v", got)
	}
	if got := folder(t, addr, "Quarantaine"); strings.Join(got, ",") != "bad" {
		t.Errorf("Quarantaine: %v", got)
	}
	if got := folder(t, addr, "INBOX"); len(got) != 0 {
		t.Errorf("INBOX not empty: %v", got)
	}
}

// TestCrashBetweenAcceptAndMove breaks the connection right after the connector accepted a mail
// and before it was moved: the next poll reads it again, the connector recognises it, and it is
// moved — accepted once, nothing lost.
func TestCrashBetweenAcceptAndMove(t *testing.T) {
	addr, _ := memIMAP(t)
	appendMail(t, addr, mail("good"))
	in := &intake{seen: map[[32]byte]*objection.Confirmation{}}
	ctx, cancel := context.WithCancel(context.Background())
	cfg := Config{Addr: addr, TLS: "none", User: "bezwaar", Password: "geheim-wachtwoord", Folder: "INBOX",
		ProcessedFolder: "Verwerkt", QuarantineFolder: "Quarantaine", Fault: func(string) { cancel(); time.Sleep(50 * time.Millisecond) }}
	p := New(cfg, in, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if _, err := p.Poll(ctx); err == nil {
		t.Fatal("the interrupted poll reported success")
	}
	if got := folder(t, addr, "INBOX"); len(got) != 1 {
		t.Fatalf("after the crash the mail should still be in INBOX: %v", got)
	}
	cfg.Fault = nil
	p = New(cfg, in, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if res, err := p.Poll(context.Background()); err != nil || res.Accepted != 1 {
		t.Fatalf("after restart: %+v %v", res, err)
	}
	if in.calls != 2 || in.accepted != 1 {
		t.Errorf("intake called %d times, accepted %d (want 2 and 1)", in.calls, in.accepted)
	}
	if got := folder(t, addr, "Verwerkt"); len(got) != 1 {
		t.Errorf("Verwerkt: %v", got)
	}
}

func TestOversizedMailIsQuarantinedUnread(t *testing.T) {
	addr, _ := memIMAP(t)
	appendMail(t, addr, mail("huge")+strings.Repeat("x", 5000))
	in := &intake{seen: map[[32]byte]*objection.Confirmation{}}
	p := New(Config{Addr: addr, TLS: "none", User: "bezwaar", Password: "geheim-wachtwoord", Folder: "INBOX",
		ProcessedFolder: "Verwerkt", QuarantineFolder: "Quarantaine", MaxSize: 1000}, in, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if res, err := p.Poll(context.Background()); err != nil || res.Quarantined != 1 || in.calls != 0 {
		t.Fatalf("%+v %v calls %d", res, err, in.calls)
	}
}

func TestBadPasswordIsAnErrorWithoutThePassword(t *testing.T) {
	addr, _ := memIMAP(t)
	p := New(Config{Addr: addr, TLS: "none", User: "bezwaar", Password: "wrong-password-123", Folder: "INBOX",
		ProcessedFolder: "V", QuarantineFolder: "Q"}, &intake{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	_, err := p.Poll(context.Background())
	if err == nil || strings.Contains(err.Error(), "wrong-password-123") {
		t.Fatalf("err = %v", err)
	}
}
