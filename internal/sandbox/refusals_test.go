package sandbox_test

import (
	"context"
	"encoding/base64"
	"errors"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// fixture is a zaak with one linked document, ready for the refusal cases.
type fixture struct {
	env  *sandboxtest.Env
	cat  *zgw.Catalogue
	zaak *zgw.Zaak
	doc  *zgw.InformatieObject
}

func newFixture(t *testing.T, gebruiksrecht *bool) *fixture {
	t.Helper()
	env := sandboxtest.Start(t)
	ctx := context.Background()
	cat, err := env.Client.Catalogi.Resolve(ctx, sandboxtest.Spec(), "2025-05-13")
	if err != nil {
		t.Fatal(err)
	}
	zaak, err := env.Client.Zaken.CreateZaak(ctx, newZaak(cat))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := env.Client.Documenten.Create(ctx, newDoc(cat, "Bezwaarschrift", gebruiksrecht))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Client.Zaken.CreateZaakInformatieObject(ctx, zgw.ZaakInformatieObject{Zaak: zaak.URL, InformatieObject: doc.URL}); err != nil {
		t.Fatal(err)
	}
	return &fixture{env: env, cat: cat, zaak: zaak, doc: doc}
}

func newZaak(cat *zgw.Catalogue) zgw.Zaak {
	return zgw.Zaak{Bronorganisatie: sandboxtest.RSIN, VerantwoordelijkeOrganisatie: sandboxtest.RSIN,
		ZaakType: cat.ZaakType.URL, Startdatum: "2025-05-13"}
}

// seededZaak resolves the seeded catalogue and creates a zaak of its zaaktype.
func seededZaak(t *testing.T, c *zgw.Client) (*zgw.Catalogue, *zgw.Zaak) {
	t.Helper()
	ctx := context.Background()
	cat, err := c.Catalogi.Resolve(ctx, sandboxtest.Spec(), "2025-05-13")
	if err != nil {
		t.Fatal(err)
	}
	zaak, err := c.Zaken.CreateZaak(ctx, newZaak(cat))
	if err != nil {
		t.Fatal(err)
	}
	return cat, zaak
}

func newDoc(cat *zgw.Catalogue, iot string, gebruiksrecht *bool) zgw.InformatieObject {
	return zgw.InformatieObject{Bronorganisatie: sandboxtest.RSIN, CreatieDatum: "2025-05-13", Titel: "Brief",
		Auteur: "Gemeente", Taal: "dut", Inhoud: ptr(base64.StdEncoding.EncodeToString([]byte("inhoud"))),
		IndicatieGebruiksrecht: gebruiksrecht, InformatieObjectType: cat.InformatieObjectTypen[iot].URL}
}

func now() string { return time.Now().UTC().Add(-time.Second).Format(time.RFC3339) }

// wantRefusal checks that err is a 400 problem naming the field with the code.
func wantRefusal(t *testing.T, err error, name, code string) {
	t.Helper()
	var p *zgw.Problem
	if !errors.As(err, &p) {
		t.Fatalf("want a 400 problem with %s/%s, got %v", name, code, err)
	}
	if p.Status != 400 {
		t.Fatalf("status %d, want 400 (%v)", p.Status, err)
	}
	ip, ok := p.Param(name)
	if !ok || ip.Code != code {
		t.Fatalf("invalidParams %+v lack %s with code %s", p.InvalidParams, name, code)
	}
}

func TestRefusals(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		// specInvalid marks requests the specs themselves forbid (missing required fields):
		// the validator must flag them, and the sandbox must refuse them.
		specInvalid bool
		gebruik     *bool
		do          func(f *fixture) error
		field, code string
	}{
		{name: "zaak with an empty startdatum", specInvalid: true, field: "startdatum", code: "blank",
			do: func(f *fixture) error {
				z := newZaak(f.cat)
				z.Startdatum = ""
				_, err := f.env.Client.Zaken.CreateZaak(ctx, z)
				return err
			}},
		{name: "document with empty titel and auteur", specInvalid: true, field: "titel", code: "blank",
			do: func(f *fixture) error {
				d := newDoc(f.cat, "Bezwaarschrift", ptr(false))
				d.Titel, d.Auteur = "", ""
				_, err := f.env.Client.Documenten.Create(ctx, d)
				return err
			}},
		{name: "bronorganisatie failing the elfproef", field: "bronorganisatie", code: "invalid",
			do: func(f *fixture) error {
				z := newZaak(f.cat)
				z.Bronorganisatie = "002220648"
				_, err := f.env.Client.Zaken.CreateZaak(ctx, z)
				return err
			}},
		{name: "concept zaaktype", field: "zaaktype", code: "not-published",
			do: func(f *fixture) error {
				z := newZaak(f.cat)
				z.ZaakType = f.env.URL + "/catalogi/api/v1/zaaktypen/5f1c2d0e-8a43-4c1b-9d3e-0b5d7a1e2c12"
				_, err := f.env.Client.Zaken.CreateZaak(ctx, z)
				return err
			}},
		{name: "informatieobjecttype the zaaktype does not allow", field: "nonFieldErrors", code: "missing-zaaktype-informatieobjecttype-relation",
			do: func(f *fixture) error {
				memo := newDoc(f.cat, "Bezwaarschrift", ptr(false))
				memo.InformatieObjectType = f.env.URL + "/catalogi/api/v1/informatieobjecttypen/5f1c2d0e-8a43-4c1b-9d3e-0b5d7a1e2c24"
				doc, err := f.env.Client.Documenten.Create(ctx, memo)
				if err != nil {
					return err
				}
				_, err = f.env.Client.Zaken.CreateZaakInformatieObject(ctx, zgw.ZaakInformatieObject{Zaak: f.zaak.URL, InformatieObject: doc.URL})
				return err
			}},
		{name: "duplicate zaak-informatieobject pair", gebruik: ptr(false), field: "nonFieldErrors", code: "unique",
			do: func(f *fixture) error {
				_, err := f.env.Client.Zaken.CreateZaakInformatieObject(ctx, zgw.ZaakInformatieObject{Zaak: f.zaak.URL, InformatieObject: f.doc.URL})
				return err
			}},
		{name: "duplicate document identificatie", field: "identificatie", code: "identificatie-niet-uniek",
			do: func(f *fixture) error {
				d := newDoc(f.cat, "Bezwaarschrift", ptr(false))
				d.Identificatie = f.doc.Identificatie
				_, err := f.env.Client.Documenten.Create(ctx, d)
				return err
			}},
		{name: "eindstatus before a resultaat", gebruik: ptr(false), field: "nonFieldErrors", code: "resultaat-does-not-exist",
			do: func(f *fixture) error {
				_, err := f.env.Client.Zaken.CreateStatus(ctx, zgw.Status{Zaak: f.zaak.URL, StatusType: f.cat.EindStatus().URL, DatumStatusGezet: now()})
				return err
			}},
		{name: "eindstatus with indicatieGebruiksrecht unset", gebruik: nil, field: "nonFieldErrors", code: "indicatiegebruiksrecht-unset",
			do: func(f *fixture) error {
				if _, err := f.env.Client.Zaken.CreateResultaat(ctx, zgw.Resultaat{Zaak: f.zaak.URL, ResultaatType: f.cat.ResultaatType.URL}); err != nil {
					return err
				}
				_, err := f.env.Client.Zaken.CreateStatus(ctx, zgw.Status{Zaak: f.zaak.URL, StatusType: f.cat.EindStatus().URL, DatumStatusGezet: now()})
				return err
			}},
		{name: "second resultaat", gebruik: ptr(false), field: "zaak", code: "unique",
			do: func(f *fixture) error {
				for range 2 {
					if _, err := f.env.Client.Zaken.CreateResultaat(ctx, zgw.Resultaat{Zaak: f.zaak.URL, ResultaatType: f.cat.ResultaatType.URL}); err != nil {
						return err
					}
				}
				return nil
			}},
		{name: "status in the future", gebruik: ptr(false), field: "datumStatusGezet", code: "date-in-future",
			do: func(f *fixture) error {
				_, err := f.env.Client.Zaken.CreateStatus(ctx, zgw.Status{Zaak: f.zaak.URL, StatusType: f.cat.FirstStatus().URL,
					DatumStatusGezet: time.Now().Add(time.Hour).UTC().Format(time.RFC3339)})
				return err
			}},
		{name: "PATCH of an unlocked document", field: "nonFieldErrors", code: "unlocked",
			do: func(f *fixture) error {
				return f.env.Client.Documenten.PatchLocked(ctx, f.doc.URL, "no-lock-held", map[string]any{"titel": "Nieuw"})
			}},
		{name: "PATCH with another lock", field: "nonFieldErrors", code: "incorrect-lock-id",
			do: func(f *fixture) error {
				lock, err := f.env.Client.Documenten.Lock(ctx, f.doc.URL)
				if err != nil {
					return err
				}
				defer f.env.Client.Documenten.Unlock(ctx, f.doc.URL, lock)
				return f.env.Client.Documenten.PatchLocked(ctx, f.doc.URL, lock+"x", map[string]any{"titel": "Nieuw"})
			}},
		{name: "unlock of an incomplete upload", field: "nonFieldErrors", code: "incomplete-upload",
			do: func(f *fixture) error {
				size := int64(10)
				d := newDoc(f.cat, "Bezwaarschrift", ptr(false))
				d.Inhoud, d.Bestandsomvang = nil, &size
				created, err := f.env.Client.Documenten.Create(ctx, d)
				if err != nil {
					return err
				}
				return f.env.Client.Documenten.Unlock(ctx, created.URL, created.Lock)
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, tc.gebruik)
			var err error
			flagged := f.env.Spec.ExpectInvalidRequests(func() { err = tc.do(f) })
			wantRefusal(t, err, tc.field, tc.code)
			if tc.specInvalid && flagged == 0 {
				t.Error("the spec validator did not flag a request the specs forbid")
			}
			if !tc.specInvalid && flagged > 0 {
				t.Errorf("%d requests broke the specs in a case that should only break the sandbox's rules", flagged)
			}
		})
	}
}
