package main

import (
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/citest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/meta"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
)

// smtpServer returns the address and Maildir of the SMTP server that .ci/run starts
// (.ci/smtp.sh, aiosmtpd from Debian). Outside CI the test skips without it; in CI it fails.
func smtpServer(t *testing.T) (addr, maildir string) {
	addr, maildir = os.Getenv("SMTP_E2E_ADDR"), os.Getenv("SMTP_E2E_MAILDIR")
	if addr == "" || maildir == "" {
		citest.Missing(t, "no SMTP server (run .ci/smtp.sh start DIR PORT and set SMTP_E2E_ADDR, SMTP_E2E_MAILDIR=DIR/maildir)")
	}
	return addr, maildir
}

// noticesOf counts the messages in the Maildir about a case, by event (from their Message-ID).
func noticesOf(t *testing.T, maildir, caseID string) map[string]int {
	t.Helper()
	out := map[string]int{}
	files, _ := filepath.Glob(filepath.Join(maildir, "new", "*"))
	id := regexp.MustCompile(`(?mi)^Message-ID:\s*<([a-z]+)\.` + regexp.QuoteMeta(caseID) + `\.`)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if m := id.FindSubmatch(b); m != nil {
			out[string(m[1])]++
		}
	}
	return out
}

// TestNoticesArriveOnceAcrossAKill: notices go to a real SMTP server; the connector is killed
// right after the first notice went out and was recorded as sent, before River recorded its job
// as done (so the job runs again after the restart), and restarted; in the end each notice —
// registered, deadline passed (the decision's is in the past), Meta's mail accepted, closed —
// arrived exactly once. (A kill in the milliseconds between the SMTP server's acceptance and that
// record would send it twice, with the same Message-ID for receivers to recognise: SMTP has no
// way to ask whether a message arrived.)
func TestNoticesArriveOnceAcrossAKill(t *testing.T) {
	addr, maildir := smtpServer(t)
	bin := connectorBinary(t)
	sb := sandboxtest.StartForConnector(t)
	signer, err := meta.NewSampleSigner("smtp")
	if err != nil {
		t.Fatal(err)
	}
	zgwEnv(t, sb, signer)
	for k, v := range map[string]string{"SMTP_ADDR": addr, "SMTP_TLS": "none", "SMTP_FROM": "connector@voorbeeldstad.nl",
		"CONNECTOR_NOTIFY_TO": "privacy@voorbeeldstad.nl,communicatie@voorbeeldstad.nl", "ZGW_TIMEOUT": "1s"} {
		t.Setenv(k, v)
	}
	ref := "SMTP-" + time.Now().Format("150405.000")
	p := startProcess(t, bin, append(os.Environ(), "CONNECTOR_TEST_KILL_AT=notified:registered"))
	if status, out := call(p.url, "POST", "/api/v1/decisions", bearer(t, "intake", registrarSecret, time.Now()), "application/json", decisionJSON(ref, "facebook")); status != 202 {
		t.Fatalf("decision: %d %s", status, out)
	}
	select {
	case <-p.exit:
	case <-time.After(30 * time.Second):
		t.Fatal("the process was not killed after the first notice")
	}
	p = startProcess(t, bin, os.Environ())
	defer p.stop(t)
	if p.drive(t, ref, signer) {
		t.Fatal("the restarted process died")
	}
	_, list := call(p.url, "GET", "/api/v1/cases", bearer(t, "audit", auditorSecret, time.Now()), "", nil)
	caseID := regexp.MustCompile(`"id":"([^"]+)"`).FindStringSubmatch(list)[1]
	want := map[string]int{"registered": 1, "overdue": 1, "accepted": 1, "closed": 1}
	deadline := time.Now().Add(30 * time.Second)
	for !maps.Equal(noticesOf(t, maildir, caseID), want) {
		if time.Now().After(deadline) {
			t.Fatalf("notices %v, want %v", noticesOf(t, maildir, caseID), want)
		}
		time.Sleep(100 * time.Millisecond)
	}
	// The job killed at the first notice is resumed 2×ZGW_TIMEOUT after the restart: a repeat
	// would have arrived by now.
	time.Sleep(4 * time.Second)
	if got := noticesOf(t, maildir, caseID); !maps.Equal(got, want) {
		t.Fatalf("notices %v after the resumed job ran, want %v", got, want)
	}
}
