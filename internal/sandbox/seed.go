package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
)

// The seeded catalogue: fixed UUIDs, so its URLs are the same on every machine and restart.
const (
	catalogiRoot = "/catalogi/api/v1/"

	// Catalogue defaults for the objection job (what `connector serve` configures itself with
	// when it starts the sandbox).
	CatalogusDomein           = "MBZ"
	ZaakTypeIdentificatie     = "BEZWAAR-META-AI"
	IOTypeLetter              = "Bezwaarschrift"
	IOTypeConfirmation        = "Bevestiging Meta"
	IOTypeBesluit             = "Besluitdocument"
	IOTypeEvidence            = "Bewijs indiening"
	StatusTypeFiled           = "Bezwaar ingediend bij Meta"
	ResultaatTypeNotConfirmed = "Bezwaar niet bevestigd"
	ResultaatTypeHonoured     = "Bezwaar gehonoreerd"
	// ResultaatTypeLapsed derives the archive dates from the besluit's vervaldatum.
	ResultaatTypeLapsed = "Bezwaar vervallen"
	BesluitTypeCollege  = "Collegebesluit bezwaar AI-training"

	catalogusUUID    = "5f1c2d0e-8a43-4c1b-9d3e-0b5d7a1e2c01"
	zaakTypeOldUUID  = "5f1c2d0e-8a43-4c1b-9d3e-0b5d7a1e2c10"
	zaakTypeUUID     = "5f1c2d0e-8a43-4c1b-9d3e-0b5d7a1e2c11"
	zaakTypeDraftUUI = "5f1c2d0e-8a43-4c1b-9d3e-0b5d7a1e2c12"
	iotLetterUUID    = "5f1c2d0e-8a43-4c1b-9d3e-0b5d7a1e2c21"
	iotConfirmUUID   = "5f1c2d0e-8a43-4c1b-9d3e-0b5d7a1e2c22"
	iotBesluitUUID   = "5f1c2d0e-8a43-4c1b-9d3e-0b5d7a1e2c23"
	iotMemoUUID      = "5f1c2d0e-8a43-4c1b-9d3e-0b5d7a1e2c24"
	iotEvidenceUUID  = "5f1c2d0e-8a43-4c1b-9d3e-0b5d7a1e2c25"
	besluitTypeUUID  = "5f1c2d0e-8a43-4c1b-9d3e-0b5d7a1e2c31"
	roltypeUUID      = "5f1c2d0e-8a43-4c1b-9d3e-0b5d7a1e2c41"
	seedPrefix       = "5f1c2d0e-8a43-4c1b-9d3e-0b5d7a1e" // + four hex digits per statustype/resultaattype
)

func catPath(collection, uuid string) string { return catalogiRoot + collection + "/" + uuid }

// seedDoc is one seeded resource.
type seedDoc struct {
	kind, uuid, ref, ident string
	body                   doc
}

// seed fills the sandbox with its catalogue, and brings the catalogue of a sandbox made by an
// earlier release up to date: missing seeded resources are added, changed ones rewritten, and
// those that are as seeded are left alone (no writes at every start).
func (s *Server) seed(ctx context.Context) error {
	for _, d := range s.catalogue() {
		d.body["url"] = catPath(collectionOf[d.kind], d.uuid)
		// Catalogue lists are "unspecified response bodies" in the spec, whose values may not
		// be null: unset optional fields are left out instead.
		for k, v := range d.body {
			if v == nil {
				delete(d.body, k)
			}
		}
		stored, err := s.db.get(ctx, d.kind, d.uuid)
		switch {
		case err == nil && !sameJSON(stored, d.body):
			err = s.db.update(ctx, d.uuid, d.body)
		case errors.Is(err, errNotFound):
			err = s.db.insert(ctx, d.kind, d.uuid, d.ref, d.ident, d.body)
		}
		if err != nil {
			return fmt.Errorf("sandbox: seeding %s: %w", d.kind, err)
		}
	}
	return nil
}

// collectionOf maps a catalogue kind to its collection path.
var collectionOf = map[string]string{
	"catalogus": "catalogussen", "zaaktype": "zaaktypen", "statustype": "statustypen",
	"resultaattype": "resultaattypen", "informatieobjecttype": "informatieobjecttypen",
	"besluittype": "besluittypen", "roltype": "roltypen",
}

