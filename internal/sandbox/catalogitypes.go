package sandbox

import (
	"encoding/json"
	"maps"
)

// typeRules describes one kind of catalogue resource for the generic write handlers: what a
// create must carry, what it gets when it leaves a field out, what owns it and which of its
// fields are answered but never written.
type typeRules struct {
	collection string
	required   []string
	defaults   func() doc
	// owner is the field naming the resource this one belongs to ("catalogus" or "zaaktype").
	owner string
	// ident is the field the store indexes for lookups (identificatie, omschrijving, domein).
	ident string
	// publishable types carry their own concept flag; the others follow their zaaktype.
	publishable bool
	// readOnly fields are derived (catalogiview.go) or set by the sandbox: a request's values are
	// ignored, as Open Zaak ignores read-only fields.
	readOnly []string
}

var geldigheid = doc{"eindeGeldigheid": nil, "beginObject": nil, "eindeObject": nil}

// with is a defaults function: the geldigheid fields and the given ones, a deep copy for every
// call (requests are changed in place).
func with(fields doc) func() doc {
	return func() doc {
		d := maps.Clone(geldigheid)
		maps.Copy(d, fields)
		return deepCopy(d)
	}
}

func deepCopy(d doc) doc {
	b, _ := json.Marshal(d)
	var out doc
	_ = json.Unmarshal(b, &out)
	return out
}

// catalogRules lists the writable kinds of the Catalogi API.
var catalogRules = map[string]typeRules{
	"catalogus": {
		collection: "catalogussen", owner: "", ident: "domein",
		required: []string{"domein", "rsin", "contactpersoonBeheerNaam"},
		defaults: func() doc {
			return doc{"contactpersoonBeheerTelefoonnummer": "", "contactpersoonBeheerEmailadres": "", "naam": "", "versie": "", "begindatumVersie": nil}
		},
		readOnly: []string{"zaaktypen", "besluittypen", "informatieobjecttypen"},
	},
	"zaaktype": {
		collection: "zaaktypen", owner: "catalogus", ident: "identificatie", publishable: true,
		required: []string{"identificatie", "omschrijving", "vertrouwelijkheidaanduiding", "doel", "aanleiding",
			"indicatieInternOfExtern", "handelingInitiator", "onderwerp", "handelingBehandelaar", "doorlooptijd",
			"opschortingEnAanhoudingMogelijk", "verlengingMogelijk", "publicatieIndicatie", "referentieproces",
			"verantwoordelijke", "catalogus", "beginGeldigheid", "versiedatum"},
		defaults: with(doc{"omschrijvingGeneriek": "", "toelichting": "", "servicenorm": nil, "verlengingstermijn": nil,
			"trefwoorden": []any{}, "publicatietekst": "", "verantwoordingsrelatie": []any{}, "productenOfDiensten": []any{},
			"selectielijstProcestype": "", "broncatalogus": nil, "bronzaaktype": nil, "besluittypen": []any{},
			"deelzaaktypen": []any{}, "gerelateerdeZaaktypen": []any{}}),
		readOnly: []string{"statustypen", "resultaattypen", "roltypen", "eigenschappen", "informatieobjecttypen", "zaakobjecttypen"},
	},
	"statustype": {
		collection: "statustypen", owner: "zaaktype",
		required: []string{"omschrijving", "zaaktype", "volgnummer"},
		defaults: with(doc{"omschrijvingGeneriek": "", "statustekst": "", "informeren": false, "doorlooptijd": nil,
			"toelichting": "", "checklistitemStatustype": []any{}, "eigenschappen": []any{}, "beginGeldigheid": nil}),
		readOnly: []string{"catalogus", "zaaktypeIdentificatie", "isEindstatus", "zaakobjecttype"},
	},
	"resultaattype": {
		collection: "resultaattypen", owner: "zaaktype",
		required: []string{"zaaktype", "omschrijving", "resultaattypeomschrijving", "selectielijstklasse"},
		defaults: with(doc{"toelichting": "", "archiefnominatie": nil, "archiefactietermijn": nil,
			"brondatumArchiefprocedure": nil, "procesobjectaard": "", "indicatieSpecifiek": nil, "procestermijn": nil,
			"besluittypen": []any{}, "informatieobjecttypen": []any{}, "beginGeldigheid": nil}),
		readOnly: []string{"catalogus", "zaaktypeIdentificatie", "omschrijvingGeneriek", "besluittypeOmschrijving",
			"informatieobjecttypeOmschrijving", "zaakobjecttypen"},
	},
	"roltype": {
		collection: "roltypen", owner: "zaaktype",
		required: []string{"zaaktype", "omschrijving", "omschrijvingGeneriek"},
		defaults: with(doc{"beginGeldigheid": nil}),
		readOnly: []string{"catalogus", "zaaktypeIdentificatie"},
	},
	"eigenschap": {
		collection: "eigenschappen", owner: "zaaktype",
		required: []string{"naam", "definitie", "zaaktype", "specificatie"},
		defaults: with(doc{"toelichting": "", "statustype": nil, "beginGeldigheid": nil}),
		readOnly: []string{"catalogus", "zaaktypeIdentificatie"},
	},
	"informatieobjecttype": {
		collection: "informatieobjecttypen", owner: "catalogus", ident: "omschrijving", publishable: true,
		// informatieobjectcategorie is required by Catalogi 1.3 but left out by VNG's own
		// suite, written for 1.0: the sandbox accepts both and answers "" for it.
		required: []string{"catalogus", "omschrijving", "vertrouwelijkheidaanduiding", "beginGeldigheid"},
		defaults: with(doc{"informatieobjectcategorie": "", "trefwoord": []any{},
			"omschrijvingGeneriek": doc{"informatieobjecttypeOmschrijvingGeneriek": "", "definitieInformatieobjecttypeOmschrijvingGeneriek": "",
				"herkomstInformatieobjecttypeOmschrijvingGeneriek": "", "hierarchieInformatieobjecttypeOmschrijvingGeneriek": "",
				"opmerkingInformatieobjecttypeOmschrijvingGeneriek": ""}}),
		readOnly: []string{"zaaktypen", "besluittypen"},
	},
	"besluittype": {
		collection: "besluittypen", owner: "catalogus", ident: "omschrijving", publishable: true,
		required: []string{"catalogus", "publicatieIndicatie", "beginGeldigheid"},
		defaults: with(doc{"omschrijving": "", "omschrijvingGeneriek": "", "besluitcategorie": "", "reactietermijn": nil,
			"publicatietekst": "", "publicatietermijn": nil, "toelichting": "", "informatieobjecttypen": []any{}}),
		// zaaktypen is read-only in Catalogi 1.3 (the relation is written on the zaaktype); a
		// request that still sends it, as 1.0 clients do, sets the relation from this side.
		readOnly: []string{"resultaattypen", "resultaattypenOmschrijving", "vastgelegdIn"},
	},
	"ziot": {
		collection: "zaaktype-informatieobjecttypen", owner: "zaaktype",
		required: []string{"zaaktype", "informatieobjecttype", "volgnummer", "richting"},
		defaults: func() doc { return doc{"statustype": nil} },
		readOnly: []string{"catalogus", "zaaktypeIdentificatie"},
	},
}

// zaaktypeChildren are the kinds that live and die with their zaaktype.
var zaaktypeChildren = []string{"statustype", "resultaattype", "roltype", "eigenschap", "ziot"}

var roltypeOmschrijvingenGeneriek = []string{"adviseur", "behandelaar", "belanghebbende", "beslisser", "initiator",
	"klantcontacter", "zaakcoordinator", "mede_initiator"}
