package main

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/meta"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// forgery is a genuine, validly signed Meta mail for someone else, dressed up by an attacker to
// close the municipality's zaak, and the words its refusal must give.
type forgery struct {
	name   string
	raw    []byte
	reason string
	// ofCase: a genuine mail to the case's own address, refused for what it says; it is kept in
	// quarantine with the case it was matched to.
	ofCase bool
}

// forgeries makes each attack afresh (so that no two routes see the same bytes) against the
// case of sharedPageDecision: two Facebook pages at ours, the first named name, both filed at
// Meta an hour ago (recordFilings). The first attacks dress up a genuine mail for someone else;
// the rest are genuine mails from Meta to ours that do not confirm this objection: of another
// time, saying something else, read by an unsigned encoding, or naming neither page.
func forgeries(t *testing.T, signer *meta.SampleSigner, ours, name string) []forgery {
	t.Helper()
	sign := func(s meta.Sample) []byte {
		s.Platform = objection.Facebook
		raw, err := signer.Make(s)
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}
	make := func(kind meta.Kind, to, account string) []byte {
		return sign(meta.Sample{To: to, Account: account, Kind: kind})
	}
	prepend := func(raw []byte, lines ...string) []byte {
		return append([]byte(strings.Join(lines, "\r\n")+"\r\n"), raw...)
	}
	const theirs = "iemand@elders.nl"
	// A moment within the second, so that two calls never make the same signed mail (which
	// would be a duplicate of the first).
	at := func(t time.Time) time.Time { return t.Add(time.Duration(time.Now().Nanosecond())) }
	return []forgery{
		{"prepended Subject and To on a 'received' mail", prepend(make(meta.KindReceived, theirs, "Iemand"), "Subject: We'll honour your objection", "To: "+ours),
			`Subject appears 2 times (RFC 5322 allows one); only the bottom-most instance is signed, and it says "We've received your objection"`, false},
		{"Cc to the municipality", prepend(make(meta.KindHonoured, theirs, "Iemand"), "Cc: "+ours), "signed recipient " + theirs, false},
		{"Delivered-To and X-Original-To the municipality", prepend(make(meta.KindHonoured, theirs, "Iemand"), "Delivered-To: "+ours, "X-Original-To: "+ours),
			"signed recipient " + theirs, false},
		{"repeated From", prepend(make(meta.KindHonoured, theirs, "Iemand"), "From: Facebook <noreply@facebookmail.com>"), "From appears 2 times", false},
		{"same page name at another address", make(meta.KindHonoured, theirs, name), "needs review", false},
		{"Meta's honour of an earlier objection round (2023)", sign(meta.Sample{To: ours, Account: name, Kind: meta.KindHonoured, Date: at(time.Date(2023, 9, 26, 8, 0, 0, 0, time.UTC))}),
			"needs review: the mail is dated 2023-09-26 10:00 CEST, before the decision of 2025-05-13", true},
		{"Meta's honour dated 2031", sign(meta.Sample{To: ours, Account: name, Kind: meta.KindHonoured, Date: at(time.Date(2031, 1, 1, 8, 0, 0, 0, time.UTC))}),
			"needs review: the mail is dated 2031-01-01 09:00 CET, later than it arrived", true},
		{"Meta's honour dated three days before the filing", sign(meta.Sample{To: ours, Account: name, Kind: meta.KindHonoured, Date: time.Now().Add(-72 * time.Hour)}),
			"more than a day before the objection of facebook account \"" + name + "\" was filed", true},
		{"a receipt whose page name ends in an honour sentence", sign(meta.Sample{To: ours, Kind: meta.KindReceived,
			Body: "Hi " + name + ",\n\nWe've received your objection for the Page Stad. We'll honour your objection. We'll review it.\n"}),
			"needs review: the mail says two things at once: it has the words of more than one kind of mail (received and honoured)", true},
		{"a rejection with a conditional honour", sign(meta.Sample{To: ours, Subject: "About your objection",
			Body: "Hi " + name + ",\n\nWe couldn't process your objection. We can't say that we'll honour your objection unless you submit it again.\n"}),
			"needs review: the honour sentence in the body holds a negation or a condition", true},
		{"an unsigned quoted-printable that makes the body an honour", bytes.Replace(sign(meta.Sample{To: ours, Subject: "About your objection",
			Body: "Hi " + name + ",\n\n=57e will =68onour your objection. It also applies to the other accounts in the same Accounts Centre.\n"}),
			[]byte("Content-Transfer-Encoding: 8bit"), []byte("Content-Transfer-Encoding: quoted-printable"), 1),
			`refused as ambiguous: the Content-Transfer-Encoding "quoted-printable" is not signed, and it changes how the signed body reads`, false},
		{"Meta's honour naming neither page at the shared address", sign(meta.Sample{To: ours, Kind: meta.KindHonoured, Body: "Hi there,\n\nWe'll honour your objection.\n"}),
			"the mail names none of them and does not say it covers every account of that login", true},
	}
}

