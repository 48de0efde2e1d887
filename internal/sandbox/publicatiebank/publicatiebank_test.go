package publicatiebank_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/publicatiebank"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/woo"
)

const besluitenlijsten = "agenda's en besluitenlijsten bestuurscolleges"

// Every exchange in these tests is validated against gpp-publicatiebank-2.1.0.yaml (the sandbox
// runs behind the spec validator), answers with every field of their schema included.

func TestAPublicatieWithItsDocumentUploadedInParts(t *testing.T) {
	env := sandboxtest.Start(t, func(c *sandbox.Config) { c.PartSize = 1000 })
	pb := env.Woo(t)
	ctx := context.Background()
	cat, err := pb.Categorie(ctx, strings.ToUpper(besluitenlijsten))
	if err != nil {
		t.Fatal(err)
	}
	org, err := pb.Organisatie(ctx, "Gemeente Voorbeeldstad")
	if err != nil {
		t.Fatal(err)
	}
	k := woo.Kenmerk{Kenmerk: "CB-2026-1", Bron: "test"}
	if found, err := pb.FindPublicatie(ctx, k); err != nil || found != nil {
		t.Fatalf("before creating: found %+v, %v", found, err)
	}
	pub, err := pb.CreatePublicatie(ctx, woo.NewPublicatie{Publicatiestatus: woo.StatusConcept, OfficieleTitel: "Bezwaar tegen AI-training",
		Publisher: org, InformatieCategorieen: []string{cat}, Kenmerken: []woo.Kenmerk{k}})
	if err != nil {
		t.Fatal(err)
	}
	if pub.Publicatiestatus != woo.StatusConcept || pub.GepubliceerdOp != nil || pub.Eigenaar.Identifier != "tester" || pub.Eigenaar.WeergaveNaam != "Test user" {
		t.Fatalf("created %+v", pub)
	}
	if found, err := pb.FindPublicatie(ctx, k); err != nil || found == nil || found.UUID != pub.UUID {
		t.Fatalf("looked up by kenmerk: %+v, %v", found, err)
	}
	if other, _ := pb.FindPublicatie(ctx, woo.Kenmerk{Kenmerk: "CB-2026-1", Bron: "elders"}); other != nil {
		t.Fatal("a kenmerk of another source matched")
	}

	content := bytes.Repeat([]byte("besluit "), 320) // 2560 bytes: three parts of at most 1000
	doc, err := pb.CreateDocument(ctx, woo.NewDocument{Publicatie: pub.UUID, OfficieleTitel: "Collegebesluit", Creatiedatum: "2026-12-01",
		Bestandsformaat: "application/pdf", Bestandsnaam: "besluit.pdf", Bestandsomvang: int64(len(content)), AanleveringBestand: "ontvangen",
		Kenmerken: []woo.Kenmerk{k}})
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Bestandsdelen) != 3 || doc.UploadVoltooid || doc.Publicatiestatus != woo.StatusConcept {
		t.Fatalf("registered document %+v", doc)
	}
	if _, err := pb.Download(ctx, doc.UUID, 1<<20); !isStatus(err, http.StatusConflict) {
		t.Fatalf("download before the upload: %v, want 409", err)
	}
	if err := pb.Upload(ctx, doc, content); err != nil {
		t.Fatal(err)
	}
	if got, err := pb.GetDocument(ctx, doc.UUID); err != nil || !got.UploadVoltooid {
		t.Fatalf("after the upload: %+v, %v", got, err)
	}
	if got, err := pb.Download(ctx, doc.UUID, 1<<20); err != nil || !bytes.Equal(got, content) {
		t.Fatalf("downloaded %d bytes (%v), want the %d uploaded", len(got), err, len(content))
	}

	published, err := pb.Publish(ctx, pub)
	if err != nil || published.Publicatiestatus != woo.StatusGepubliceerd || published.GepubliceerdOp == nil {
		t.Fatalf("published: %+v, %v", published, err)
	}
	if docs, err := pb.Documenten(ctx, pub.UUID); err != nil || len(docs) != 1 || docs[0].Publicatiestatus != woo.StatusGepubliceerd {
		t.Fatalf("its documents after publishing: %+v, %v", docs, err)
	}
	resp, err := http.Get(published.URLPublicatieExtern)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("the public page: %v %v", resp, err)
	}
	resp.Body.Close()
}

func TestADocumentFetchedFromTheDocumentenAPI(t *testing.T) {
	env := sandboxtest.Start(t)
	pb := env.Woo(t)
	ctx := context.Background()
	cat, _ := sandboxtest.SeededZaak(t, env.Client)
	eio := sandboxtest.NewDocument(t, env.Client, cat.InformatieObjectTypen[sandbox.IOTypeBesluit].URL, "openbaar")
	pub := newConcept(t, pb)
	doc, err := pb.CreateDocument(ctx, woo.NewDocument{Publicatie: pub.UUID, OfficieleTitel: "Collegebesluit", Creatiedatum: "2026-12-01",
		Bestandsformaat: "application/pdf", Bestandsnaam: "besluit.pdf", AanleveringBestand: "ophalen", DocumentURL: eio.URL})
	if err != nil {
		t.Fatal(err)
	}
	if !doc.UploadVoltooid || len(doc.Bestandsdelen) != 0 {
		t.Fatalf("fetched document %+v", doc)
	}
	rc, err := env.Client.Documenten.Download(ctx, eio.URL)
	if err != nil {
		t.Fatal(err)
	}
	want, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		t.Fatal(err)
	}
	if got, err := pb.Download(ctx, doc.UUID, 1<<20); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("downloaded %q (%v), want %q", got, err, want)
	}
}

