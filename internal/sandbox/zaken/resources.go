package zaken

// The Zaken API's resources as typed values, with every property of their schema in
// zaken-1.5.1.yaml rendered as Open Zaak renders it (null, "" or [] when unset). They are stored
// as their JSON under the kinds "zaak", "status", "resultaat", "zio", "rol", "zaakobject",
// "klantcontact" and "zaakeigenschap". The parts whose
// schema depends on a type (a zaakobject's objectIdentificatie, a rol's betrokkeneIdentificatie)
// keep that part as the object its type's schema gives (rolfields.go).

// Zaak is a zaak (Zaak), with the Zaken 1.5 fields Open Zaak answers.
type Zaak struct {
	URL                          string         `json:"url"`
	UUID                         string         `json:"uuid"`
	Identificatie                string         `json:"identificatie"`
	Bronorganisatie              string         `json:"bronorganisatie"`
	Omschrijving                 string         `json:"omschrijving"`
	Toelichting                  string         `json:"toelichting"`
	Zaaktype                     string         `json:"zaaktype"`
	Registratiedatum             string         `json:"registratiedatum"`
	VerantwoordelijkeOrganisatie string         `json:"verantwoordelijkeOrganisatie"`
	Startdatum                   string         `json:"startdatum"`
	Einddatum                    *string        `json:"einddatum"`
	EinddatumGepland             *string        `json:"einddatumGepland"`
	UiterlijkeEinddatumAfdoening *string        `json:"uiterlijkeEinddatumAfdoening"`
	Publicatiedatum              *string        `json:"publicatiedatum"`
	Communicatiekanaal           string         `json:"communicatiekanaal"`
	CommunicatiekanaalNaam       string         `json:"communicatiekanaalNaam"`
	ProductenOfDiensten          []string       `json:"productenOfDiensten"`
	Vertrouwelijkheidaanduiding  string         `json:"vertrouwelijkheidaanduiding"`
	Betalingsindicatie           string         `json:"betalingsindicatie"`
	BetalingsindicatieWeergave   string         `json:"betalingsindicatieWeergave"`
	LaatsteBetaaldatum           *string        `json:"laatsteBetaaldatum"`
	Zaakgeometrie                any            `json:"zaakgeometrie"` // GeoJSON, kept as sent
	Verlenging                   *Verlenging    `json:"verlenging"`
	Opschorting                  *Opschorting   `json:"opschorting"`
	Selectielijstklasse          string         `json:"selectielijstklasse"`
	Hoofdzaak                    *string        `json:"hoofdzaak"`
	Deelzaken                    []string       `json:"deelzaken"`
	RelevanteAndereZaken         []any          `json:"relevanteAndereZaken"`
	GerelateerdeZaken            []any          `json:"gerelateerdeZaken"`
	Eigenschappen                []string       `json:"eigenschappen"`
	Rollen                       []string       `json:"rollen"`
	Status                       *string        `json:"status"`
	Zaakinformatieobjecten       []string       `json:"zaakinformatieobjecten"`
	Zaakobjecten                 []string       `json:"zaakobjecten"`
	Kenmerken                    []Kenmerk      `json:"kenmerken"`
	Archiefnominatie             *string        `json:"archiefnominatie"`
	Archiefstatus                string         `json:"archiefstatus"`
	Archiefactiedatum            *string        `json:"archiefactiedatum"`
	Resultaat                    *string        `json:"resultaat"`
	OpdrachtgevendeOrganisatie   string         `json:"opdrachtgevendeOrganisatie"`
	Processobjectaard            string         `json:"processobjectaard"`
	StartdatumBewaartermijn      *string        `json:"startdatumBewaartermijn"`
	Processobject                *Processobject `json:"processobject"`
	LaatstGeopend                *string        `json:"laatstGeopend"`
	LaatstGemuteerd              string         `json:"laatstGemuteerd"`
}

// Verlenging is a zaak's extension: why, and by how long.
type Verlenging struct {
	Reden string `json:"reden"`
	Duur  string `json:"duur"`
}

// Opschorting is whether a zaak is suspended, and why.
type Opschorting struct {
	Indicatie          bool   `json:"indicatie"`
	EerdereOpschorting bool   `json:"eerdereOpschorting"`
	Reden              string `json:"reden"`
}

// Processobject names what the zaak's archive term is counted from.
type Processobject struct {
	Datumkenmerk  string `json:"datumkenmerk"`
	Identificatie string `json:"identificatie"`
	Objecttype    string `json:"objecttype"`
	Registratie   string `json:"registratie"`
}

// Kenmerk identifies a zaak in another system.
type Kenmerk struct {
	Kenmerk string `json:"kenmerk"`
	Bron    string `json:"bron"`
}