// sharedPageDecision is a decision whose two Facebook pages are managed from one mailbox.
func sharedPageDecision(ref string) []byte {
	return []byte(fmt.Sprintf(`{"reference":%q,"title":"Bezwaar tegen gebruik van openbare content voor AI-training door Meta","decidedOn":"2025-05-13","deadline":"2025-05-27","acceptPastDeadline":true,"accounts":[`+
		`{"platform":"facebook","name":"Gemeente Voorbeeldstad facebook","url":"https://www.facebook.com/voorbeeldstad","email":"facebook@voorbeeldstad.nl"},`+
		`{"platform":"facebook","name":"Jeugd Voorbeeldstad","url":"https://www.facebook.com/jeugdvoorbeeldstad","email":"facebook@voorbeeldstad.nl"}]}`, ref))
}

// recordFilings records, through post, that both pages were filed at Meta an hour ago.
func recordFilings(t *testing.T, caseID string, post func(path string, body []byte) int) {
	t.Helper()
	for n := range 2 {
		body := fmt.Sprintf(`{"filedAt":%q,"channel":"web-form"}`, time.Now().Add(-time.Hour).UTC().Format(time.RFC3339))
		if status := post(fmt.Sprintf("/api/v1/cases/%s/accounts/%d/filing", caseID, n), []byte(body)); status != 200 {
			t.Fatalf("filing of account %d: %d", n, status)
		}
	}
}

