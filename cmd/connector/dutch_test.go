package main

import (
	"archive/zip"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/gemeenten/meta-bezwaar-connector/internal/dutch/dutchtest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/meta"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// Every page a person reads speaks Dutch: the list, a case in each state (registering done,
// confirmed and closed, failed), the pages that ask before what cannot be undone, a refused form,
// the quarantine and a quarantined mail, the dossier check, the operators' page and the sign-in.
// What the connector quotes in English (a check's reason, an error) is marked lang="en".
func TestPagesSpeakDutch(t *testing.T) {
	w := newWorld(t)
	open := w.registered(t, "B&W-NL-1", "facebook", "instagram")
	closed := w.registered(t, "B&W-NL-2", "facebook")
	if status, _, p := w.do(t, "POST", "/api/v1/cases/"+closed+"/confirmations", w.registrar(t), "message/rfc822",
		w.mail(t, "facebook", "Gemeente Voorbeeldstad facebook", "facebook@voorbeeldstad.nl", true, meta.KindHonoured)); status != 202 {
		t.Fatalf("the mail: %d %v", status, p)
	}
	w.waitState(t, closed, objection.StateClosed)
	status, _, p := w.do(t, "POST", "/api/v1/decisions", w.registrar(t), "application/json",
		[]byte(`{"reference":"B&W-NL-3","title":"Bezwaar","decidedOn":"2023-01-01","accounts":[{"platform":"facebook","name":"Gemeente","email":"f@voorbeeldstad.nl"}]}`))
	if status != 202 {
		t.Fatalf("the decision that fails: %d %v", status, p)
	}
	failed := p["id"].(string)
	w.waitState(t, failed, objection.StateFailed)
	status, _, p = w.do(t, "POST", "/api/v1/confirmations", w.registrar(t), "message/rfc822",
		w.mail(t, "facebook", "Iemand", "iemand@elders.nl", true, meta.KindHonoured))
	if status != 422 {
		t.Fatalf("an unmatched mail: %d %v", status, p)
	}
	quarantined := p["confirmation"].(map[string]any)["id"].(string)

	reg := newPerson(t, w.app.URL)
	reg.devSignIn("Rita Registrar", "registrar")
	pages := map[string]string{}
	for _, path := range []string{"/", "/zaken?filter=alle", "/zaken/" + open, "/zaken/" + closed, "/zaken/" + failed,
		"/zaken/" + open + "/sluiten", "/zaken/" + open + "/bewijs/0", "/besluiten/nieuw", "/quarantaine",
		"/quarantaine/" + quarantined, "/quarantaine/" + quarantined + "/terzijde", "/dossier/controleren", "/hulp"} {
		resp, page := reg.get(path, true)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: %d", path, resp.StatusCode)
		}
		pages[path] = page
	}
	_, pages["a refused decision"] = reg.post("/besluiten", map[string]string{"reference": "", "title": "", "decidedOn": "2099-01-01",
		"account0_platform": "facebook", "account0_name": "x", "account0_email": "nope"}, nil, "")
	_, pages["a refused filing"] = reg.post("/zaken/"+open+"/indiening/1", map[string]string{"filedAt": "2099-01-01", "channel": "fax"}, nil, "")
	operator := newPerson(t, w.app.URL)
	operator.devSignIn("Olaf Operator", "operator")
	_, pages["/beheer"] = operator.get("/beheer", true)
	_, pages["/aanmelden"] = newPerson(t, w.app.URL).get("/aanmelden", true)
	// The dossier's index.html, as an auditor opens it.
	resp, zipped := reg.get("/zaken/"+closed+"/dossier", false)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("the dossier: %d", resp.StatusCode)
	}
	zr, err := zip.NewReader(strings.NewReader(zipped), int64(len(zipped)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == "index.html" {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			pages["the dossier's index.html"] = string(b)
		}
	}
	if pages["the dossier's index.html"] == "" {
		t.Error("no index.html in the dossier")
	}
	for name, page := range pages {
		if english := dutchtest.InHTML(page); len(english) > 0 {
			t.Errorf("%s shows English: %q", name, english)
		}
	}
}