func TestThePublicatiebankRefuses(t *testing.T) {
	env := sandboxtest.Start(t, func(c *sandbox.Config) {})
	pb := env.Woo(t)
	ctx := context.Background()
	cat, _ := pb.Categorie(ctx, besluitenlijsten)
	org, _ := pb.Organisatie(ctx, "Gemeente Voorbeeldstad")
	if _, err := pb.Organisatie(ctx, publicatiebank.InactiveOrganisation); !errors.As(err, new(*woo.NotFoundError)) {
		t.Fatalf("an inactive organisation was found: %v", err)
	}
	if _, err := pb.Categorie(ctx, "bestaat niet"); !errors.As(err, new(*woo.NotFoundError)) {
		t.Fatalf("an unknown category was found: %v", err)
	}
	inactive := inactiveOrganisation(t, env)
	for _, tc := range []struct {
		name, field string
		pub         woo.NewPublicatie
		breaksSpec  bool // the spec's schema refuses it too: sent anyway to show the server does
	}{
		{"unknown category", "informatieCategorieen", woo.NewPublicatie{Publicatiestatus: woo.StatusGepubliceerd, OfficieleTitel: "T", Publisher: org,
			InformatieCategorieen: []string{"6b1a7c52-0000-4000-8000-000000000000"}}, false},
		{"inactive publisher", "publisher", woo.NewPublicatie{Publicatiestatus: woo.StatusGepubliceerd, OfficieleTitel: "T", Publisher: inactive,
			InformatieCategorieen: []string{cat}}, false},
		{"published without a category", "informatieCategorieen", woo.NewPublicatie{Publicatiestatus: woo.StatusGepubliceerd, OfficieleTitel: "T", Publisher: org}, true},
		{"created withdrawn", "publicatiestatus", woo.NewPublicatie{Publicatiestatus: woo.StatusIngetrokken, OfficieleTitel: "T", Publisher: org,
			InformatieCategorieen: []string{cat}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			if n := env.Spec.ExpectInvalidRequests(func() { _, err = pb.CreatePublicatie(ctx, tc.pub) }); n != map[bool]int{true: 1}[tc.breaksSpec] {
				t.Errorf("%d requests broke the spec", n)
			}
			var p *woo.Problem
			if !errors.As(err, &p) || p.Status != http.StatusBadRequest || len(p.Fields[tc.field]) == 0 || !woo.Permanent(err) {
				t.Fatalf("got %v, want a 400 naming %s", err, tc.field)
			}
		})
	}

	pub := newConcept(t, pb)
	_, err := pb.CreateDocument(ctx, woo.NewDocument{Publicatie: pub.UUID, OfficieleTitel: "Te groot", Creatiedatum: "2026-12-01",
		Bestandsnaam: "groot.pdf", Bestandsomvang: 2 << 30, AanleveringBestand: "ontvangen"})
	var p *woo.Problem
	if !errors.As(err, &p) || len(p.Fields["bestandsomvang"]) == 0 {
		t.Fatalf("a document of 2 GiB: %v, want a refusal of its bestandsomvang", err)
	}
	env.Spec.ExpectInvalidRequests(func() { _, err = pb.Publish(ctx, pub) })
	if err == nil {
		t.Fatal("a concept without publisher and category was published")
	}

	bad := env.WooConfig()
	bad.Token = "wrong"
	wrong, _ := woo.New(bad)
	if _, err := wrong.Categorie(ctx, besluitenlijsten); !isStatus(err, http.StatusUnauthorized) {
		t.Fatalf("with a wrong API key: %v, want 401", err)
	}
	foreign := &woo.Document{UUID: "x", Bestandsdelen: []woo.Bestandsdeel{{URL: "http://elders.invalid/deel", Omvang: 1}}}
	if err := pb.Upload(ctx, foreign, []byte("x")); !errors.As(err, new(*woo.ForeignURLError)) {
		t.Fatalf("a part URL outside the API root: %v, want a refusal before sending", err)
	}
	n := env.Spec.ExpectInvalidRequests(func() {
		req, _ := http.NewRequest(http.MethodGet, env.URL+"/publicatiebank/api/v2/publicaties", nil)
		req.Header.Set("Authorization", "Token "+sandboxtest.WooToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != http.StatusBadRequest {
			t.Errorf("without audit headers: %v %v, want 400", resp, err)
		}
	})
	if n != 1 {
		t.Errorf("%d requests broke the spec, want the one without audit headers", n)
	}
}

func newConcept(t *testing.T, pb *woo.Client) *woo.Publicatie {
	t.Helper()
	pub, err := pb.CreatePublicatie(context.Background(), woo.NewPublicatie{Publicatiestatus: woo.StatusConcept, OfficieleTitel: "Concept"})
	if err != nil {
		t.Fatal(err)
	}
	return pub
}

// inactiveOrganisation finds the seeded inactive organisation's uuid through the list.
func inactiveOrganisation(t *testing.T, env *sandboxtest.Env) string {
	t.Helper()
	code, body := sandboxtest.Send(t, http.MethodGet, env.URL+"/publicatiebank/api/v2/organisaties?isActief=false", "", "",
		map[string]string{"Authorization": "Token " + sandboxtest.WooToken, "Audit-User-ID": "t", "Audit-User-Representation": "T", "Audit-Remarks": "test"})
	results, _ := body["results"].([]any)
	if code != http.StatusOK || len(results) != 1 {
		t.Fatalf("inactive organisations: %d %v", code, body)
	}
	return results[0].(map[string]any)["uuid"].(string)
}

func isStatus(err error, status int) bool {
	var p *woo.Problem
	return errors.As(err, &p) && p.Status == status
}
