package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/gemeenten/meta-bezwaar-connector/internal/meta"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// TestQuarantineReviewAndAssignment: an unverifiable plain-text forward is refused and kept; a
// registrar finds it in the quarantine, reads it unchanged, and assigns it to the case, which
// attaches it with a note of who decided and closes the zaak.
func TestQuarantineReviewAndAssignment(t *testing.T) {
	w := newWorld(t)
	id := w.registered(t, "B&W-QUARANTINE", "instagram")
	original := w.mail(t, "instagram", "Gemeente Voorbeeldstad instagram", "instagram@voorbeeldstad.nl", false, meta.KindHonoured)
	body := original[strings.Index(string(original), "\r\n\r\n"):]
	forward := []byte("From: Collega <collega@voorbeeldstad.nl>\r\nTo: bezwaar@voorbeeldstad.nl\r\nSubject: Fwd: We'll honour your objection\r\n\r\n---------- Forwarded message ---------" + string(body))

	status, _, p := w.do(t, "POST", "/api/v1/cases/"+id+"/confirmations", w.registrar(t), "message/rfc822", forward)
	if status != 422 {
		t.Fatalf("plain-text forward: %d %v", status, p)
	}
	status, _, q := w.do(t, "GET", "/api/v1/quarantine", w.registrar(t), "", nil)
	if status != 200 || q["count"] != float64(1) {
		t.Fatalf("quarantine: %d %v", status, q)
	}
	if status, _, _ := w.do(t, "GET", "/api/v1/quarantine", w.auditor(t), "", nil); status != 403 {
		t.Errorf("auditor reads the quarantine: %d", status)
	}
	qid := q["results"].([]any)[0].(map[string]any)["id"].(string)

	req, _ := http.NewRequest("GET", w.app.URL+"/api/v1/confirmations/"+qid+"/eml", nil)
	req.Header.Set("Authorization", w.registrar(t))
	resp, err := w.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(got) != string(forward) {
		t.Fatalf("eml: %d, %d bytes (want the %d received)", resp.StatusCode, len(got), len(forward))
	}

	var status2 int
	w.spec.ExpectInvalidRequests(func() {
		status2, _, _ = w.do(t, "POST", "/api/v1/quarantine/"+qid+"/assign", w.registrar(t), "application/json", []byte(`{"caseId":"`+id+`","accounts":[0]}`))
	})
	if status2 != 400 {
		t.Errorf("assignment without a note: %d", status2)
	}
	assign, _ := json.Marshal(map[string]any{"caseId": id, "accounts": []int{0}, "confirms": true, "note": "Doorgestuurd door de webredactie; origineel bekeken"})
	status, _, conf := w.do(t, "POST", "/api/v1/quarantine/"+qid+"/assign", w.registrar(t), "application/json", assign)
	if status != 202 || conf["assignedBy"] != "intake" || conf["state"] != "accepted" {
		t.Fatalf("assign: %d %v", status, conf)
	}
	if status, _, _ := w.do(t, "POST", "/api/v1/quarantine/"+qid+"/assign", w.registrar(t), "application/json", assign); status != 409 {
		t.Errorf("assigning twice: %d", status)
	}
	closed := w.waitState(t, id, objection.StateClosed)
	docURL := closed["accounts"].([]any)[0].(map[string]any)["confirmationUrl"].(string)
	doc, err := w.sb.Client.Documenten.Get(context.Background(), docURL)
	if err != nil || !strings.Contains(doc.Beschrijving, "toegewezen door intake") || !strings.Contains(doc.Beschrijving, "webredactie") {
		t.Fatalf("document: %+v %v", doc, err)
	}
}

func TestDismissOverTheAPI(t *testing.T) {
	w := newWorld(t)
	status, _, p := w.do(t, "POST", "/api/v1/confirmations", w.registrar(t), "message/rfc822",
		w.mail(t, "instagram", "Iemand", "iemand@elders.nl", false, meta.KindHonoured))
	if status != 422 {
		t.Fatalf("an unmatched mail: %d %v", status, p)
	}
	id := p["confirmation"].(map[string]any)["id"].(string)
	if status, _, _ := w.do(t, "POST", "/api/v1/quarantine/"+id+"/dismiss", w.auditor(t), "application/json", []byte(`{"reason":"x"}`)); status != 403 {
		t.Errorf("an auditor dismissing: %d", status)
	}
	if status, _, p := w.do(t, "POST", "/api/v1/quarantine/"+id+"/dismiss", w.registrar(t), "application/json", []byte(`{"reason":""}`)); status != 400 {
		t.Errorf("no reason: %d %v", status, p)
	}
	status, _, p = w.do(t, "POST", "/api/v1/quarantine/"+id+"/dismiss", w.registrar(t), "application/json", []byte(`{"reason":"Spam"}`))
	if status != 200 || p["state"] != "dismissed" || p["assignedBy"] != "intake" || p["note"] != "Spam" {
		t.Fatalf("dismiss: %d %v", status, p)
	}
	if status, _, _ := w.do(t, "POST", "/api/v1/quarantine/"+id+"/dismiss", w.registrar(t), "application/json", []byte(`{"reason":"Spam"}`)); status != 409 {
		t.Errorf("dismissed twice: %d", status)
	}
	if status, _, _ := w.do(t, "POST", "/api/v1/quarantine/nope/dismiss", w.registrar(t), "application/json", []byte(`{"reason":"Spam"}`)); status != 404 {
		t.Errorf("no such mail: %d", status)
	}
}