// Status is a status a zaak was given (Status); indicatieLaatstGezetteStatus is worked out when
// it is answered.
type Status struct {
	URL                          string   `json:"url"`
	UUID                         string   `json:"uuid"`
	Zaak                         string   `json:"zaak"`
	Statustype                   string   `json:"statustype"`
	DatumStatusGezet             string   `json:"datumStatusGezet"`
	Statustoelichting            string   `json:"statustoelichting"`
	IndicatieLaatstGezetteStatus bool     `json:"indicatieLaatstGezetteStatus"`
	Gezetdoor                    *string  `json:"gezetdoor"`
	Zaakinformatieobjecten       []string `json:"zaakinformatieobjecten"`
}

// Resultaat is a zaak's outcome (Resultaat).
type Resultaat struct {
	URL           string `json:"url"`
	UUID          string `json:"uuid"`
	Zaak          string `json:"zaak"`
	Resultaattype string `json:"resultaattype"`
	Toelichting   string `json:"toelichting"`
}

// ZaakInformatieObject links a zaak to a document (ZaakInformatieObject).
type ZaakInformatieObject struct {
	URL                 string  `json:"url"`
	UUID                string  `json:"uuid"`
	Informatieobject    string  `json:"informatieobject"`
	Zaak                string  `json:"zaak"`
	AardRelatieWeergave string  `json:"aardRelatieWeergave"`
	Titel               string  `json:"titel"`
	Beschrijving        string  `json:"beschrijving"`
	Registratiedatum    string  `json:"registratiedatum"`
	Vernietigingsdatum  *string `json:"vernietigingsdatum"`
	Status              *string `json:"status"`
}

// Rol is someone's role in a zaak (Rol); its betrokkeneIdentificatie has the fields of its
// betrokkeneType's schema (renderedRol).
type Rol struct {
	URL                      string            `json:"url"`
	UUID                     string            `json:"uuid"`
	Zaak                     string            `json:"zaak"`
	Betrokkene               string            `json:"betrokkene"`
	BetrokkeneType           string            `json:"betrokkeneType"`
	AfwijkendeNaamBetrokkene string            `json:"afwijkendeNaamBetrokkene"`
	Roltype                  string            `json:"roltype"`
	Omschrijving             string            `json:"omschrijving"`
	OmschrijvingGeneriek     string            `json:"omschrijvingGeneriek"`
	Roltoelichting           string            `json:"roltoelichting"`
	Registratiedatum         string            `json:"registratiedatum"`
	IndicatieMachtiging      string            `json:"indicatieMachtiging"`
	ContactpersoonRol        ContactpersoonRol `json:"contactpersoonRol"`
	Statussen                []string          `json:"statussen"`
	BeginGeldigheid          *string           `json:"beginGeldigheid"`
	EindeGeldigheid          *string           `json:"eindeGeldigheid"`
	AuthenticatieContext     any               `json:"authenticatieContext"`
	BetrokkeneIdentificatie  map[string]any    `json:"betrokkeneIdentificatie"`
}

// ContactpersoonRol is whom to contact about a rol.
type ContactpersoonRol struct {
	Emailadres     string `json:"emailadres"`
	Functie        string `json:"functie"`
	Naam           string `json:"naam"`
	Telefoonnummer string `json:"telefoonnummer"`
}

// KlantContact is a contact with a client about a zaak (KlantContact).
type KlantContact struct {
	URL           string `json:"url"`
	UUID          string `json:"uuid"`
	Zaak          string `json:"zaak"`
	Identificatie string `json:"identificatie"`
	Datumtijd     string `json:"datumtijd"`
	Kanaal        string `json:"kanaal"`
	Onderwerp     string `json:"onderwerp"`
	Toelichting   string `json:"toelichting"`
}

// ZaakEigenschap is the value of one of the zaaktype's eigenschappen for a zaak (ZaakEigenschap).
type ZaakEigenschap struct {
	URL        string `json:"url"`
	UUID       string `json:"uuid"`
	Zaak       string `json:"zaak"`
	Eigenschap string `json:"eigenschap"`
	Naam       string `json:"naam"`
	Waarde     string `json:"waarde"`
}

// ZaakObject is an object a zaak is about (ZaakObject); its objectIdentificatie has the fields of
// its objectType's schema, kept as sent.
type ZaakObject struct {
	URL                        string         `json:"url"`
	UUID                       string         `json:"uuid"`
	Zaak                       string         `json:"zaak"`
	Object                     string         `json:"object"`
	Zaakobjecttype             *string        `json:"zaakobjecttype"`
	ObjectType                 string         `json:"objectType"`
	ObjectTypeOverige          string         `json:"objectTypeOverige"`
	ObjectTypeOverigeDefinitie any            `json:"objectTypeOverigeDefinitie"`
	Relatieomschrijving        string         `json:"relatieomschrijving"`
	ObjectIdentificatie        map[string]any `json:"objectIdentificatie"`
}
