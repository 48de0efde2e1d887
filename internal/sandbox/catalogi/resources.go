package catalogi

import "github.com/gemeenten/meta-bezwaar-connector/internal/catalogdef"

// The Catalogi API's resources as typed values, with every property of their schema in
// catalogi-1.3.1.yaml rendered as Open Zaak renders it. Each is stored as its JSON under its
// kind; the fields that are the other side of a relation (a zaaktype's statustypen, a
// statustype's isEindstatus) are stored empty and worked out when the type is read
// (catalogiview.go).

// Geldigheid is when a type, and the object it is a version of, is valid.
type Geldigheid struct {
	BeginGeldigheid *string `json:"beginGeldigheid"`
	EindeGeldigheid *string `json:"eindeGeldigheid"`
	BeginObject     *string `json:"beginObject"`
	EindeObject     *string `json:"eindeObject"`
}

// Catalogus is a catalogue of types (Catalogus).
type Catalogus struct {
	URL                                string   `json:"url"`
	Domein                             string   `json:"domein"`
	Rsin                               string   `json:"rsin"`
	ContactpersoonBeheerNaam           string   `json:"contactpersoonBeheerNaam"`
	ContactpersoonBeheerTelefoonnummer string   `json:"contactpersoonBeheerTelefoonnummer"`
	ContactpersoonBeheerEmailadres     string   `json:"contactpersoonBeheerEmailadres"`
	Zaaktypen                          []string `json:"zaaktypen"`
	Besluittypen                       []string `json:"besluittypen"`
	Informatieobjecttypen              []string `json:"informatieobjecttypen"`
	Naam                               string   `json:"naam"`
	Versie                             string   `json:"versie"`
	BegindatumVersie                   *string  `json:"begindatumVersie"`
}

// ZaakType is a kind of zaak (ZaakType).
type ZaakType struct {
	URL                             string                      `json:"url"`
	Identificatie                   string                      `json:"identificatie"`
	Omschrijving                    string                      `json:"omschrijving"`
	OmschrijvingGeneriek            string                      `json:"omschrijvingGeneriek"`
	Vertrouwelijkheidaanduiding     string                      `json:"vertrouwelijkheidaanduiding"`
	Doel                            string                      `json:"doel"`
	Aanleiding                      string                      `json:"aanleiding"`
	Toelichting                     string                      `json:"toelichting"`
	IndicatieInternOfExtern         string                      `json:"indicatieInternOfExtern"`
	HandelingInitiator              string                      `json:"handelingInitiator"`
	Onderwerp                       string                      `json:"onderwerp"`
	HandelingBehandelaar            string                      `json:"handelingBehandelaar"`
	Doorlooptijd                    string                      `json:"doorlooptijd"`
	Servicenorm                     *string                     `json:"servicenorm"`
	OpschortingEnAanhoudingMogelijk bool                        `json:"opschortingEnAanhoudingMogelijk"`
	VerlengingMogelijk              bool                        `json:"verlengingMogelijk"`
	Verlengingstermijn              *string                     `json:"verlengingstermijn"`
	Trefwoorden                     []string                    `json:"trefwoorden"`
	PublicatieIndicatie             bool                        `json:"publicatieIndicatie"`
	Publicatietekst                 string                      `json:"publicatietekst"`
	Verantwoordingsrelatie          []string                    `json:"verantwoordingsrelatie"`
	ProductenOfDiensten             []string                    `json:"productenOfDiensten"`
	SelectielijstProcestype         string                      `json:"selectielijstProcestype"`
	Referentieproces                catalogdef.Referentieproces `json:"referentieproces"`
	Verantwoordelijke               string                      `json:"verantwoordelijke"`
	Zaakobjecttypen                 []string                    `json:"zaakobjecttypen"`
	Broncatalogus                   Broncatalogus               `json:"broncatalogus"`
	Bronzaaktype                    Bronzaaktype                `json:"bronzaaktype"`
	Catalogus                       string                      `json:"catalogus"`
	Statustypen                     []string                    `json:"statustypen"`
	Resultaattypen                  []string                    `json:"resultaattypen"`
	Eigenschappen                   []string                    `json:"eigenschappen"`
	Informatieobjecttypen           []string                    `json:"informatieobjecttypen"`
	Roltypen                        []string                    `json:"roltypen"`
	Besluittypen                    []string                    `json:"besluittypen"`
	Deelzaaktypen                   []string                    `json:"deelzaaktypen"`
	GerelateerdeZaaktypen           []any                       `json:"gerelateerdeZaaktypen"`
	Geldigheid
	Versiedatum string `json:"versiedatum"`
	Concept     bool   `json:"concept"`
}

