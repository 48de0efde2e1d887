package publicatiebank

import (
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/core"
)

func (s *API) listCategorieen(w http.ResponseWriter, r *http.Request) {
	cats, err := core.QueryAs[Categorie](r.Context(), s.DB, kindCategorie, "", strings.ToLower(r.URL.Query().Get("naam")))
	if !s.found(w, err) {
		return
	}
	page(w, r, cats, s.Cfg.PageSize)
}

func (s *API) listOrganisaties(w http.ResponseWriter, r *http.Request) {
	orgs, err := core.QueryAs[Organisatie](r.Context(), s.DB, kindOrganisatie, "", strings.ToLower(r.URL.Query().Get("naam")))
	if !s.found(w, err) {
		return
	}
	if a := r.URL.Query().Get("isActief"); a != "" {
		orgs = slices.DeleteFunc(orgs, func(o Organisatie) bool { return o.IsActief != (a == "true") })
	}
	page(w, r, orgs, s.Cfg.PageSize)
}

func (s *API) listPublicaties(w http.ResponseWriter, r *http.Request) {
	pubs, err := core.QueryAs[Publicatie](r.Context(), s.DB, kindPublicatie, "", "")
	if !s.found(w, err) {
		return
	}
	q := r.URL.Query()
	kenmerk, bron, statuses := q.Get("kenmerk"), q.Get("bron"), q["publicatiestatus"]
	pubs = slices.DeleteFunc(pubs, func(p Publicatie) bool {
		if len(statuses) > 0 && !slices.Contains(statuses, p.Publicatiestatus) {
			return true
		}
		return (kenmerk != "" || bron != "") && !slices.ContainsFunc(p.Kenmerken, func(k Kenmerk) bool {
			return (kenmerk == "" || k.Kenmerk == kenmerk) && (bron == "" || k.Bron == bron)
		})
	})
	page(w, r, pubs, s.Cfg.PageSize)
}

// publicatieWrite is a publicatie as clients write it (PublicationWrite); a nil field was not
// sent.
type publicatieWrite struct {
	Publicatiestatus      *string        `json:"publicatiestatus"`
	InformatieCategorieen *[]string      `json:"informatieCategorieen"`
	Onderwerpen           *[]string      `json:"onderwerpen"`
	Publisher             *string        `json:"publisher"`
	Verantwoordelijke     *string        `json:"verantwoordelijke"`
	Opsteller             *string        `json:"opsteller"`
	Kenmerken             *[]Kenmerk     `json:"kenmerken"`
	OfficieleTitel        *string        `json:"officieleTitel"`
	VerkorteTitel         *string        `json:"verkorteTitel"`
	Omschrijving          *string        `json:"omschrijving"`
	EigenaarGroep         *EigenaarGroep `json:"eigenaarGroep"`
	DatumBeginGeldigheid  *string        `json:"datumBeginGeldigheid"`
	DatumEindeGeldigheid  *string        `json:"datumEindeGeldigheid"`
}

// decode reads a JSON body of at most 1 MiB into v, answering 400 itself when it cannot.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(v); err != nil {
		writeJSON(w, http.StatusBadRequest, invalid{"nonFieldErrors": {"Ongeldige JSON: " + err.Error()}})
		return false
	}
	return true
}

func (s *API) createPublicatie(w http.ResponseWriter, r *http.Request) {
	var in publicatieWrite
	if !decode(w, r, &in) {
		return
	}
	id := core.NewUUID()
	now := s.now()
	p := Publicatie{UUID: id, URLPublicatieExtern: core.Base(r) + PublicRoot + id,
		URLPublicatieIntern: core.Base(r) + Root + "/beheer/publicaties/" + id, InformatieCategorieen: []string{}, DiWooInformatieCategorieen: []string{},
		Onderwerpen: []string{}, Kenmerken: []Kenmerk{}, Eigenaar: eigenaar(r), Publicatiestatus: statusGepubliceerd,
		Registratiedatum: now, LaatstGewijzigdDatum: now}
	v := invalid{}
	if in.Publicatiestatus != nil && *in.Publicatiestatus == statusIngetrokken {
		v.add("publicatiestatus", "Je kan geen ingetrokken publicatie aanmaken.")
	}
	if in.OfficieleTitel == nil {
		v.add("officieleTitel", required)
	}
	s.apply(r, v, &p, in)
	if v.answered(w) {
		return
	}
	if err := s.DB.Insert(r.Context(), kindPublicatie, id, "", "", p); err != nil {
		writeDetail(w, http.StatusInternalServerError, "Er is een serverfout opgetreden.")
		return
	}
	writeJSON(w, http.StatusCreated, p)
}

func (s *API) updatePublicatie(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p, err := core.GetAs[Publicatie](ctx, s.DB, kindPublicatie, r.PathValue("uuid"))
	if !s.found(w, err) {
		return
	}
	var in publicatieWrite
	if !decode(w, r, &in) {
		return
	}
	v := invalid{}
	was := p.Publicatiestatus
	s.apply(r, v, &p, in)
	if p.Publicatiestatus != was && !(was == statusConcept && p.Publicatiestatus == statusGepubliceerd) &&
		!(was == statusGepubliceerd && p.Publicatiestatus == statusIngetrokken) {
		v.add("publicatiestatus", fmt.Sprintf("De status kan niet van %q naar %q gewijzigd worden.", was, p.Publicatiestatus))
	}
	if v.answered(w) {
		return
	}
	p.LaatstGewijzigdDatum = s.now()
	if err := s.DB.Update(ctx, p.UUID, p); err != nil {
		writeDetail(w, http.StatusInternalServerError, "Er is een serverfout opgetreden.")
		return
	}
	if p.Publicatiestatus != was {
		// A publicatie's documents follow its status.
		docs, err := core.QueryAs[Document](ctx, s.DB, kindDocument, p.UUID, "")
		for _, d := range docs {
			if err != nil {
				break
			}
			d.Publicatiestatus, d.GepubliceerdOp, d.IngetrokkenOp, d.LaatstGewijzigdDatum = p.Publicatiestatus, p.GepubliceerdOp, p.IngetrokkenOp, p.LaatstGewijzigdDatum
			err = s.DB.Update(ctx, d.UUID, d)
		}
		if err != nil {
			writeDetail(w, http.StatusInternalServerError, "Er is een serverfout opgetreden.")
			return
		}
	}
	writeJSON(w, http.StatusOK, p)
}