// TestForgeriesDoNotCloseTheZaak: each attack, through the case's upload and the unrouted
// upload, is refused with its reason and kept in quarantine; the zaak stays open with only its
// letter. Then the genuine mail closes it, and the same mail with another Message-ID is the same
// mail: 200 with the earlier record, no second document.
func TestForgeriesDoNotCloseTheZaak(t *testing.T) {
	w := newWorld(t)
	status, _, created := w.do(t, "POST", "/api/v1/decisions", w.registrar(t), "application/json", sharedPageDecision("B&W-FORGERY"))
	if status != 202 {
		t.Fatalf("decision: %d %v", status, created)
	}
	id := created["id"].(string)
	c := w.waitState(t, id, objection.StateAwaitingConfirmation)
	recordFilings(t, id, func(path string, body []byte) int {
		status, _, _ := w.do(t, "POST", path, w.registrar(t), "application/json", body)
		return status
	})
	zaakURL := c["zaakUrl"].(string)
	const ours, name = "facebook@voorbeeldstad.nl", "Gemeente Voorbeeldstad facebook"
	documents := func() int {
		zios, err := w.sb.Client.Zaken.ListZaakInformatieObjecten(context.Background(), zaakURL)
		if err != nil {
			t.Fatal(err)
		}
		return len(zios)
	}
	letters := documents()

	for _, route := range []string{"/api/v1/cases/" + id + "/confirmations", "/api/v1/confirmations"} {
		for _, f := range forgeries(t, w.signer, ours, name) {
			t.Run(route+" "+f.name, func(t *testing.T) {
				status, _, p := w.do(t, "POST", route, w.registrar(t), "message/rfc822", f.raw)
				if status != 422 || !strings.Contains(p["detail"].(string), f.reason) {
					t.Fatalf("%d %v\nwant 422 saying %q", status, p["detail"], f.reason)
				}
				conf := p["confirmation"].(map[string]any)
				switch {
				case f.ofCase && conf["caseId"] != id:
					t.Errorf("kept in quarantine without its case: %v", conf)
				case !f.ofCase && route == "/api/v1/confirmations" && strings.HasPrefix(f.reason, "needs review") && !strings.Contains(p["detail"].(string), "case "+id+" (B&W-FORGERY)"):
					t.Errorf("the review reason does not list the candidate case: %v", p["detail"])
				}
				if conf["state"] != "quarantined" || conf["honoured"] == true {
					t.Errorf("record: %v", conf)
				}
			})
		}
	}
	if c := w.waitState(t, id, objection.StateAwaitingConfirmation); c["accounts"].([]any)[0].(map[string]any)["confirmedBy"] != nil {
		t.Fatalf("an account was confirmed by a forgery: %v", c)
	}
	if n := documents(); n != letters {
		t.Fatalf("%d documents in the zaak after the forgeries, want the %d letters only", n, letters)
	}
	// The quarantine is read a page at a time: every forgery, by both routes.
	kept := 2 * len(forgeries(t, w.signer, ours, name))
	for _, tc := range []struct {
		query          string
		results        int
		next, previous any
	}{
		{"", kept, nil, nil},
		{"?pageSize=10", 10, "/api/v1/quarantine?page=2&pageSize=10", nil},
		{"?page=2&pageSize=10", 10, "/api/v1/quarantine?page=3&pageSize=10", "/api/v1/quarantine?page=1&pageSize=10"},
		{"?page=3&pageSize=10", kept - 20, nil, "/api/v1/quarantine?page=2&pageSize=10"},
	} {
		_, _, q := w.do(t, "GET", "/api/v1/quarantine"+tc.query, w.registrar(t), "", nil)
		if q["count"] != float64(kept) || len(q["results"].([]any)) != tc.results || q["next"] != tc.next || q["previous"] != tc.previous {
			t.Errorf("quarantine%s: count %v, %d results, next %v, previous %v", tc.query, q["count"], len(q["results"].([]any)), q["next"], q["previous"])
		}
	}
	for _, bad := range []string{"?page=0", "?pageSize=101", "?page=x"} {
		var status int
		w.spec.ExpectInvalidRequests(func() { status, _, _ = w.do(t, "GET", "/api/v1/quarantine"+bad, w.registrar(t), "", nil) })
		if status != 400 {
			t.Errorf("quarantine%s: %d, want 400", bad, status)
		}
	}

	genuine := w.mail(t, "facebook", name, ours, false, meta.KindHonoured)
	status, _, first := w.do(t, "POST", "/api/v1/cases/"+id+"/confirmations", w.registrar(t), "message/rfc822", genuine)
	if status != 202 {
		t.Fatalf("genuine: %d %v", status, first)
	}
	w.waitState(t, id, objection.StateClosed)
	replay := regexp.MustCompile(`(?m)^Message-ID: .*\r$`).ReplaceAll(bytes.Clone(genuine), []byte("Message-ID: <replay@facebookmail.com>\r"))
	replay = append([]byte("X-Forwarded-By: someone\r\n"), replay...)
	for _, route := range []string{"/api/v1/cases/" + id + "/confirmations", "/api/v1/confirmations"} {
		status, _, again := w.do(t, "POST", route, w.registrar(t), "message/rfc822", replay)
		if status != 200 || again["id"] != first["id"] {
			t.Fatalf("%s: the replay: %d %v, want 200 with %v", route, status, again, first["id"])
		}
	}
	if n := documents(); n != letters+1 {
		t.Errorf("%d documents, want the letters and one e-mail", n)
	}
}
