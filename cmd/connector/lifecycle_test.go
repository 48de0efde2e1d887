package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gemeenten/meta-bezwaar-connector/internal/meta"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// form builds a multipart body: text fields, then files (name → content), in order.
func form(t *testing.T, fields [][2]string, files map[string][]byte) ([]byte, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, f := range fields {
		mw.WriteField(f[0], f[1])
	}
	for name, data := range files {
		fw, _ := mw.CreateFormFile(name, name+".bin")
		fw.Write(data)
	}
	mw.Close()
	return b.Bytes(), mw.FormDataContentType()
}

func pngBytes(t *testing.T) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 3, 3))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestLifecycleOverHTTP: a decision with the college's PDF, the letter for filing, filings by JSON
// and with a receipt, the history, an account confirmed by evidence and one by Meta's mail; the
// dossier then holds the decision first, the receipts, events.json — and an auditor can read all
// of it but record nothing.
func TestLifecycleOverHTTP(t *testing.T) {
	w := newWorld(t)
	pdf := []byte("%PDF-1.4\n% het besluit van het college\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
	body, ct := form(t, [][2]string{{"decision", string(decisionJSON("B&W-LIFE-HTTP", "facebook", "instagram"))}}, map[string][]byte{"document": pdf})
	status, _, c := w.do(t, "POST", "/api/v1/decisions", w.registrar(t), ct, body)
	if status != 202 {
		t.Fatalf("decision with its document: %d %v", status, c)
	}
	id := c["id"].(string)
	if status, _, again := w.do(t, "POST", "/api/v1/decisions", w.registrar(t), ct, body); status != 200 || again["id"] != id {
		t.Errorf("the same decision and document again: %d", status)
	}
	other, otherCT := form(t, [][2]string{{"decision", string(decisionJSON("B&W-LIFE-HTTP", "facebook", "instagram"))}}, map[string][]byte{"document": append(pdf, '\n')})
	if status, _, _ := w.do(t, "POST", "/api/v1/decisions", w.registrar(t), otherCT, other); status != 409 {
		t.Errorf("the same decision with another document: %d, want 409", status)
	}
	c = w.waitState(t, id, objection.StateAwaitingConfirmation)
	if c["decisionDocumentUrl"] == nil || c["dueAt"] == nil {
		t.Fatalf("case: %v", c)
	}

	// The letter, byte for byte, with the form.
	req, _ := http.NewRequest("GET", w.app.URL+"/api/v1/cases/"+id+"/accounts/1/letter", nil)
	req.Header.Set("Authorization", w.auditor(t))
	resp, err := w.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	letter, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	stored, _ := w.sb.Client.Documenten.Download(context.Background(), c["accounts"].([]any)[1].(map[string]any)["letterUrl"].(string))
	want, _ := io.ReadAll(stored)
	stored.Close()
	if resp.StatusCode != 200 || !bytes.Equal(letter, want) || !strings.Contains(resp.Header.Get("Link"), "instagram.com") {
		t.Fatalf("letter: %d, %d bytes (stored %d), Link %q", resp.StatusCode, len(letter), len(want), resp.Header.Get("Link"))
	}

	// Filings: one as JSON, one as a form with Meta's receipt; an auditor may not.
	if status, _, _ := w.do(t, "POST", "/api/v1/cases/"+id+"/accounts/0/filing", w.auditor(t), "application/json", []byte(`{"channel":"web-form"}`)); status != 403 {
		t.Errorf("an auditor records a filing: %d", status)
	}
	if status, _, p := w.do(t, "POST", "/api/v1/cases/"+id+"/accounts/0/filing", w.registrar(t), "application/json", []byte(`{"channel":"web-form","note":"via het formulier"}`)); status != 200 {
		t.Fatalf("filing 0: %d %v", status, p)
	}
	var status2 int
	w.spec.ExpectInvalidRequests(func() {
		status2, _, _ = w.do(t, "POST", "/api/v1/cases/"+id+"/accounts/1/filing", w.registrar(t), "application/json", []byte(`{"channel":"postduif"}`))
	})
	if status2 != 400 {
		t.Errorf("an unknown channel: %d", status2)
	}
	body, ct = form(t, [][2]string{{"channel", "app"}, {"filedAt", "2025-05-20"}}, map[string][]byte{"evidence": pngBytes(t)})
	status, _, filed := w.do(t, "POST", "/api/v1/cases/"+id+"/accounts/1/filing", w.registrar(t), ct, body)
	if status != 200 {
		t.Fatalf("filing 1: %d %v", status, filed)
	}
	if f := filed["accounts"].([]any)[1].(map[string]any)["filing"].(map[string]any); f["by"] != "intake" || f["channel"] != "app" {
		t.Errorf("filing recorded as %v", f)
	}
	if status, _, _ := w.do(t, "POST", "/api/v1/cases/"+id+"/accounts/1/filing", w.registrar(t), "application/json", []byte(`{"channel":"app"}`)); status != 409 {
		t.Errorf("filing twice: %d", status)
	}
	if status, _, _ := w.do(t, "POST", "/api/v1/cases/"+id+"/accounts/7/filing", w.registrar(t), "application/json", []byte(`{"channel":"app"}`)); status != 404 {
		t.Errorf("a filing for account 7: %d", status)
	}

	// Facebook by Meta's mail, Instagram on other evidence.
	raw := w.mail(t, "facebook", "Gemeente Voorbeeldstad facebook", "facebook@voorbeeldstad.nl", true, meta.KindHonoured)
	if status, _, _ := w.do(t, "POST", "/api/v1/cases/"+id+"/confirmations", w.registrar(t), "message/rfc822", raw); status != 202 {
		t.Fatal(status)
	}
	body, ct = form(t, [][2]string{{"reason", "Meta bevestigde alleen in de app; schermafdruk gecontroleerd"}}, map[string][]byte{"evidence": pngBytes(t)})
	if status, _, p := w.do(t, "POST", "/api/v1/cases/"+id+"/accounts/1/evidence", w.registrar(t), ct, body); status != 202 {
		t.Fatalf("evidence: %d %v", status, p)
	}
	closed := w.waitState(t, id, objection.StateClosed)
	if closed["outcome"] != "confirmed" || closed["accounts"].([]any)[1].(map[string]any)["confirmedHow"] != "evidence" {
		t.Errorf("closed as %v", closed)
	}
	if status, _, _ := w.do(t, "POST", "/api/v1/cases/"+id+"/close", w.registrar(t), "application/json", []byte(`{"reason":"te laat"}`)); status != 409 {
		t.Errorf("closing a closed case: %d", status)
	}

	status, _, ev := w.do(t, "GET", "/api/v1/cases/"+id+"/events", w.auditor(t), "", nil)
	if status != 200 {
		t.Fatal(status)
	}
	var types []string
	for _, e := range ev["results"].([]any) {
		types = append(types, e.(map[string]any)["type"].(string))
	}
	for _, want := range []string{"registered", "filed", "mail_accepted", "confirmed_by_evidence", "closing", "closed"} {
		if !strings.Contains(strings.Join(types, ","), want) {
			t.Errorf("no %s event in %v", want, types)
		}
	}
	if _, _, list := w.do(t, "GET", "/api/v1/cases?state=closed&overdue=false", w.auditor(t), "", nil); list["count"] != float64(1) {
		t.Errorf("closed cases: %v", list["count"])
	}
	if _, _, list := w.do(t, "GET", "/api/v1/cases?state=awaiting_confirmation", w.auditor(t), "", nil); list["count"] != float64(0) {
		t.Errorf("awaiting cases: %v", list["count"])
	}

	// The dossier: the decision first, the receipts, the history.
	dossier := filepath.Join(t.TempDir(), "d.zip")
	t.Setenv("CONNECTOR_URL", w.app.URL)
	t.Setenv("CONNECTOR_TOKEN", strings.TrimPrefix(w.auditor(t), "Bearer "))
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"dossier", "export", id, "-o", dossier}, nil, &stdout, &stderr); code != exitOK {
		t.Fatalf("export: %s", stderr.String())
	}
	zr, err := zip.OpenReader(dossier)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var names []string
	var events []objection.Event
	var first []byte
	for _, f := range zr.File {
		names = append(names, f.Name)
		rc, _ := f.Open()
		data, _ := io.ReadAll(rc)
		rc.Close()
		switch {
		case f.Name == "events.json":
			json.Unmarshal(data, &events)
		case strings.HasPrefix(f.Name, "documenten/01-"):
			first = data
		}
	}
	if !bytes.Equal(first, pdf) {
		t.Errorf("the first document is not the decision's PDF: %v", names)
	}
	if len(events) < 6 || strings.Count(strings.Join(names, ","), "bewijs") != 2 {
		t.Errorf("dossier %v with %d events", names, len(events))
	}
}

