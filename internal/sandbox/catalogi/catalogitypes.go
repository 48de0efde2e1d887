package catalogi

import (
	"encoding/json"
	"maps"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/core"
)

// typeRules describes one kind of catalogue resource for the generic write handlers: what a
// create must carry, what it gets when it leaves a field out, what owns it and which of its
// fields are answered but never written.
type typeRules struct {
	Collection string
	required   []string
	Defaults   func() core.Doc
	// Owner is the field naming the resource this one belongs to ("catalogus" or "zaaktype").
	Owner string
	// Ident is the field the store indexes for lookups (identificatie, omschrijving, domein).
	Ident string
	// Publishable types carry their own concept flag; the others follow their zaaktype.
	Publishable bool
	// readOnly fields are derived (catalogiview.go) or set by the sandbox: a request's values are
	// ignored, as Open Zaak ignores read-only fields.
	readOnly []string
}

var geldigheid = core.Doc{"eindeGeldigheid": nil, "beginObject": nil, "eindeObject": nil}

// with is a defaults function: the geldigheid fields and the given ones, a deep copy for every
// call (requests are changed in place).
func with(fields core.Doc) func() core.Doc {
	return func() core.Doc {
		d := maps.Clone(geldigheid)
		maps.Copy(d, fields)
		return DeepCopy(d)
	}
}

func DeepCopy(d core.Doc) core.Doc {
	b, _ := json.Marshal(d)
	var out core.Doc
	_ = json.Unmarshal(b, &out)
	return out
}

