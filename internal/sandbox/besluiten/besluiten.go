package besluiten

import (
	"maps"
	"net/http"
	"slices"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/core"
)

// Routes mounts the API's operations on mux.
func (s *API) Routes(mux *http.ServeMux) {
	mux.HandleFunc("POST "+core.BesluitenRoot+"besluiten", s.Write(s.createBesluit))
	mux.HandleFunc("GET "+core.BesluitenRoot+"besluiten", s.listBesluiten)
	mux.HandleFunc("GET "+core.BesluitenRoot+"besluiten/{uuid}", s.GetHandler("besluit"))
	mux.HandleFunc("PATCH "+core.BesluitenRoot+"besluiten/{uuid}", s.Write(s.updateBesluit(true)))
	mux.HandleFunc("PUT "+core.BesluitenRoot+"besluiten/{uuid}", s.Write(s.updateBesluit(false)))
	mux.HandleFunc("GET "+core.BesluitenRoot+"besluiten/{uuid}/audittrail", s.AuditTrail("besluit", core.BesluitenRoot+"besluiten/"))
	mux.HandleFunc("POST "+core.BesluitenRoot+"besluitinformatieobjecten", s.Write(s.createBIO))
	mux.HandleFunc("GET "+core.BesluitenRoot+"besluitinformatieobjecten", s.ListBy("bio", "besluit", false, "informatieobject"))
	mux.HandleFunc("GET "+core.BesluitenRoot+"besluitinformatieobjecten/{uuid}", s.GetHandler("bio"))
	mux.HandleFunc("DELETE "+core.BesluitenRoot+"besluitinformatieobjecten/{uuid}", s.Write(s.documenten.DeleteLink("bio", "brc", "besluit", "besluitinformatieobject")))
}

func (s *API) createBesluit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d, ok := core.ReadJSON(w, r)
	if !ok {
		return
	}
	v := &core.Validation{}
	v.Required(d, "verantwoordelijkeOrganisatie", "besluittype", "datum", "ingangsdatum")
	v.Rsin(d, "verantwoordelijkeOrganisatie")
	for _, f := range []string{"datum", "ingangsdatum", "vervaldatum", "publicatiedatum", "verzenddatum", "uiterlijkeReactiedatum"} {
		v.Date(d, f)
	}
	v.MaxLen(d, "identificatie", 50)
	v.OneOf(d, "vervalreden", slices.Collect(maps.Keys(vervalredenen))...)
	bt := s.Resource(r, v, d, "besluittype", "besluittype", core.CatalogiRoot+"besluittypen/")
	if bt != nil && core.Boolean(bt, "concept") {
		v.Add("besluittype", "not-published", "Het besluittype is niet gepubliceerd.")
	}
	if bt != nil && !core.GrantOf(r).May("brc", []string{"besluiten.aanmaken"}, core.Str(bt, "url"), "") {
		core.Forbidden(w, r, "De applicatie heeft de scope besluiten.aanmaken niet voor dit besluittype.")
		return
	}
	zaak := s.Resource(r, v, d, "zaak", "zaak", core.ZakenRoot+"zaken/")
	if zaak != nil && bt != nil {
		zt, err := s.DB.Get(ctx, "zaaktype", core.LastSegment(core.Str(zaak, "zaaktype")))
		if err != nil || !slices.Contains(core.Strs(zt, "besluittypen"), core.Str(bt, "url")) {
			v.Add("nonFieldErrors", "zaaktype-mismatch", "Het besluittype hoort niet bij het zaaktype van de zaak.")
		}
	}
	s.UniqueIdent(ctx, v, d, "besluit", "verantwoordelijkeOrganisatie")
	if v.Failed() {
		core.WriteInvalid(w, r, v)
		return
	}
	id := core.NewUUID()
	self := core.BesluitenRoot + "besluiten/" + id
	if err := s.AssignIdent(ctx, d, "besluit", "BESLUIT"); err != nil {
		core.WriteError(w, r, err)
		return
	}
	core.Defaults(d, core.Doc{"zaak": "", "toelichting": "", "bestuursorgaan": "", "vervaldatum": nil,
		"publicatiedatum": nil, "verzenddatum": nil, "uiterlijkeReactiedatum": nil, "vervalreden": ""})
	d["vervalredenWeergave"] = vervalredenen[core.Str(d, "vervalreden")]
	d["url"] = self
	if err := s.DB.Insert(ctx, "besluit", id, core.Str(d, "zaak"), core.Str(d, "identificatie"), d); err != nil {
		core.WriteError(w, r, err)
		return
	}
	if err := s.Audit(r, "brc", self, "besluit", self, "create", core.Str(d, "identificatie"), nil, d); err != nil {
		core.WriteError(w, r, err)
		return
	}
	if zaak != nil {
		// The Besluiten API mirrors the relation into the zaak (zaakbesluit), audited there.
		if err := s.Audit(r, "zrc", core.Str(zaak, "url"), "zaakbesluit", self, "create", core.Str(d, "identificatie"), nil, core.Doc{"besluit": self}); err != nil {
			core.WriteError(w, r, err)
			return
		}
		if err := s.zaken.RederiveArchive(ctx, core.Str(zaak, "url"), besluitDerives...); err != nil {
			core.WriteError(w, r, err)
			return
		}
	}
	w.Header().Set("Location", core.Base(r)+self)
	core.Render(w, r, http.StatusCreated, d)
}

