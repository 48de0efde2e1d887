package documenten_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
)

// The Documenten API mirrors a document's links to zaken: made with the zaakinformatieobject,
// gone with it or with the zaak; posted by a client only for a link that exists and is not
// mirrored yet, deleted only once the link is gone.
func TestObjectInformatieObjecten(t *testing.T) {
	f := sandboxtest.NewFixture(t, new(bool))
	ctx := context.Background()
	tok := sandboxtest.Token(t, sandboxtest.ClientID, sandboxtest.Secret, time.Now())
	oios := f.Env.URL + "/documenten/api/v1/objectinformatieobjecten"
	list := func() []map[string]any {
		t.Helper()
		req, _ := http.NewRequest("GET", oios+"?object="+url.QueryEscape(f.Zaak.URL)+"&informatieobject="+url.QueryEscape(f.Doc.URL), nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out []map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			t.Fatalf("the list is not an array: %v", err)
		}
		return out
	}
	got := list()
	if len(got) != 1 || got[0]["objectType"] != "zaak" || got[0]["object"] != f.Zaak.URL || got[0]["informatieobject"] != f.Doc.URL {
		t.Fatalf("the mirror of the zaakinformatieobject: %v", got)
	}
	pair := `{"object":"` + f.Zaak.URL + `","informatieobject":"` + f.Doc.URL + `","objectType":"zaak"}`
	if status, body := sandboxtest.Send(t, "POST", oios, tok, pair, nil); status != http.StatusBadRequest || !sandboxtest.HasParam(body, "nonFieldErrors", "unique") {
		t.Errorf("posting a mirrored pair: %d %v", status, body)
	}
	if status, body := sandboxtest.Send(t, "DELETE", got[0]["url"].(string), tok, "", nil); status != http.StatusConflict || body["code"] != "inconsistent-relation" {
		t.Errorf("deleting the mirror of a live link: %d %v", status, body)
	}
	other, err := f.Env.Client.Zaken.CreateZaak(ctx, sandboxtest.NewZaak(f.Cat))
	if err != nil {
		t.Fatal(err)
	}
	unlinked := `{"object":"` + other.URL + `","informatieobject":"` + f.Doc.URL + `","objectType":"zaak"}`
	if status, body := sandboxtest.Send(t, "POST", oios, tok, unlinked, nil); status != http.StatusBadRequest || !sandboxtest.HasParam(body, "nonFieldErrors", "inconsistent-relation") {
		t.Errorf("posting a pair not linked in the Zaken API: %d %v", status, body)
	}
	zios, err := f.Env.Client.Zaken.ListZaakInformatieObjecten(ctx, f.Zaak.URL)
	if err != nil || len(zios) != 1 {
		t.Fatal(zios, err)
	}
	if status, body := sandboxtest.Send(t, "DELETE", zios[0].URL, tok, "", nil); status != http.StatusNoContent {
		t.Fatalf("deleting the zaakinformatieobject: %d %v", status, body)
	}
	if got := list(); len(got) != 0 {
		t.Errorf("the mirror outlived its link: %v", got)
	}
	if z, err := f.Env.Client.Zaken.GetZaak(ctx, f.Zaak.URL); err != nil {
		t.Fatal(err)
	} else if zios, _ := f.Env.Client.Zaken.ListZaakInformatieObjecten(ctx, z.URL); len(zios) != 0 {
		t.Errorf("the zaak still has links: %v", zios)
	}
}

// A document's indicatieGebruiksrecht follows its gebruiksrechten; a new document cannot claim
// some; a document is deleted with them, but not while it is linked to a zaak.
func TestGebruiksrechtenAndDocumentDelete(t *testing.T) {
	f := sandboxtest.NewFixture(t, nil)
	ctx := context.Background()
	tok := sandboxtest.Token(t, sandboxtest.ClientID, sandboxtest.Secret, time.Now())
	claims := sandboxtest.NewDoc(f.Cat, "Bezwaarschrift", sandboxtest.Ptr(true))
	if _, err := f.Env.Client.Documenten.Create(ctx, claims); err == nil {
		t.Error("a new document with indicatieGebruiksrecht true was accepted")
	} else {
		sandboxtest.WantRefusal(t, err, "indicatieGebruiksrecht", "missing-gebruiksrechten")
	}
	rechten := f.Env.URL + "/documenten/api/v1/gebruiksrechten"
	// A startdatum without a zone, as VNG's suite sends it (against the spec): Dutch time.
	var status int
	var g map[string]any
	f.Env.Spec.ExpectInvalidRequests(func() {
		status, g = sandboxtest.Send(t, "POST", rechten, tok, `{"informatieobject":"`+f.Doc.URL+`","startdatum":"2025-05-13T12:00:00","omschrijvingVoorwaarden":"Alleen intern"}`, nil)
	})
	if status != http.StatusCreated || g["startdatum"] != "2025-05-13T10:00:00Z" {
		t.Fatalf("gebruiksrecht: %d %v", status, g)
	}
	if d, err := f.Env.Client.Documenten.Get(ctx, f.Doc.URL); err != nil || d.IndicatieGebruiksrecht == nil || !*d.IndicatieGebruiksrecht {
		t.Errorf("with a gebruiksrecht: %+v %v", d, err)
	}
	if status, body := sandboxtest.Send(t, "DELETE", g["url"].(string), tok, "", nil); status != http.StatusNoContent {
		t.Fatalf("deleting the gebruiksrecht: %d %v", status, body)
	}
	if d, err := f.Env.Client.Documenten.Get(ctx, f.Doc.URL); err != nil || d.IndicatieGebruiksrecht != nil {
		t.Errorf("after the last gebruiksrecht went: %+v %v", d, err)
	}
	if status, body := sandboxtest.Send(t, "DELETE", f.Doc.URL, tok, "", nil); status != http.StatusConflict || body["code"] != "pending-relations" {
		t.Errorf("deleting a linked document: %d %v", status, body)
	}
	loose, err := f.Env.Client.Documenten.Create(ctx, sandboxtest.NewDoc(f.Cat, "Bezwaarschrift", nil))
	if err != nil {
		t.Fatal(err)
	}
	if status, body := sandboxtest.Send(t, "DELETE", loose.URL, tok, "", nil); status != http.StatusNoContent {
		t.Errorf("deleting an unlinked document: %d %v", status, body)
	}
	if _, err := f.Env.Client.Documenten.Get(ctx, loose.URL); err == nil {
		t.Error("the deleted document is still there")
	}
}
