package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/gemeenten/meta-bezwaar-connector/internal/meta"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// forgery is a genuine, validly signed Meta mail for someone else, dressed up by an attacker to
// close the municipality's zaak, and the words its refusal must give.
type forgery struct {
	name   string
	raw    []byte
	reason string
}

// forgeries makes each attack afresh (so that no two routes see the same bytes) against the
// account at ours, named name.
func forgeries(t *testing.T, signer *meta.SampleSigner, ours, name string) []forgery {
	t.Helper()
	make := func(kind meta.Kind, to, account string) []byte {
		raw, err := signer.Make(meta.Sample{Platform: objection.Facebook, To: to, Account: account, Kind: kind})
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}
	prepend := func(raw []byte, lines ...string) []byte {
		return append([]byte(strings.Join(lines, "\r\n")+"\r\n"), raw...)
	}
	const theirs = "iemand@elders.nl"
	return []forgery{
		{"prepended Subject and To on a 'received' mail", prepend(make(meta.KindReceived, theirs, "Iemand"), "Subject: We'll honour your objection", "To: "+ours),
			`Subject appears 2 times (RFC 5322 allows one); only the bottom-most instance is signed, and it says "We've received your objection"`},
		{"Cc to the municipality", prepend(make(meta.KindHonoured, theirs, "Iemand"), "Cc: "+ours), "signed recipient " + theirs},
		{"Delivered-To and X-Original-To the municipality", prepend(make(meta.KindHonoured, theirs, "Iemand"), "Delivered-To: "+ours, "X-Original-To: "+ours),
			"signed recipient " + theirs},
		{"repeated From", prepend(make(meta.KindHonoured, theirs, "Iemand"), "From: Facebook <noreply@facebookmail.com>"), "From appears 2 times"},
		{"same page name at another address", make(meta.KindHonoured, theirs, name), "needs review"},
	}
}

// TestForgeriesDoNotCloseTheZaak: each attack, through the case's upload and the unrouted
// upload, is refused with its reason and kept in quarantine; the zaak stays open with only its
// letter. Then the genuine mail closes it, and the same mail with another Message-ID is the same
// mail: 200 with the earlier record, no second document.
func TestForgeriesDoNotCloseTheZaak(t *testing.T) {
	w := newWorld(t)
	id := w.registered(t, "B&W-FORGERY", "facebook")
	c := w.waitState(t, id, objection.StateAwaitingConfirmation)
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
				if route == "/api/v1/confirmations" && strings.HasPrefix(f.reason, "needs review") && !strings.Contains(p["detail"].(string), "case "+id+" (B&W-FORGERY)") {
					t.Errorf("the review reason does not list the candidate case: %v", p["detail"])
				}
				conf := p["confirmation"].(map[string]any)
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
	// The quarantine is read a page at a time.
	for _, tc := range []struct {
		query          string
		results        int
		next, previous any
	}{
		{"", 10, nil, nil},
		{"?pageSize=4", 4, "/api/v1/quarantine?page=2&pageSize=4", nil},
		{"?page=2&pageSize=4", 4, "/api/v1/quarantine?page=3&pageSize=4", "/api/v1/quarantine?page=1&pageSize=4"},
		{"?page=3&pageSize=4", 2, nil, "/api/v1/quarantine?page=2&pageSize=4"},
	} {
		_, _, q := w.do(t, "GET", "/api/v1/quarantine"+tc.query, w.registrar(t), "", nil)
		if q["count"] != float64(10) || len(q["results"].([]any)) != tc.results || q["next"] != tc.next || q["previous"] != tc.previous {
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
