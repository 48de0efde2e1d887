package catalogi

import (
	"encoding/json"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/core"
)

// typeRules describes one kind of catalogue resource for the generic write handlers: what a
// create must carry, its typed resource, what owns it and which of its fields are answered but
// never written.
type typeRules struct {
	Collection string
	required   []string
	// Shape is the kind's typed resource (resources.go): what is stored and answered, every
	// field the way Open Zaak renders it when unset.
	Shape core.Shape
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

// DeepCopy is a copy of d that shares nothing with it.
func DeepCopy(d core.Doc) core.Doc {
	b, _ := json.Marshal(d)
	var out core.Doc
	_ = json.Unmarshal(b, &out)
	return out
}

// CatalogRules lists the writable kinds of the Catalogi API.
var CatalogRules = map[string]typeRules{
	"catalogus": {
		Collection: "catalogussen", Owner: "", Ident: "domein", Shape: core.ShapeOf[Catalogus](),
		required: []string{"domein", "rsin", "contactpersoonBeheerNaam"},
		readOnly: []string{"zaaktypen", "besluittypen", "informatieobjecttypen"},
	},
	"zaaktype": {
		Collection: "zaaktypen", Owner: "catalogus", Ident: "identificatie", Publishable: true, Shape: core.ShapeOf[ZaakType](),
		required: []string{"identificatie", "omschrijving", "vertrouwelijkheidaanduiding", "doel", "aanleiding",
			"indicatieInternOfExtern", "handelingInitiator", "onderwerp", "handelingBehandelaar", "doorlooptijd",
			"opschortingEnAanhoudingMogelijk", "verlengingMogelijk", "publicatieIndicatie", "referentieproces",
			"verantwoordelijke", "catalogus", "beginGeldigheid", "versiedatum"},
		readOnly: []string{"statustypen", "resultaattypen", "roltypen", "eigenschappen", "informatieobjecttypen", "zaakobjecttypen"},
	},
	"statustype": {
		Collection: "statustypen", Owner: "zaaktype", Shape: core.ShapeOf[StatusType](),
		required: []string{"omschrijving", "zaaktype", "volgnummer"},
		readOnly: []string{"catalogus", "zaaktypeIdentificatie", "isEindstatus", "zaakobjecttype", "zaakobjecttypen"},
	},
	"resultaattype": {
		Collection: "resultaattypen", Owner: "zaaktype", Shape: core.ShapeOf[ResultaatType](),
		required: []string{"zaaktype", "omschrijving", "resultaattypeomschrijving", "selectielijstklasse"},
		readOnly: []string{"catalogus", "zaaktypeIdentificatie", "omschrijvingGeneriek", "besluittypeOmschrijving",
			"informatieobjecttypeOmschrijving", "zaakobjecttypen"},
	},
	"roltype": {
		Collection: "roltypen", Owner: "zaaktype", Shape: core.ShapeOf[RolType](),
		required: []string{"zaaktype", "omschrijving", "omschrijvingGeneriek"},
		readOnly: []string{"catalogus", "zaaktypeIdentificatie"},
	},
	"eigenschap": {
		Collection: "eigenschappen", Owner: "zaaktype", Shape: core.ShapeOf[Eigenschap](),
		required: []string{"naam", "definitie", "zaaktype", "specificatie"},
		readOnly: []string{"catalogus", "zaaktypeIdentificatie"},
	},
	"informatieobjecttype": {
		Collection: "informatieobjecttypen", Owner: "catalogus", Ident: "omschrijving", Publishable: true,
		Shape: core.ShapeOf[InformatieObjectType](),
		// informatieobjectcategorie is required by Catalogi 1.3 but left out by VNG's own
		// suite, written for 1.0: the sandbox accepts both and answers "" for it.
		required: []string{"catalogus", "omschrijving", "vertrouwelijkheidaanduiding", "beginGeldigheid"},
		readOnly: []string{"zaaktypen", "besluittypen"},
	},
	"besluittype": {
		Collection: "besluittypen", Owner: "catalogus", Ident: "omschrijving", Publishable: true, Shape: core.ShapeOf[BesluitType](),
		required: []string{"catalogus", "publicatieIndicatie", "beginGeldigheid"},
		// zaaktypen is read-only in Catalogi 1.3 (the relation is written on the zaaktype); a
		// request that still sends it, as 1.0 clients do, sets the relation from this side.
		readOnly: []string{"resultaattypen", "resultaattypenOmschrijving", "vastgelegdIn"},
	},
	"ziot": {
		Collection: "zaaktype-informatieobjecttypen", Owner: "zaaktype", Shape: core.ShapeOf[ZaakTypeInformatieObjectType](),
		required: []string{"zaaktype", "informatieobjecttype", "volgnummer", "richting"},
		readOnly: []string{"catalogus", "zaaktypeIdentificatie"},
	},
}

// zaaktypeChildren are the kinds that live and die with their zaaktype.
var zaaktypeChildren = []string{"statustype", "resultaattype", "roltype", "eigenschap", "ziot"}

var roltypeOmschrijvingenGeneriek = []string{"adviseur", "behandelaar", "belanghebbende", "beslisser", "initiator",
	"klantcontacter", "zaakcoordinator", "mede_initiator"}