// TestCloseAsNotConfirmedOverHTTP: a registrar closes a case without Meta's confirmation.
func TestCloseAsNotConfirmedOverHTTP(t *testing.T) {
	w := newWorld(t)
	id := w.registered(t, "B&W-CLOSE-HTTP", "facebook")
	var status int
	w.spec.ExpectInvalidRequests(func() {
		status, _, _ = w.do(t, "POST", "/api/v1/cases/"+id+"/close", w.registrar(t), "application/json", []byte(`{}`))
	})
	if status != 400 {
		t.Errorf("closing without a reason: %d", status)
	}
	if status, _, _ := w.do(t, "POST", "/api/v1/cases/"+id+"/close", w.auditor(t), "application/json", []byte(`{"reason":"x"}`)); status != 403 {
		t.Errorf("an auditor closes: %d", status)
	}
	if status, _, p := w.do(t, "POST", "/api/v1/cases/"+id+"/close", w.registrar(t), "application/json", []byte(`{"reason":"Meta reageert niet"}`)); status != 202 {
		t.Fatalf("close: %d %v", status, p)
	}
	closed := w.waitState(t, id, objection.StateClosed)
	if closed["outcome"] != "not_confirmed" || closed["closedBy"] != "intake" || closed["closeReason"] != "Meta reageert niet" {
		t.Errorf("closed: %v", closed)
	}
}
