package publicatiebank

// The publicatiebank's resources as typed values, each rendering every field of its schema in
// gpp-publicatiebank-2.1.0.yaml (null or empty when unset, as the real one does). They are stored
// as their JSON in the sandbox's store, under the kinds below.

const (
	kindCategorie   = "gpp-informatiecategorie"
	kindOrganisatie = "gpp-organisatie"
	kindPublicatie  = "gpp-publicatie"
	kindDocument    = "gpp-document"
)

// The publication states and the changes between them the API allows.
const (
	statusConcept      = "concept"
	statusGepubliceerd = "gepubliceerd"
	statusIngetrokken  = "ingetrokken"
)

// Categorie is an informatiecategorie (InformationCategory).
type Categorie struct {
	UUID         string `json:"uuid"`
	Identifier   string `json:"identifier"`
	Naam         string `json:"naam"`
	NaamMeervoud string `json:"naamMeervoud"`
	Definitie    string `json:"definitie"`
	Omschrijving string `json:"omschrijving"`
	Oorsprong    string `json:"oorsprong"`
	Order        int    `json:"order"`
}

// Organisatie is a government organisation (Organisation).
type Organisatie struct {
	UUID       string `json:"uuid"`
	Identifier string `json:"identifier"`
	Naam       string `json:"naam"`
	Oorsprong  string `json:"oorsprong"`
	IsActief   bool   `json:"isActief"`
}

// Kenmerk identifies a publicatie or document in another system (PublicationIdentifier,
// DocumentIdentifier).
type Kenmerk struct {
	Kenmerk string `json:"kenmerk"`
	Bron    string `json:"bron"`
}

// Eigenaar is the person who registered a resource, taken from the audit headers.
type Eigenaar struct {
	Identifier   string `json:"identifier"`
	WeergaveNaam string `json:"weergaveNaam"`
}

// EigenaarGroep is an organisational unit that co-owns a publicatie.
type EigenaarGroep struct {
	Identifier   string `json:"identifier,omitempty"`
	WeergaveNaam string `json:"weergaveNaam"`
}

// Publicatie is a publication (PublicationRead).
type Publicatie struct {
	UUID                       string         `json:"uuid"`
	URLPublicatieIntern        string         `json:"urlPublicatieIntern"`
	URLPublicatieExtern        string         `json:"urlPublicatieExtern"`
	InformatieCategorieen      []string       `json:"informatieCategorieen"`
	DiWooInformatieCategorieen []string       `json:"diWooInformatieCategorieen"`
	Onderwerpen                []string       `json:"onderwerpen"`
	Publisher                  *string        `json:"publisher"`
	Verantwoordelijke          *string        `json:"verantwoordelijke"`
	Opsteller                  *string        `json:"opsteller"`
	Kenmerken                  []Kenmerk      `json:"kenmerken"`
	OfficieleTitel             string         `json:"officieleTitel"`
	VerkorteTitel              string         `json:"verkorteTitel"`
	Omschrijving               string         `json:"omschrijving"`
	Eigenaar                   Eigenaar       `json:"eigenaar"`
	EigenaarGroep              *EigenaarGroep `json:"eigenaarGroep"`
	Publicatiestatus           string         `json:"publicatiestatus"`
	GepubliceerdOp             *string        `json:"gepubliceerdOp"`
	IngetrokkenOp              *string        `json:"ingetrokkenOp"`
	Registratiedatum           string         `json:"registratiedatum"`
	LaatstGewijzigdDatum       string         `json:"laatstGewijzigdDatum"`
	DatumBeginGeldigheid       *string        `json:"datumBeginGeldigheid"`
	DatumEindeGeldigheid       *string        `json:"datumEindeGeldigheid"`
	BronBewaartermijn          string         `json:"bronBewaartermijn"`
	Selectiecategorie          string         `json:"selectiecategorie"`
	Archiefnominatie           string         `json:"archiefnominatie"`
	Archiefactiedatum          *string        `json:"archiefactiedatum"`
	ToelichtingBewaartermijn   string         `json:"toelichtingBewaartermijn"`
}

// Document is a document of a publication (Document; DocumentCreate adds the delivery).
type Document struct {
	UUID                 string    `json:"uuid"`
	Identifier           string    `json:"identifier"`
	Publicatie           string    `json:"publicatie"`
	Kenmerken            []Kenmerk `json:"kenmerken"`
	OfficieleTitel       string    `json:"officieleTitel"`
	VerkorteTitel        string    `json:"verkorteTitel"`
	Omschrijving         string    `json:"omschrijving"`
	Publicatiestatus     string    `json:"publicatiestatus"`
	GepubliceerdOp       *string   `json:"gepubliceerdOp"`
	IngetrokkenOp        *string   `json:"ingetrokkenOp"`
	Creatiedatum         string    `json:"creatiedatum"`
	Ontvangstdatum       *string   `json:"ontvangstdatum"`
	DatumOndertekend     *string   `json:"datumOndertekend"`
	Bestandsformaat      string    `json:"bestandsformaat"`
	Bestandsnaam         string    `json:"bestandsnaam"`
	Bestandsomvang       int64     `json:"bestandsomvang"`
	Eigenaar             Eigenaar  `json:"eigenaar"`
	Registratiedatum     string    `json:"registratiedatum"`
	LaatstGewijzigdDatum string    `json:"laatstGewijzigdDatum"`
	UploadVoltooid       bool      `json:"uploadVoltooid"`

	// Kept, not rendered by the read operations: how the content arrives, and its parts.
	AanleveringBestand string     `json:"aanleveringBestand"`
	DocumentURL        string     `json:"documentUrl,omitempty"`
	Bestandsdelen      []FilePart `json:"bestandsdelen"`
	Ontvangen          []bool     `json:"ontvangen,omitempty"` // per part: uploaded
}

// FilePart is one expected part of a document's content (FilePart).
type FilePart struct {
	UUID       string `json:"uuid"`
	URL        string `json:"url"`
	Volgnummer int    `json:"volgnummer"`
	Omvang     int64  `json:"omvang"`
}

// read is a document as the read operations render it (Document), without what only its
// creation answers.
func (d Document) read() any {
	type plain Document
	return struct {
		plain
		AanleveringBestand string     `json:"aanleveringBestand,omitempty"`
		DocumentURL        string     `json:"documentUrl,omitempty"`
		Bestandsdelen      []FilePart `json:"bestandsdelen,omitempty"`
		Ontvangen          []bool     `json:"ontvangen,omitempty"`
	}{plain: plain(d)}
}

// created is a document as its creation answers it (DocumentCreate): with the parts to upload,
// or null when the publicatiebank fetches the content itself.
func (d Document) created() any {
	type plain Document
	parts := any(nil)
	if d.AanleveringBestand == "ontvangen" {
		parts = d.Bestandsdelen
	}
	return struct {
		plain
		Bestandsdelen any    `json:"bestandsdelen"`
		DocumentURL   string `json:"documentUrl,omitempty"`
		Ontvangen     []bool `json:"ontvangen,omitempty"`
	}{plain: plain(d), Bestandsdelen: parts, DocumentURL: d.DocumentURL}
}