func (s *API) listBesluiten(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	origin := core.Base(r)
	all, err := s.DB.Query(r.Context(), "besluit", core.Local(q.Get("zaak"), origin), q.Get("identificatie"))
	if err != nil {
		core.WriteError(w, r, err)
		return
	}
	var out []core.Doc
	for _, d := range all {
		if o := q.Get("verantwoordelijkeOrganisatie"); o != "" && core.Str(d, "verantwoordelijkeOrganisatie") != o {
			continue
		}
		if bt := q.Get("besluittype"); bt != "" && core.Str(d, "besluittype") != core.Local(bt, origin) || !s.Readable(r, "besluit", d) {
			continue
		}
		out = append(out, d)
	}
	s.RenderPage(w, r, out)
}

func (s *API) createBIO(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d, ok := core.ReadJSON(w, r)
	if !ok {
		return
	}
	v := &core.Validation{}
	v.Required(d, "besluit", "informatieobject")
	besluit := s.Resource(r, v, d, "besluit", "besluit", core.BesluitenRoot+"besluiten/")
	eio := s.Resource(r, v, d, "informatieobject", "eio", core.DocumentenRoot+"enkelvoudiginformatieobjecten/")
	if besluit != nil && eio != nil {
		bt, err := s.DB.Get(ctx, "besluittype", core.LastSegment(core.Str(besluit, "besluittype")))
		if err != nil || !slices.Contains(core.Strs(bt, "informatieobjecttypen"), core.Str(eio, "informatieobjecttype")) {
			v.Add("nonFieldErrors", "missing-besluittype-informatieobjecttype-relation",
				"Het informatieobjecttype hoort niet bij het besluittype van het besluit.")
		}
		existing, err := s.DB.Query(ctx, "bio", core.Str(besluit, "url"), "")
		if err != nil {
			core.WriteError(w, r, err)
			return
		}
		for _, x := range existing {
			if core.Str(x, "informatieobject") == core.Str(eio, "url") {
				v.Add("nonFieldErrors", "unique", "De velden besluit, informatieobject moeten een unieke set zijn.")
				break
			}
		}
	}
	if v.Failed() {
		core.WriteInvalid(w, r, v)
		return
	}
	id := core.NewUUID()
	self := core.BesluitenRoot + "besluitinformatieobjecten/" + id
	d["url"] = self
	if err := s.DB.Insert(ctx, "bio", id, core.Str(d, "besluit"), "", d); err != nil {
		core.WriteError(w, r, err)
		return
	}
	if err := s.documenten.MirrorLink(ctx, "besluit", core.Str(besluit, "url"), core.Str(eio, "url")); err != nil {
		core.WriteError(w, r, err)
		return
	}
	if err := s.Audit(r, "brc", core.Str(besluit, "url"), "besluitinformatieobject", self, "create", "", nil, d); err != nil {
		core.WriteError(w, r, err)
		return
	}
	w.Header().Set("Location", core.Base(r)+self)
	core.Render(w, r, http.StatusCreated, d)
}