// Broncatalogus is the catalogue a zaaktype was taken from ("" when none).
type Broncatalogus struct {
	URL    string `json:"url"`
	Domein string `json:"domein"`
	Rsin   string `json:"rsin"`
}

// Bronzaaktype is the zaaktype a zaaktype was taken from ("" when none).
type Bronzaaktype struct {
	URL           string `json:"url"`
	Identificatie string `json:"identificatie"`
	Omschrijving  string `json:"omschrijving"`
}

// StatusType is a status a zaak of a zaaktype can have (StatusType). Open Zaak answers its
// zaakobjecttypen (a list), not the spec's zaakobjecttype.
type StatusType struct {
	URL                     string   `json:"url"`
	Omschrijving            string   `json:"omschrijving"`
	OmschrijvingGeneriek    string   `json:"omschrijvingGeneriek"`
	Statustekst             string   `json:"statustekst"`
	Zaaktype                string   `json:"zaaktype"`
	Catalogus               string   `json:"catalogus"`
	ZaaktypeIdentificatie   string   `json:"zaaktypeIdentificatie"`
	Volgnummer              int      `json:"volgnummer"`
	IsEindstatus            bool     `json:"isEindstatus"`
	Informeren              bool     `json:"informeren"`
	Doorlooptijd            *string  `json:"doorlooptijd"`
	Toelichting             *string  `json:"toelichting"`
	ChecklistitemStatustype []any    `json:"checklistitemStatustype"`
	Eigenschappen           []string `json:"eigenschappen"`
	Geldigheid
	Zaakobjecttypen []string `json:"zaakobjecttypen"`
}

// ResultaatType is an outcome a zaak of a zaaktype can have, with its archive procedure
// (ResultaatType).
type ResultaatType struct {
	URL                              string                     `json:"url"`
	Zaaktype                         string                     `json:"zaaktype"`
	ZaaktypeIdentificatie            string                     `json:"zaaktypeIdentificatie"`
	Omschrijving                     string                     `json:"omschrijving"`
	Resultaattypeomschrijving        string                     `json:"resultaattypeomschrijving"`
	OmschrijvingGeneriek             string                     `json:"omschrijvingGeneriek"`
	Selectielijstklasse              string                     `json:"selectielijstklasse"`
	Toelichting                      string                     `json:"toelichting"`
	Archiefnominatie                 *string                    `json:"archiefnominatie"`
	Archiefactietermijn              *string                    `json:"archiefactietermijn"`
	BrondatumArchiefprocedure        *BrondatumArchiefprocedure `json:"brondatumArchiefprocedure"`
	Procesobjectaard                 string                     `json:"procesobjectaard"`
	Catalogus                        string                     `json:"catalogus"`
	IndicatieSpecifiek               *bool                      `json:"indicatieSpecifiek"`
	Procestermijn                    *string                    `json:"procestermijn"`
	Besluittypen                     []string                   `json:"besluittypen"`
	BesluittypeOmschrijving          []string                   `json:"besluittypeOmschrijving"`
	Informatieobjecttypen            []string                   `json:"informatieobjecttypen"`
	InformatieobjecttypeOmschrijving []string                   `json:"informatieobjecttypeOmschrijving"`
	Zaakobjecttypen                  []string                   `json:"zaakobjecttypen"`
	Geldigheid
}

// BrondatumArchiefprocedure says from which date a resultaattype's archive term is counted.
type BrondatumArchiefprocedure struct {
	Afleidingswijze string  `json:"afleidingswijze"`
	Datumkenmerk    string  `json:"datumkenmerk"`
	EinddatumBekend bool    `json:"einddatumBekend"`
	Objecttype      string  `json:"objecttype"`
	Registratie     string  `json:"registratie"`
	Procestermijn   *string `json:"procestermijn"`
}

// RolType is a role someone can have in a zaak of a zaaktype (RolType).
type RolType struct {
	URL                   string `json:"url"`
	Zaaktype              string `json:"zaaktype"`
	ZaaktypeIdentificatie string `json:"zaaktypeIdentificatie"`
	Omschrijving          string `json:"omschrijving"`
	OmschrijvingGeneriek  string `json:"omschrijvingGeneriek"`
	Catalogus             string `json:"catalogus"`
	Geldigheid
}

