package besluiten

// The Besluiten API's resources as typed values, with every property of their schema in
// besluiten-1.0.2.yaml, rendered as Open Zaak renders them. They are stored as their JSON under
// the kinds "besluit" and "bio".

// Besluit is a besluit (Besluit).
type Besluit struct {
	URL                          string  `json:"url"`
	Identificatie                string  `json:"identificatie"`
	VerantwoordelijkeOrganisatie string  `json:"verantwoordelijkeOrganisatie"`
	Besluittype                  string  `json:"besluittype"`
	Zaak                         string  `json:"zaak"`
	Datum                        string  `json:"datum"`
	Toelichting                  string  `json:"toelichting"`
	Bestuursorgaan               string  `json:"bestuursorgaan"`
	Ingangsdatum                 string  `json:"ingangsdatum"`
	Vervaldatum                  *string `json:"vervaldatum"`
	Vervalreden                  string  `json:"vervalreden"`
	VervalredenWeergave          string  `json:"vervalredenWeergave"`
	Publicatiedatum              *string `json:"publicatiedatum"`
	Verzenddatum                 *string `json:"verzenddatum"`
	UiterlijkeReactiedatum       *string `json:"uiterlijkeReactiedatum"`
}

// BesluitInformatieObject links a besluit to a document (BesluitInformatieObject).
type BesluitInformatieObject struct {
	URL              string `json:"url"`
	InformatieObject string `json:"informatieobject"`
	Besluit          string `json:"besluit"`
}

// vervalredenen are the vervalreden choices with their weergave ("": none, as Open Zaak answers
// a besluit without one).
var vervalredenen = map[string]string{"": "", "tijdelijk": "Besluit met tijdelijke werking",
	"ingetrokken_overheid": "Besluit ingetrokken door overheid", "ingetrokken_belanghebbende": "Besluit ingetrokken o.v.v. belanghebbende"}

// besluitDerives are the afleidingswijzen that take a zaak's archive dates from its besluiten.
var besluitDerives = []string{"ingangsdatum_besluit", "vervaldatum_besluit"}

// besluitFixed are the fields of a besluit that never change after it is made.
var besluitFixed = []string{"besluittype", "identificatie", "verantwoordelijkeOrganisatie"}

// besluitDates are a besluit's date fields.
var besluitDates = []string{"datum", "ingangsdatum", "vervaldatum", "publicatiedatum", "verzenddatum", "uiterlijkeReactiedatum"}
