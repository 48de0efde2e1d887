// Package catalogdef describes the connector's zaaktype as a ZGW catalogue holds it: the
// zaaktype with its statustypen, resultaattypen and roltypen, the informatieobjecttypen it
// allows and the besluittype of the college's decision. `connector provision` creates it in a
// real zaaksysteem through the Catalogi API; the sandbox seeds its catalogue from the same
// definition, so that there is one source for both.
package catalogdef

// The names the connector's configuration defaults to; they are the default definition's.
const (
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
)

// SelectielijstPlaceholder stands, in a definition's URLs, for the root of the Selectielijst API
// the target zaaksysteem uses (VNG's, or the sandbox's own stand-in); Expand replaces it.
const SelectielijstPlaceholder = "{selectielijst}"

// Definition is a zaaktype with everything it needs in one catalogus. Field names are the
// Catalogi API's, so a functional administrator can read it next to the standard.
type Definition struct {
	Catalogus             Catalogus              `json:"catalogus"`
	Zaaktype              Zaaktype               `json:"zaaktype"`
	Informatieobjecttypen []Informatieobjecttype `json:"informatieobjecttypen"`
	Besluittypen          []Besluittype          `json:"besluittypen"`
}

// Catalogus is found by domein and rsin; provision creates it only when it is missing.
type Catalogus struct {
	Domein                   string `json:"domein"`
	RSIN                     string `json:"rsin"`
	Naam                     string `json:"naam,omitempty"`
	ContactpersoonBeheerNaam string `json:"contactpersoonBeheerNaam"`
}

// Zaaktype is the connector's zaaktype, found by identificatie.
type Zaaktype struct {
	Identificatie                   string           `json:"identificatie"`
	Omschrijving                    string           `json:"omschrijving"`
	Vertrouwelijkheidaanduiding     string           `json:"vertrouwelijkheidaanduiding"`
	Doel                            string           `json:"doel"`
	Aanleiding                      string           `json:"aanleiding"`
	IndicatieInternOfExtern         string           `json:"indicatieInternOfExtern"`
	HandelingInitiator              string           `json:"handelingInitiator"`
	Onderwerp                       string           `json:"onderwerp"`
	HandelingBehandelaar            string           `json:"handelingBehandelaar"`
	Doorlooptijd                    string           `json:"doorlooptijd"`
	OpschortingEnAanhoudingMogelijk bool             `json:"opschortingEnAanhoudingMogelijk"`
	VerlengingMogelijk              bool             `json:"verlengingMogelijk"`
	PublicatieIndicatie             bool             `json:"publicatieIndicatie"`
	Trefwoorden                     []string         `json:"trefwoorden"`
	Referentieproces                Referentieproces `json:"referentieproces"`
	Verantwoordelijke               string           `json:"verantwoordelijke"`
	SelectielijstProcestype         string           `json:"selectielijstProcestype"`
	BeginGeldigheid                 string           `json:"beginGeldigheid"`
	Versiedatum                     string           `json:"versiedatum"`
	Statustypen                     []Statustype     `json:"statustypen"`
	Resultaattypen                  []Resultaattype  `json:"resultaattypen"`
	Roltypen                        []Roltype        `json:"roltypen"`
	// Informatieobjecttypen are the zaaktype-informatieobjecttypen: which of the definition's
	// informatieobjecttypen a zaak of this type may hold.
	Informatieobjecttypen []ZaaktypeInformatieobjecttype `json:"informatieobjecttypen"`
	// Besluittypen names the definition's besluittypen (by omschrijving) the zaaktype allows.
	Besluittypen []string `json:"besluittypen"`
}

// Referentieproces is the zaaktype's reference process.
type Referentieproces struct {
	Naam string `json:"naam"`
	Link string `json:"link"`
}

// Statustype is one step; the highest volgnummer is the eindstatus.
type Statustype struct {
	Omschrijving string `json:"omschrijving"`
	Volgnummer   int    `json:"volgnummer"`
}

// Resultaattype is one outcome, with the archive rules the records officer chose from the
// Selectielijst.
type Resultaattype struct {
	Omschrijving              string    `json:"omschrijving"`
	Resultaattypeomschrijving string    `json:"resultaattypeomschrijving"`
	Selectielijstklasse       string    `json:"selectielijstklasse"`
	Archiefnominatie          string    `json:"archiefnominatie"`
	Archiefactietermijn       string    `json:"archiefactietermijn"`
	BrondatumArchiefprocedure Brondatum `json:"brondatumArchiefprocedure"`
}

// Brondatum says from which date the archiefactietermijn counts.
type Brondatum struct {
	Afleidingswijze string  `json:"afleidingswijze"`
	Datumkenmerk    string  `json:"datumkenmerk"`
	EinddatumBekend bool    `json:"einddatumBekend"`
	Objecttype      string  `json:"objecttype"`
	Registratie     string  `json:"registratie"`
	Procestermijn   *string `json:"procestermijn"`
}

// Roltype is a role a betrokkene can have in the zaak.
type Roltype struct {
	Omschrijving         string `json:"omschrijving"`
	OmschrijvingGeneriek string `json:"omschrijvingGeneriek"`
}

// ZaaktypeInformatieobjecttype allows an informatieobjecttype (by omschrijving) in the zaak.
type ZaaktypeInformatieobjecttype struct {
	Omschrijving string `json:"omschrijving"`
	Volgnummer   int    `json:"volgnummer"`
	Richting     string `json:"richting"`
}

// Informatieobjecttype is a kind of document, found by omschrijving in the catalogus.
type Informatieobjecttype struct {
	Omschrijving                string `json:"omschrijving"`
	Vertrouwelijkheidaanduiding string `json:"vertrouwelijkheidaanduiding"`
	Informatieobjectcategorie   string `json:"informatieobjectcategorie"`
	BeginGeldigheid             string `json:"beginGeldigheid"`
}

// Besluittype is a kind of decision, found by omschrijving in the catalogus.
type Besluittype struct {
	Omschrijving        string `json:"omschrijving"`
	Besluitcategorie    string `json:"besluitcategorie"`
	PublicatieIndicatie bool   `json:"publicatieIndicatie"`
	BeginGeldigheid     string `json:"beginGeldigheid"`
	// Informatieobjecttypen names the definition's informatieobjecttypen (by omschrijving) that
	// may record a besluit of this type.
	Informatieobjecttypen []string `json:"informatieobjecttypen"`
}