// vervalredenen are the vervalreden choices with their weergave ("": none, as Open Zaak answers
// a besluit without one).
var vervalredenen = map[string]string{"": "", "tijdelijk": "Besluit met tijdelijke werking",
	"ingetrokken_overheid": "Besluit ingetrokken door overheid", "ingetrokken_belanghebbende": "Besluit ingetrokken o.v.v. belanghebbende"}

// besluitDerives are the afleidingswijzen that take a zaak's archive dates from its besluiten.
var besluitDerives = []string{"ingangsdatum_besluit", "vervaldatum_besluit"}

// besluitFixed are the fields of a besluit that never change after it is made.
var besluitFixed = []string{"besluittype", "identificatie", "verantwoordelijkeOrganisatie"}

// updateBesluit serves PUT (the whole besluit) and PATCH (some fields: e.g. linking a besluit
// registered on its own to the zaak it belongs to). Its besluittype, identificatie and
// verantwoordelijkeOrganisatie do not change.
func (s *API) updateBesluit(partial bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		d, body, ok := s.FoundWithBody(w, r, "besluit")
		if !ok {
			return
		}
		v := &core.Validation{}
		changedFixed := core.Fixed(v, body, d, besluitFixed...)
		if !partial { // a field that may not change is refused for that, not for being empty
			for _, f := range []string{"verantwoordelijkeOrganisatie", "besluittype", "datum", "ingangsdatum"} {
				if !changedFixed[f] {
					v.Required(body, f)
				}
			}
		}
		for _, f := range []string{"datum", "ingangsdatum", "vervaldatum", "publicatiedatum", "verzenddatum", "uiterlijkeReactiedatum"} {
			v.Date(body, f)
		}
		v.MaxLen(body, "toelichting", 1000)
		v.MaxLen(body, "bestuursorgaan", 50)
		v.OneOf(body, "vervalreden", slices.Collect(maps.Keys(vervalredenen))...)
		var zaak core.Doc
		if z, present := body["zaak"]; present && z != "" && z != nil {
			zaak = s.Resource(r, v, body, "zaak", "zaak", core.ZakenRoot+"zaken/")
			if zaak != nil {
				zt, err := s.DB.Get(ctx, "zaaktype", core.LastSegment(core.Str(zaak, "zaaktype")))
				if err != nil || !slices.Contains(core.Strs(zt, "besluittypen"), core.Str(d, "besluittype")) {
					v.Add("nonFieldErrors", "zaaktype-mismatch", "Het besluittype hoort niet bij het zaaktype van de zaak.")
				}
			}
		}
		if v.Failed() {
			core.WriteInvalid(w, r, v)
			return
		}
		old, changed := core.Doc{}, core.Doc{}
		for f, x := range body {
			if f == "url" || f == "vervalredenWeergave" || slices.Contains(besluitFixed, f) {
				continue
			}
			old[f], d[f], changed[f] = d[f], x, x
		}
		d["vervalredenWeergave"] = vervalredenen[core.Str(d, "vervalreden")]
		if err := s.DB.UpdateIndexed(ctx, core.LastSegment(core.Str(d, "url")), core.Str(d, "zaak"), core.Str(d, "identificatie"), d); err != nil {
			core.WriteError(w, r, err)
			return
		}
		actie := "update"
		if partial {
			actie = "partial_update"
		}
		if err := s.Audit(r, "brc", core.Str(d, "url"), "besluit", core.Str(d, "url"), actie, core.Str(d, "identificatie"), old, changed); err != nil {
			core.WriteError(w, r, err)
			return
		}
		if zaak != nil && core.Str(old, "zaak") != core.Str(zaak, "url") {
			if err := s.Audit(r, "zrc", core.Str(zaak, "url"), "zaakbesluit", core.Str(d, "url"), "create", core.Str(d, "identificatie"), nil, core.Doc{"besluit": core.Str(d, "url")}); err != nil {
				core.WriteError(w, r, err)
				return
			}
		}
		if err := s.zaken.RederiveArchive(ctx, core.Str(d, "zaak"), besluitDerives...); err != nil {
			core.WriteError(w, r, err)
			return
		}
		core.Render(w, r, http.StatusOK, d)
	}
}