// CatalogRules lists the writable kinds of the Catalogi API.
var CatalogRules = map[string]typeRules{
	"catalogus": {
		Collection: "catalogussen", Owner: "", Ident: "domein",
		required: []string{"domein", "rsin", "contactpersoonBeheerNaam"},
		Defaults: func() core.Doc {
			return core.Doc{"contactpersoonBeheerTelefoonnummer": "", "contactpersoonBeheerEmailadres": "", "naam": "", "versie": "", "begindatumVersie": nil}
		},
		readOnly: []string{"zaaktypen", "besluittypen", "informatieobjecttypen"},
	},
	"zaaktype": {
		Collection: "zaaktypen", Owner: "catalogus", Ident: "identificatie", Publishable: true,
		required: []string{"identificatie", "omschrijving", "vertrouwelijkheidaanduiding", "doel", "aanleiding",
			"indicatieInternOfExtern", "handelingInitiator", "onderwerp", "handelingBehandelaar", "doorlooptijd",
			"opschortingEnAanhoudingMogelijk", "verlengingMogelijk", "publicatieIndicatie", "referentieproces",
			"verantwoordelijke", "catalogus", "beginGeldigheid", "versiedatum"},
		Defaults: with(core.Doc{"omschrijvingGeneriek": "", "toelichting": "", "servicenorm": nil, "verlengingstermijn": nil,
			"trefwoorden": []any{}, "publicatietekst": "", "verantwoordingsrelatie": []any{}, "productenOfDiensten": []any{},
			"selectielijstProcestype": "",
			// Open Zaak answers a zaaktype not derived from another with these empty objects.
			"broncatalogus": core.Doc{"url": "", "domein": "", "rsin": ""}, "bronzaaktype": core.Doc{"url": "", "identificatie": "", "omschrijving": ""}, "besluittypen": []any{},
			"deelzaaktypen": []any{}, "gerelateerdeZaaktypen": []any{}}),
		readOnly: []string{"statustypen", "resultaattypen", "roltypen", "eigenschappen", "informatieobjecttypen", "zaakobjecttypen"},
	},
	"statustype": {
		Collection: "statustypen", Owner: "zaaktype",
		required: []string{"omschrijving", "zaaktype", "volgnummer"},
		Defaults: with(core.Doc{"omschrijvingGeneriek": "", "statustekst": "", "informeren": false, "doorlooptijd": nil,
			"toelichting": "", "checklistitemStatustype": []any{}, "eigenschappen": []any{}, "beginGeldigheid": nil}),
		readOnly: []string{"catalogus", "zaaktypeIdentificatie", "isEindstatus", "zaakobjecttype", "zaakobjecttypen"},
	},
	"resultaattype": {
		Collection: "resultaattypen", Owner: "zaaktype",
		required: []string{"zaaktype", "omschrijving", "resultaattypeomschrijving", "selectielijstklasse"},
		Defaults: with(core.Doc{"toelichting": "", "archiefnominatie": nil, "archiefactietermijn": nil,
			"brondatumArchiefprocedure": nil, "procesobjectaard": "", "indicatieSpecifiek": nil, "procestermijn": nil,
			"besluittypen": []any{}, "informatieobjecttypen": []any{}, "beginGeldigheid": nil}),
		readOnly: []string{"catalogus", "zaaktypeIdentificatie", "omschrijvingGeneriek", "besluittypeOmschrijving",
			"informatieobjecttypeOmschrijving", "zaakobjecttypen"},
	},
	"roltype": {
		Collection: "roltypen", Owner: "zaaktype",
		required: []string{"zaaktype", "omschrijving", "omschrijvingGeneriek"},
		Defaults: with(core.Doc{"beginGeldigheid": nil}),
		readOnly: []string{"catalogus", "zaaktypeIdentificatie"},
	},
	"eigenschap": {
		Collection: "eigenschappen", Owner: "zaaktype",
		required: []string{"naam", "definitie", "zaaktype", "specificatie"},
		Defaults: with(core.Doc{"toelichting": "", "statustype": nil, "beginGeldigheid": nil}),
		readOnly: []string{"catalogus", "zaaktypeIdentificatie"},
	},
	"informatieobjecttype": {
		Collection: "informatieobjecttypen", Owner: "catalogus", Ident: "omschrijving", Publishable: true,
		// informatieobjectcategorie is required by Catalogi 1.3 but left out by VNG's own
		// suite, written for 1.0: the sandbox accepts both and answers "" for it.
		required: []string{"catalogus", "omschrijving", "vertrouwelijkheidaanduiding", "beginGeldigheid"},
		Defaults: with(core.Doc{"informatieobjectcategorie": "", "trefwoord": []any{},
			"omschrijvingGeneriek": core.Doc{"informatieobjecttypeOmschrijvingGeneriek": "", "definitieInformatieobjecttypeOmschrijvingGeneriek": "",
				"herkomstInformatieobjecttypeOmschrijvingGeneriek": "", "hierarchieInformatieobjecttypeOmschrijvingGeneriek": "",
				"opmerkingInformatieobjecttypeOmschrijvingGeneriek": ""}}),
		readOnly: []string{"zaaktypen", "besluittypen"},
	},
	"besluittype": {
		Collection: "besluittypen", Owner: "catalogus", Ident: "omschrijving", Publishable: true,
		required: []string{"catalogus", "publicatieIndicatie", "beginGeldigheid"},
		Defaults: with(core.Doc{"omschrijving": "", "omschrijvingGeneriek": "", "besluitcategorie": "", "reactietermijn": nil,
			"publicatietekst": "", "publicatietermijn": nil, "toelichting": "", "informatieobjecttypen": []any{}}),
		// zaaktypen is read-only in Catalogi 1.3 (the relation is written on the zaaktype); a
		// request that still sends it, as 1.0 clients do, sets the relation from this side.
		readOnly: []string{"resultaattypen", "resultaattypenOmschrijving", "vastgelegdIn"},
	},
	"ziot": {
		Collection: "zaaktype-informatieobjecttypen", Owner: "zaaktype",
		required: []string{"zaaktype", "informatieobjecttype", "volgnummer", "richting"},
		Defaults: func() core.Doc { return core.Doc{"statustype": nil} },
		readOnly: []string{"catalogus", "zaaktypeIdentificatie"},
	},
}

// zaaktypeChildren are the kinds that live and die with their zaaktype.
var zaaktypeChildren = []string{"statustype", "resultaattype", "roltype", "eigenschap", "ziot"}

var roltypeOmschrijvingenGeneriek = []string{"adviseur", "behandelaar", "belanghebbende", "beslisser", "initiator",
	"klantcontacter", "zaakcoordinator", "mede_initiator"}
