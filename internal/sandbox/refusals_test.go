package sandbox_test

import (
	"context"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

func TestRefusals(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		// specInvalid marks requests the specs themselves forbid (missing required fields):
		// the validator must flag them, and the sandbox must refuse them.
		specInvalid bool
		gebruik     *bool
		do          func(f *sandboxtest.Fixture) error
		field, code string
	}{
		{name: "zaak with an empty startdatum", specInvalid: true, field: "startdatum", code: "blank",
			do: func(f *sandboxtest.Fixture) error {
				z := sandboxtest.NewZaak(f.Cat)
				z.Startdatum = ""
				_, err := f.Env.Client.Zaken.CreateZaak(ctx, z)
				return err
			}},
		{name: "document with empty titel and auteur", specInvalid: true, field: "titel", code: "blank",
			do: func(f *sandboxtest.Fixture) error {
				d := sandboxtest.NewDoc(f.Cat, "Bezwaarschrift", sandboxtest.Ptr(false))
				d.Titel, d.Auteur = "", ""
				_, err := f.Env.Client.Documenten.Create(ctx, d)
				return err
			}},
		{name: "bronorganisatie failing the elfproef", field: "bronorganisatie", code: "invalid",
			do: func(f *sandboxtest.Fixture) error {
				z := sandboxtest.NewZaak(f.Cat)
				z.Bronorganisatie = "002220648"
				_, err := f.Env.Client.Zaken.CreateZaak(ctx, z)
				return err
			}},
		{name: "concept zaaktype", field: "zaaktype", code: "not-published",
			do: func(f *sandboxtest.Fixture) error {
				z := sandboxtest.NewZaak(f.Cat)
				z.ZaakType = f.Env.URL + "/catalogi/api/v1/zaaktypen/5f1c2d0e-8a43-4c1b-9d3e-0b5d7a1e2c12"
				_, err := f.Env.Client.Zaken.CreateZaak(ctx, z)
				return err
			}},
		{name: "informatieobjecttype the zaaktype does not allow", field: "nonFieldErrors", code: "missing-zaaktype-informatieobjecttype-relation",
			do: func(f *sandboxtest.Fixture) error {
				memo := sandboxtest.NewDoc(f.Cat, "Bezwaarschrift", sandboxtest.Ptr(false))
				memo.InformatieObjectType = f.Env.URL + "/catalogi/api/v1/informatieobjecttypen/5f1c2d0e-8a43-4c1b-9d3e-0b5d7a1e2c24"
				doc, err := f.Env.Client.Documenten.Create(ctx, memo)
				if err != nil {
					return err
				}
				_, err = f.Env.Client.Zaken.CreateZaakInformatieObject(ctx, zgw.ZaakInformatieObject{Zaak: f.Zaak.URL, InformatieObject: doc.URL})
				return err
			}},
		{name: "duplicate zaak-informatieobject pair", gebruik: sandboxtest.Ptr(false), field: "nonFieldErrors", code: "unique",
			do: func(f *sandboxtest.Fixture) error {
				_, err := f.Env.Client.Zaken.CreateZaakInformatieObject(ctx, zgw.ZaakInformatieObject{Zaak: f.Zaak.URL, InformatieObject: f.Doc.URL})
				return err
			}},
		{name: "duplicate document identificatie", field: "identificatie", code: "identificatie-niet-uniek",
			do: func(f *sandboxtest.Fixture) error {
				d := sandboxtest.NewDoc(f.Cat, "Bezwaarschrift", sandboxtest.Ptr(false))
				d.Identificatie = f.Doc.Identificatie
				_, err := f.Env.Client.Documenten.Create(ctx, d)
				return err
			}},
		{name: "eindstatus before a resultaat", gebruik: sandboxtest.Ptr(false), field: "nonFieldErrors", code: "resultaat-does-not-exist",
			do: func(f *sandboxtest.Fixture) error {
				_, err := f.Env.Client.Zaken.CreateStatus(ctx, zgw.Status{Zaak: f.Zaak.URL, StatusType: f.Cat.EindStatus().URL, DatumStatusGezet: sandboxtest.Now()})
				return err
			}},
		{name: "eindstatus with indicatieGebruiksrecht unset", gebruik: nil, field: "nonFieldErrors", code: "indicatiegebruiksrecht-unset",
			do: func(f *sandboxtest.Fixture) error {
				if _, err := f.Env.Client.Zaken.CreateResultaat(ctx, zgw.Resultaat{Zaak: f.Zaak.URL, ResultaatType: f.Cat.ResultaatType.URL}); err != nil {
					return err
				}
				_, err := f.Env.Client.Zaken.CreateStatus(ctx, zgw.Status{Zaak: f.Zaak.URL, StatusType: f.Cat.EindStatus().URL, DatumStatusGezet: sandboxtest.Now()})
				return err
			}},
		{name: "second resultaat", gebruik: sandboxtest.Ptr(false), field: "zaak", code: "unique",
			do: func(f *sandboxtest.Fixture) error {
				for range 2 {
					if _, err := f.Env.Client.Zaken.CreateResultaat(ctx, zgw.Resultaat{Zaak: f.Zaak.URL, ResultaatType: f.Cat.ResultaatType.URL}); err != nil {
						return err
					}
				}
				return nil
			}},
		{name: "status in the future", gebruik: sandboxtest.Ptr(false), field: "datumStatusGezet", code: "date-in-future",
			do: func(f *sandboxtest.Fixture) error {
				_, err := f.Env.Client.Zaken.CreateStatus(ctx, zgw.Status{Zaak: f.Zaak.URL, StatusType: f.Cat.FirstStatus().URL,
					DatumStatusGezet: time.Now().Add(time.Hour).UTC().Format(time.RFC3339)})
				return err
			}},
		{name: "PATCH of an unlocked document", field: "nonFieldErrors", code: "unlocked",
			do: func(f *sandboxtest.Fixture) error {
				return f.Env.Client.Documenten.PatchLocked(ctx, f.Doc.URL, "no-lock-held", map[string]any{"titel": "Nieuw"})
			}},
		{name: "PATCH with another lock", field: "nonFieldErrors", code: "incorrect-lock-id",
			do: func(f *sandboxtest.Fixture) error {
				lock, err := f.Env.Client.Documenten.Lock(ctx, f.Doc.URL)
				if err != nil {
					return err
				}
				defer f.Env.Client.Documenten.Unlock(ctx, f.Doc.URL, lock)
				return f.Env.Client.Documenten.PatchLocked(ctx, f.Doc.URL, lock+"x", map[string]any{"titel": "Nieuw"})
			}},
		{name: "unlock of an incomplete upload", field: "nonFieldErrors", code: "incomplete-upload",
			do: func(f *sandboxtest.Fixture) error {
				size := int64(10)
				d := sandboxtest.NewDoc(f.Cat, "Bezwaarschrift", sandboxtest.Ptr(false))
				d.Inhoud, d.Bestandsomvang = nil, &size
				created, err := f.Env.Client.Documenten.Create(ctx, d)
				if err != nil {
					return err
				}
				return f.Env.Client.Documenten.Unlock(ctx, created.URL, created.Lock)
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := sandboxtest.NewFixture(t, tc.gebruik)
			var err error
			flagged := f.Env.Spec.ExpectInvalidRequests(func() { err = tc.do(f) })
			sandboxtest.WantRefusal(t, err, tc.field, tc.code)
			if tc.specInvalid && flagged == 0 {
				t.Error("the spec validator did not flag a request the specs forbid")
			}
			if !tc.specInvalid && flagged > 0 {
				t.Errorf("%d requests broke the specs in a case that should only break the sandbox's rules", flagged)
			}
		})
	}
}