func (s *Server) catalogue() []seedDoc {
	cat := catPath("catalogussen", catalogusUUID)
	zt := catPath("zaaktypen", zaakTypeUUID)
	ztOld := catPath("zaaktypen", zaakTypeOldUUID)
	ztDraft := catPath("zaaktypen", zaakTypeDraftUUI)
	iotLetter := catPath("informatieobjecttypen", iotLetterUUID)
	iotConfirm := catPath("informatieobjecttypen", iotConfirmUUID)
	iotBesluit := catPath("informatieobjecttypen", iotBesluitUUID)
	iotMemo := catPath("informatieobjecttypen", iotMemoUUID)
	iotEvidence := catPath("informatieobjecttypen", iotEvidenceUUID)
	bt := catPath("besluittypen", besluitTypeUUID)
	allowedIOTs := []any{iotLetter, iotConfirm, iotBesluit, iotEvidence}

	var docs []seedDoc
	docs = append(docs, seedDoc{"catalogus", catalogusUUID, "", CatalogusDomein, doc{
		"domein": CatalogusDomein, "rsin": s.cfg.RSIN, "contactpersoonBeheerNaam": "Sandbox beheer",
		"contactpersoonBeheerTelefoonnummer": "", "contactpersoonBeheerEmailadres": "",
		"naam": "Sandbox catalogus Meta-bezwaar", "versie": "1", "begindatumVersie": "2025-01-01",
		"zaaktypen": []any{ztOld, zt, ztDraft}, "besluittypen": []any{bt},
		"informatieobjecttypen": []any{iotLetter, iotConfirm, iotBesluit, iotMemo, iotEvidence},
	}})

	// Three versions of one zaaktype: an expired one, the current one and an unpublished draft,
	// so that resolution by date and the refusal of concepts are both exercised.
	for vi, v := range []struct {
		uuid, begin string
		end         any
		concept     bool
	}{
		{zaakTypeOldUUID, "2024-01-01", "2024-12-31", false},
		{zaakTypeUUID, "2025-01-01", nil, false},
		{zaakTypeDraftUUI, "2027-01-01", nil, true},
	} {
		self := catPath("zaaktypen", v.uuid)
		stUUID := func(n int) string { return fmt.Sprintf("%s5%d%02d", seedPrefix, vi, n) }
		rtUUID := func(n int) string { return fmt.Sprintf("%s6%d%02d", seedPrefix, vi, n) }
		st := func(n int) string { return catPath("statustypen", stUUID(n)) }
		rt := func(n int) string { return catPath("resultaattypen", rtUUID(n)) }
		docs = append(docs, seedDoc{"zaaktype", v.uuid, cat, ZaakTypeIdentificatie, doc{
			"identificatie": ZaakTypeIdentificatie, "omschrijving": "Bezwaar tegen AI-training door Meta",
			"omschrijvingGeneriek": "", "vertrouwelijkheidaanduiding": "openbaar",
			"doel":        "Het bezwaar van de gemeente tegen het gebruik van haar openbare content voor AI-training vastleggen en afhandelen.",
			"aanleiding":  "Collegebesluit om bezwaar te maken bij Meta.",
			"toelichting": "", "indicatieInternOfExtern": "intern",
			"handelingInitiator": "indienen", "onderwerp": "Bezwaar AI-training", "handelingBehandelaar": "behandelen",
			"doorlooptijd": "P30D", "servicenorm": nil, "opschortingEnAanhoudingMogelijk": false,
			"verlengingMogelijk": false, "verlengingstermijn": nil, "trefwoorden": []any{"meta", "ai", "bezwaar"},
			"publicatieIndicatie": true, "publicatietekst": "", "verantwoordingsrelatie": []any{},
			"productenOfDiensten": []any{}, "selectielijstProcestype": "",
			"referentieproces": doc{"naam": "Bezwaar maken", "link": ""}, "verantwoordelijke": "Gemeentesecretaris",
			"zaakobjecttypen": []any{}, "broncatalogus": nil, "bronzaaktype": nil, "catalogus": cat,
			"statustypen": []any{st(1), st(2), st(3)}, "resultaattypen": []any{rt(1), rt(2), rt(3)},
			"eigenschappen": []any{}, "informatieobjecttypen": allowedIOTs,
			"roltypen": []any{catPath("roltypen", roltypeUUID)}, "besluittypen": []any{bt},
			"deelzaaktypen": []any{}, "gerelateerdeZaaktypen": []any{},
			"beginGeldigheid": v.begin, "eindeGeldigheid": v.end, "beginObject": v.begin, "eindeObject": nil,
			"versiedatum": v.begin, "concept": v.concept,
		}})
		for i, name := range []string{"Geregistreerd", StatusTypeFiled, "Afgehandeld"} {
			n := i + 1
			docs = append(docs, seedDoc{"statustype", stUUID(n), self, "", doc{
				"omschrijving": name, "omschrijvingGeneriek": "", "statustekst": "", "zaaktype": self,
				"catalogus": cat, "zaaktypeIdentificatie": ZaakTypeIdentificatie, "volgnummer": n,
				"isEindstatus": n == 3, "informeren": false, "doorlooptijd": nil, "toelichting": "",
				"checklistitemStatustype": []any{}, "eigenschappen": []any{}, "zaakobjecttype": "",
				"beginGeldigheid": v.begin, "eindeGeldigheid": v.end, "beginObject": v.begin, "eindeObject": nil,
			}})
		}
		// The third resultaattype derives its archiefactiedatum from the vervaldatum of the
		// zaak's besluit: a zaak without one cannot close with it (a failed closing as in the field).
		for i, rt := range []struct{ name, nominatie, termijn, afleidingswijze string }{
			{ResultaatTypeHonoured, "blijvend_bewaren", "P10Y", "afgehandeld"},
			{ResultaatTypeNotConfirmed, "blijvend_bewaren", "P10Y", "afgehandeld"},
			{ResultaatTypeLapsed, "vernietigen", "P5Y", "vervaldatum_besluit"},
		} {
			n := i + 1
			docs = append(docs, seedDoc{"resultaattype", rtUUID(n), self, "", doc{
				"zaaktype": self, "zaaktypeIdentificatie": ZaakTypeIdentificatie, "omschrijving": rt.name,
				"resultaattypeomschrijving": "https://selectielijst.openzaak.nl/api/v1/resultaattypeomschrijvingen/3a0a9c3c-0847-4e7e-b7d9-765b9434094c",
				"omschrijvingGeneriek":      "Afgehandeld",
				"selectielijstklasse":       "https://selectielijst.openzaak.nl/api/v1/resultaten/8af64c99-a168-40dd-8afd-9fbe0597b6dc",
				"toelichting":               "", "archiefnominatie": rt.nominatie, "archiefactietermijn": rt.termijn,
				"brondatumArchiefprocedure": doc{"afleidingswijze": rt.afleidingswijze, "datumkenmerk": "", "einddatumBekend": false,
					"objecttype": "", "registratie": "", "procestermijn": nil},
				"procesobjectaard": "", "catalogus": cat, "beginGeldigheid": v.begin, "eindeGeldigheid": v.end,
				"beginObject": v.begin, "eindeObject": nil, "indicatieSpecifiek": nil, "procestermijn": nil,
				"besluittypen": []any{}, "besluittypeOmschrijving": []any{}, "informatieobjecttypen": []any{},
				"informatieobjecttypeOmschrijving": []any{}, "zaakobjecttypen": []any{},
			}})
		}
	}

	for _, t := range []struct{ uuid, omschrijving, vertrouwelijkheid string }{
		{iotLetterUUID, IOTypeLetter, "openbaar"},
		{iotConfirmUUID, IOTypeConfirmation, "openbaar"},
		{iotBesluitUUID, IOTypeBesluit, "openbaar"},
		{iotEvidenceUUID, IOTypeEvidence, "openbaar"},
		{iotMemoUUID, "Intern memo", "intern"}, // not allowed by the zaaktype
	} {
		zaaktypen := []any{catPath("zaaktypen", zaakTypeOldUUID), zt, ztDraft}
		if t.uuid == iotMemoUUID {
			zaaktypen = []any{}
		}
		docs = append(docs, seedDoc{"informatieobjecttype", t.uuid, cat, t.omschrijving, doc{
			"catalogus": cat, "omschrijving": t.omschrijving, "vertrouwelijkheidaanduiding": t.vertrouwelijkheid,
			"beginGeldigheid": "2024-01-01", "eindeGeldigheid": nil, "beginObject": "2024-01-01", "eindeObject": nil,
			"concept": false, "zaaktypen": zaaktypen, "besluittypen": []any{bt},
			"informatieobjectcategorie": "Correspondentie", "trefwoord": []any{},
			"omschrijvingGeneriek": doc{"informatieobjecttypeOmschrijvingGeneriek": "", "definitieInformatieobjecttypeOmschrijvingGeneriek": "",
				"herkomstInformatieobjecttypeOmschrijvingGeneriek": "", "hierarchieInformatieobjecttypeOmschrijvingGeneriek": "",
				"opmerkingInformatieobjecttypeOmschrijvingGeneriek": ""},
		}})
	}

	docs = append(docs, seedDoc{"besluittype", besluitTypeUUID, cat, BesluitTypeCollege, doc{
		"catalogus": cat, "zaaktypen": []any{catPath("zaaktypen", zaakTypeOldUUID), zt, ztDraft},
		"omschrijving": BesluitTypeCollege, "omschrijvingGeneriek": "", "besluitcategorie": "Collegebesluit",
		"reactietermijn": nil, "publicatieIndicatie": true, "publicatietekst": "", "publicatietermijn": nil,
		"toelichting": "", "informatieobjecttypen": []any{iotBesluit}, "beginGeldigheid": "2024-01-01",
		"eindeGeldigheid": nil, "beginObject": "2024-01-01", "eindeObject": nil, "concept": false,
		"resultaattypen": []any{}, "resultaattypenOmschrijving": []any{}, "vastgelegdIn": []any{},
	}})

	docs = append(docs, seedDoc{"roltype", roltypeUUID, zt, "", doc{
		"zaaktype": zt, "zaaktypeIdentificatie": ZaakTypeIdentificatie, "omschrijving": "Behandelaar",
		"omschrijvingGeneriek": "behandelaar", "catalogus": cat, "beginGeldigheid": "2025-01-01",
		"eindeGeldigheid": nil, "beginObject": "2025-01-01", "eindeObject": nil,
	}})
	return docs
}

// sameJSON reports whether two documents read the same as JSON (numbers compare as written).
func sameJSON(a, b doc) bool {
	x, errA := json.Marshal(a)
	y, errB := json.Marshal(b)
	return errA == nil && errB == nil && bytes.Equal(x, y)
}