// apply validates what a client wrote and applies it to p, with the rules of the status it
// ends in: a published publicatie needs an active publisher and an informatiecategorie.
func (s *API) apply(r *http.Request, v invalid, p *Publicatie, in publicatieWrite) {
	ctx := r.Context()
	if in.Publicatiestatus != nil {
		switch st := *in.Publicatiestatus; st {
		case statusConcept, statusGepubliceerd, statusIngetrokken:
			p.Publicatiestatus = st
		default:
			v.add("publicatiestatus", fmt.Sprintf("%q is een ongeldige keuze.", st))
		}
	}
	text := func(field string, in *string, out *string, maxLen int) {
		if in == nil {
			return
		}
		if maxLen > 0 && len([]rune(*in)) > maxLen {
			v.add(field, fmt.Sprintf("Zorg ervoor dat dit veld niet meer dan %d karakters bevat.", maxLen))
		}
		*out = *in
	}
	text("officieleTitel", in.OfficieleTitel, &p.OfficieleTitel, 255)
	text("verkorteTitel", in.VerkorteTitel, &p.VerkorteTitel, 255)
	text("omschrijving", in.Omschrijving, &p.Omschrijving, 0)
	if in.OfficieleTitel != nil && strings.TrimSpace(*in.OfficieleTitel) == "" {
		v.add("officieleTitel", "Dit veld mag niet leeg zijn.")
	}
	if in.InformatieCategorieen != nil {
		for _, c := range *in.InformatieCategorieen {
			if _, err := core.GetAs[Categorie](ctx, s.DB, kindCategorie, c); err != nil {
				v.add("informatieCategorieen", notFoundPK(c))
			}
		}
		p.InformatieCategorieen = *in.InformatieCategorieen
		p.DiWooInformatieCategorieen = *in.InformatieCategorieen
	}
	if in.Onderwerpen != nil {
		p.Onderwerpen = *in.Onderwerpen
	}
	// Only active organisations may be named (the real one's choices are the active ones).
	for _, org := range []struct {
		field string
		in    *string
		out   **string
	}{{"publisher", in.Publisher, &p.Publisher}, {"verantwoordelijke", in.Verantwoordelijke, &p.Verantwoordelijke}, {"opsteller", in.Opsteller, &p.Opsteller}} {
		if org.in == nil {
			continue
		}
		o, err := core.GetAs[Organisatie](ctx, s.DB, kindOrganisatie, *org.in)
		if err != nil || !o.IsActief {
			v.add(org.field, notFoundPK(*org.in))
		}
		*org.out = org.in
	}
	if in.Kenmerken != nil {
		for _, k := range *in.Kenmerken {
			if k.Kenmerk == "" || k.Bron == "" || len(k.Kenmerk) > 40 || len(k.Bron) > 40 {
				v.add("kenmerken", "Een kenmerk heeft een kenmerk en een bron van elk hoogstens 40 karakters.")
			}
		}
		p.Kenmerken = *in.Kenmerken
	}
	if in.EigenaarGroep != nil {
		p.EigenaarGroep = in.EigenaarGroep
	}
	if in.DatumBeginGeldigheid != nil {
		p.DatumBeginGeldigheid = in.DatumBeginGeldigheid
	}
	if in.DatumEindeGeldigheid != nil {
		p.DatumEindeGeldigheid = in.DatumEindeGeldigheid
	}
	if p.Publicatiestatus == statusGepubliceerd || p.Publicatiestatus == statusIngetrokken {
		if p.Publisher == nil {
			v.add("publisher", required)
		}
		if len(p.InformatieCategorieen) == 0 {
			v.add("informatieCategorieen", required)
		}
	}
	now := s.now()
	if p.Publicatiestatus == statusGepubliceerd && p.GepubliceerdOp == nil {
		p.GepubliceerdOp = &now
	}
	if p.Publicatiestatus == statusIngetrokken && p.IngetrokkenOp == nil {
		p.IngetrokkenOp = &now
	}
}

var publicPageHTML = template.Must(template.New("openbaar").Parse(`<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>{{.OfficieleTitel}}</title></head>
<body><main><h1>{{.OfficieleTitel}}</h1><p>{{.Omschrijving}}</p><p>Gepubliceerd op {{.GepubliceerdOp}}.</p></main></body></html>
`))

// publicPage stands in for the public portal a published publicatie's urlPublicatieExtern
// points to.
func (s *API) publicPage(w http.ResponseWriter, r *http.Request) {
	p, err := core.GetAs[Publicatie](r.Context(), s.DB, kindPublicatie, r.PathValue("uuid"))
	if err != nil || p.Publicatiestatus != statusGepubliceerd {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = publicPageHTML.Execute(w, struct {
		Publicatie
		GepubliceerdOp string
	}{p, (*p.GepubliceerdOp)[:10]})
}
