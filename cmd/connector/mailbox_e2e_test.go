package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/gemeenten/meta-bezwaar-connector/internal/citest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/meta"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
)

// dovecot returns the address and credentials of the Dovecot that .ci/run starts
// (.ci/dovecot.sh). Outside CI the test skips without it; in CI it fails.
func dovecot(t *testing.T) (addr, user, password string) {
	addr = os.Getenv("DOVECOT_IMAP_ADDR")
	if addr == "" {
		citest.Missing(t, "no Dovecot (run .ci/dovecot.sh start DIR PORT and set DOVECOT_IMAP_ADDR)")
	}
	return addr, envOr("DOVECOT_USER", "bezwaar"), envOr("DOVECOT_PASSWORD", "imap-test-password")
}

func imapSession(t *testing.T, addr, user, password string) *imapclient.Client {
	t.Helper()
	c, err := imapclient.DialInsecure(addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Login(user, password).Wait(); err != nil {
		t.Fatal(err)
	}
	return c
}

// emptyFolders removes what earlier runs left.
func emptyFolders(t *testing.T, c *imapclient.Client, names ...string) {
	for _, name := range names {
		if _, err := c.Select(name, nil).Wait(); err != nil {
			continue
		}
		if res, err := c.UIDSearch(&imap.SearchCriteria{}, nil).Wait(); err == nil && len(res.AllUIDs()) > 0 {
			c.Store(imap.UIDSetNum(res.AllUIDs()...), &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagDeleted}}, nil).Close()
			c.Expunge().Close()
		}
	}
}

func count(t *testing.T, c *imapclient.Client, name string) int {
	data, err := c.Status(name, &imap.StatusOptions{NumMessages: true}).Wait()
	if err != nil {
		return -1
	}
	return int(*data.NumMessages)
}