// Eigenschap is a property a zaak of a zaaktype can have (Eigenschap).
type Eigenschap struct {
	URL                   string                 `json:"url"`
	Naam                  string                 `json:"naam"`
	Catalogus             string                 `json:"catalogus"`
	Definitie             string                 `json:"definitie"`
	Specificatie          EigenschapSpecificatie `json:"specificatie"`
	Toelichting           string                 `json:"toelichting"`
	Zaaktype              string                 `json:"zaaktype"`
	ZaaktypeIdentificatie string                 `json:"zaaktypeIdentificatie"`
	Statustype            *string                `json:"statustype"`
	Geldigheid
}

// EigenschapSpecificatie is the form of an eigenschap's values.
type EigenschapSpecificatie struct {
	Groep              string   `json:"groep"`
	Formaat            string   `json:"formaat"`
	Lengte             string   `json:"lengte"`
	Kardinaliteit      string   `json:"kardinaliteit"`
	Waardenverzameling []string `json:"waardenverzameling"`
}

// InformatieObjectType is a kind of document (InformatieObjectType).
type InformatieObjectType struct {
	URL                         string                                   `json:"url"`
	Catalogus                   string                                   `json:"catalogus"`
	Omschrijving                string                                   `json:"omschrijving"`
	Vertrouwelijkheidaanduiding string                                   `json:"vertrouwelijkheidaanduiding"`
	Concept                     bool                                     `json:"concept"`
	Zaaktypen                   []string                                 `json:"zaaktypen"`
	Besluittypen                []string                                 `json:"besluittypen"`
	Informatieobjectcategorie   string                                   `json:"informatieobjectcategorie"`
	Trefwoord                   []string                                 `json:"trefwoord"`
	OmschrijvingGeneriek        InformatieObjectTypeOmschrijvingGeneriek `json:"omschrijvingGeneriek"`
	Geldigheid
}

// InformatieObjectTypeOmschrijvingGeneriek is the generic description of a document kind.
type InformatieObjectTypeOmschrijvingGeneriek struct {
	InformatieobjecttypeOmschrijvingGeneriek           string `json:"informatieobjecttypeOmschrijvingGeneriek"`
	DefinitieInformatieobjecttypeOmschrijvingGeneriek  string `json:"definitieInformatieobjecttypeOmschrijvingGeneriek"`
	HerkomstInformatieobjecttypeOmschrijvingGeneriek   string `json:"herkomstInformatieobjecttypeOmschrijvingGeneriek"`
	HierarchieInformatieobjecttypeOmschrijvingGeneriek string `json:"hierarchieInformatieobjecttypeOmschrijvingGeneriek"`
	OpmerkingInformatieobjecttypeOmschrijvingGeneriek  string `json:"opmerkingInformatieobjecttypeOmschrijvingGeneriek"`
}

// BesluitType is a kind of besluit (BesluitType).
type BesluitType struct {
	URL                        string   `json:"url"`
	Catalogus                  string   `json:"catalogus"`
	Zaaktypen                  []string `json:"zaaktypen"`
	Omschrijving               string   `json:"omschrijving"`
	OmschrijvingGeneriek       string   `json:"omschrijvingGeneriek"`
	Besluitcategorie           string   `json:"besluitcategorie"`
	Reactietermijn             *string  `json:"reactietermijn"`
	PublicatieIndicatie        bool     `json:"publicatieIndicatie"`
	Publicatietekst            string   `json:"publicatietekst"`
	Publicatietermijn          *string  `json:"publicatietermijn"`
	Toelichting                string   `json:"toelichting"`
	Informatieobjecttypen      []string `json:"informatieobjecttypen"`
	Concept                    bool     `json:"concept"`
	Resultaattypen             []string `json:"resultaattypen"`
	ResultaattypenOmschrijving []string `json:"resultaattypenOmschrijving"`
	VastgelegdIn               []string `json:"vastgelegdIn"`
	Geldigheid
}

// ZaakTypeInformatieObjectType allows a document kind in the zaken of a zaaktype
// (ZaakTypeInformatieObjectType); its informatieobjecttype may name the type by omschrijving.
type ZaakTypeInformatieObjectType struct {
	URL                   string  `json:"url"`
	Zaaktype              string  `json:"zaaktype"`
	ZaaktypeIdentificatie string  `json:"zaaktypeIdentificatie"`
	Catalogus             string  `json:"catalogus"`
	Informatieobjecttype  string  `json:"informatieobjecttype"`
	Volgnummer            int     `json:"volgnummer"`
	Richting              string  `json:"richting"`
	Statustype            *string `json:"statustype"`
}