// TestMailboxIntakeWithDovecot: forgeries arrive in a real IMAP mailbox (anyone can mail it) and
// are quarantined with their reasons while the zaak stays open; then Meta's mail arrives, the
// connector is killed right after accepting it and before moving it; after a restart the genuine
// mail is attached once, and the mailbox is sorted.
func TestMailboxIntakeWithDovecot(t *testing.T) {
	addr, user, password := dovecot(t)
	bin := filepath.Join(t.TempDir(), "connector")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	sb := sandboxtest.StartForConnector(t)
	signer, err := meta.NewSampleSigner("imap")
	if err != nil {
		t.Fatal(err)
	}
	zgwEnv(t, sb, signer)
	for k, v := range map[string]string{"MAILBOX_ADDR": addr, "MAILBOX_TLS": "none", "MAILBOX_USER": user, "MAILBOX_PASSWORD": password,
		"MAILBOX_POLL_INTERVAL": "200ms", "MAILBOX_PROCESSED_FOLDER": "Verwerkt", "MAILBOX_QUARANTINE_FOLDER": "Quarantaine"} {
		t.Setenv(k, v)
	}
	imapc := imapSession(t, addr, user, password)
	defer imapc.Close()
	emptyFolders(t, imapc, "INBOX", "Verwerkt", "Quarantaine")
	// STATUS of the selected folder may answer from a stale view: count with none selected.
	// (When the last SELECT failed — a folder not made yet — none is, and UNSELECT says so.)
	imapc.Unselect().Wait()

	p := startProcess(t, bin, append(os.Environ(), "CONNECTOR_TEST_KILL_AT=mailbox:accepted"))
	status, out := call(p.url, "POST", "/api/v1/decisions", bearer(t, "intake", registrarSecret, time.Now()), "application/json", sharedPageDecision("B&W-IMAP"))
	if status != 202 {
		t.Fatalf("decision: %d %s", status, out)
	}
	caseID := idOf(t, out)
	// The case is registered before the forgeries arrive, so that whatever state it has after
	// them is theirs to answer for.
	for deadline := time.Now().Add(30 * time.Second); ; {
		_, body := call(p.url, "GET", "/api/v1/cases/"+caseID, bearer(t, "audit", auditorSecret, time.Now()), "", nil)
		if strings.Contains(body, `"state":"awaiting_confirmation"`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the case was not registered: %s", body)
		}
		time.Sleep(50 * time.Millisecond)
	}
	recordFilings(t, caseID, func(path string, body []byte) int {
		status, _ := call(p.url, "POST", path, bearer(t, "intake", registrarSecret, time.Now()), "application/json", body)
		return status
	})
	genuine, _ := signer.Make(meta.Sample{Platform: objection.Facebook, To: "facebook@voorbeeldstad.nl", Account: "Gemeente Voorbeeldstad facebook"})
	altered := []byte(strings.Replace(string(genuine), "We will honour your objection.", "We will honour your objection!", 1))
	attacks := forgeries(t, signer, "facebook@voorbeeldstad.nl", "Gemeente Voorbeeldstad facebook")
	attacks = append(attacks, forgery{"altered body", altered, "does not verify", false})
	deliver := func(raw []byte) {
		cmd := imapc.Append("INBOX", int64(len(raw)), nil)
		cmd.Write(raw)
		cmd.Close()
		if _, err := cmd.Wait(); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range attacks {
		deliver(f.raw)
	}
	deadline := time.Now().Add(30 * time.Second)
	for count(t, imapc, "Quarantaine") < len(attacks) {
		if time.Now().After(deadline) {
			t.Fatalf("the forgeries did not all reach Quarantaine: %d of %d", count(t, imapc, "Quarantaine"), len(attacks))
		}
		time.Sleep(100 * time.Millisecond)
	}
	_, body := call(p.url, "GET", "/api/v1/cases/"+caseID, bearer(t, "audit", auditorSecret, time.Now()), "", nil)
	if !strings.Contains(body, `"state":"awaiting_confirmation"`) {
		t.Fatalf("the forgeries moved the case: %s", body)
	}
	_, quarantine := call(p.url, "GET", "/api/v1/quarantine", bearer(t, "intake", registrarSecret, time.Now()), "", nil)
	for _, f := range attacks {
		if !strings.Contains(quarantine, jsonEscaped(f.reason)) {
			t.Errorf("%s: the quarantine does not give the reason %q", f.name, f.reason)
		}
	}
	deliver(genuine)
	select {
	case <-p.exit:
	case <-time.After(30 * time.Second):
		t.Fatal("the connector was not killed after accepting the mail")
	}
	if n := count(t, imapc, "INBOX"); n != 1 {
		t.Fatalf("after the kill INBOX holds %d mails, want the accepted one still there", n)
	}

	p = startProcess(t, bin, os.Environ())
	defer p.stop(t)
	auth := func() string { return bearer(t, "intake", registrarSecret, time.Now()) }
	deadline = time.Now().Add(30 * time.Second)
	for {
		_, body := call(p.url, "GET", "/api/v1/cases/"+caseID, auth(), "", nil)
		if strings.Contains(body, `"state":"closed"`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("case not closed: %s", body)
		}
		time.Sleep(100 * time.Millisecond)
	}
	for name, want := range map[string]int{"INBOX": 0, "Verwerkt": 1, "Quarantaine": len(attacks)} {
		if n := count(t, imapc, name); n != want {
			t.Errorf("%s holds %d mails, want %d", name, n, want)
		}
	}
	assertZaak(t, sb, "B&W-IMAP", zaakShape{documents: 3, statussen: 3}) // two letters and the mail; first, filed and final status
}

// jsonEscaped is s as it stands inside a JSON string.
func jsonEscaped(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}

// idOf reads the case id from an answer.
func idOf(t *testing.T, body string) string {
	m := caseIDIn.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no id in %s", body)
	}
	return m[1]
}

var caseIDIn = regexpMust(`"id":"([^"]+)"`)
