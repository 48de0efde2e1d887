package besluiten

import (
	"context"
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
	mux.HandleFunc("DELETE "+core.BesluitenRoot+"besluitinformatieobjecten/{uuid}", s.Write(s.documenten.DeleteLink("bio", "brc", "besluit", "besluitinformatieobject", nil)))
}

func (s *API) createBesluit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d, ok := core.ReadJSON(w, r)
	if !ok {
		return
	}
	v := &core.Validation{}
	v.Required(d, "verantwoordelijkeOrganisatie", "besluittype", "datum", "ingangsdatum")
	core.Fits[Besluit](v, d)
	v.Rsin(d, "verantwoordelijkeOrganisatie")
	for _, f := range besluitDates {
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
		s.sameZaaktype(ctx, v, zaak, core.Str(bt, "url"))
	}
	s.UniqueIdent(ctx, v, d, "besluit", "verantwoordelijkeOrganisatie")
	if v.Failed() {
		core.WriteInvalid(w, r, v)
		return
	}
	b, err := core.As[Besluit](d)
	if err != nil {
		core.WriteError(w, r, err)
		return
	}
	id := core.NewUUID()
	b.URL = core.BesluitenRoot + "besluiten/" + id
	if b.Identificatie == "" {
		if b.Identificatie, err = s.NextIdent(ctx, "besluit", "BESLUIT"); err != nil {
			core.WriteError(w, r, err)
			return
		}
	}
	b.VervalredenWeergave = vervalredenen[b.Vervalreden]
	if err := s.DB.Insert(ctx, "besluit", id, b.Zaak, b.Identificatie, b); err != nil {
		core.WriteError(w, r, err)
		return
	}
	if err := s.Audit(r, "brc", b.URL, "besluit", b.URL, "create", b.Identificatie, nil, core.DocOf(b)); err != nil {
		core.WriteError(w, r, err)
		return
	}
	if b.Zaak != "" {
		if err := s.linkedToZaak(r, b); err != nil {
			core.WriteError(w, r, err)
			return
		}
	}
	w.Header().Set("Location", core.Base(r)+b.URL)
	core.Render(w, r, http.StatusCreated, b)
}

// sameZaaktype refuses a besluittype that is not one of the zaak's zaaktype.
func (s *API) sameZaaktype(ctx context.Context, v *core.Validation, zaak core.Doc, besluittype string) {
	zt, err := s.DB.Get(ctx, "zaaktype", core.LastSegment(core.Str(zaak, "zaaktype")))
	if err != nil || !slices.Contains(core.Strs(zt, "besluittypen"), besluittype) {
		v.Add("nonFieldErrors", "zaaktype-mismatch", "Het besluittype hoort niet bij het zaaktype van de zaak.")
	}
}

// linkedToZaak follows a besluit now linked to its zaak: the Besluiten API mirrors the relation
// into the zaak (zaakbesluit, audited there), and the zaak's archive dates may follow it.
func (s *API) linkedToZaak(r *http.Request, b Besluit) error {
	if err := s.Audit(r, "zrc", b.Zaak, "zaakbesluit", b.URL, "create", b.Identificatie, nil, core.Doc{"besluit": b.URL}); err != nil {
		return err
	}
	return s.zaken.RederiveArchive(r.Context(), b.Zaak, besluitDerives...)
}

func (s *API) listBesluiten(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	origin := core.Base(r)
	all, err := core.QueryAs[Besluit](r.Context(), s.DB, "besluit", core.Local(q.Get("zaak"), origin), q.Get("identificatie"))
	if err != nil {
		core.WriteError(w, r, err)
		return
	}
	org, bt := q.Get("verantwoordelijkeOrganisatie"), core.Local(q.Get("besluittype"), origin)
	out := slices.DeleteFunc(all, func(b Besluit) bool {
		return org != "" && b.VerantwoordelijkeOrganisatie != org || bt != "" && b.Besluittype != bt ||
			!s.Readable(r, "besluit", core.DocOf(b))
	})
	core.RenderPageOf(s.Server, w, r, out)
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
		existing, err := core.QueryAs[BesluitInformatieObject](ctx, s.DB, "bio", core.Str(besluit, "url"), "")
		if err != nil {
			core.WriteError(w, r, err)
			return
		}
		if slices.ContainsFunc(existing, func(x BesluitInformatieObject) bool { return x.InformatieObject == core.Str(eio, "url") }) {
			v.Add("nonFieldErrors", "unique", "De velden besluit, informatieobject moeten een unieke set zijn.")
		}
	}
	if v.Failed() {
		core.WriteInvalid(w, r, v)
		return
	}
	id := core.NewUUID()
	bio := BesluitInformatieObject{URL: core.BesluitenRoot + "besluitinformatieobjecten/" + id,
		Besluit: core.Str(besluit, "url"), InformatieObject: core.Str(eio, "url")}
	if err := s.DB.Insert(ctx, "bio", id, bio.Besluit, "", bio); err != nil {
		core.WriteError(w, r, err)
		return
	}
	if err := s.documenten.MirrorLink(ctx, "besluit", bio.Besluit, bio.InformatieObject); err != nil {
		core.WriteError(w, r, err)
		return
	}
	if err := s.Audit(r, "brc", bio.Besluit, "besluitinformatieobject", bio.URL, "create", "", nil, core.DocOf(bio)); err != nil {
		core.WriteError(w, r, err)
		return
	}
	w.Header().Set("Location", core.Base(r)+bio.URL)
	core.Render(w, r, http.StatusCreated, bio)
}

// updateBesluit serves PUT (the whole besluit) and PATCH (some fields: e.g. linking a besluit
// registered on its own to the zaak it belongs to). Its besluittype, identificatie and
// verantwoordelijkeOrganisatie do not change; what a PUT leaves out keeps its value.
func (s *API) updateBesluit(partial bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		b, ok := core.FoundAs[Besluit](s.Server, w, r, "besluit")
		if !ok {
			return
		}
		body, ok := core.ReadJSON(w, r)
		if !ok {
			return
		}
		was := core.DocOf(b)
		v := &core.Validation{}
		changedFixed := core.Fixed(v, body, was, besluitFixed...)
		if !partial { // a field that may not change is refused for that, not for being empty
			for _, f := range []string{"verantwoordelijkeOrganisatie", "besluittype", "datum", "ingangsdatum"} {
				if !changedFixed[f] {
					v.Required(body, f)
				}
			}
		}
		core.Fits[Besluit](v, body)
		for _, f := range besluitDates {
			v.Date(body, f)
		}
		v.MaxLen(body, "toelichting", 1000)
		v.MaxLen(body, "bestuursorgaan", 50)
		v.OneOf(body, "vervalreden", slices.Collect(maps.Keys(vervalredenen))...)
		var zaak core.Doc
		if z, present := body["zaak"]; present && z != "" {
			if zaak = s.Resource(r, v, body, "zaak", "zaak", core.ZakenRoot+"zaken/"); zaak != nil {
				s.sameZaaktype(ctx, v, zaak, b.Besluittype)
			}
		}
		if v.Failed() {
			core.WriteInvalid(w, r, v)
			return
		}
		changed := core.Doc{}
		for f, x := range body {
			if f != "url" && f != "vervalredenWeergave" && !slices.Contains(besluitFixed, f) {
				changed[f] = x
			}
		}
		wasZaak := b.Zaak
		if err := core.Apply(&b, changed); err != nil {
			core.WriteError(w, r, err)
			return
		}
		b.VervalredenWeergave = vervalredenen[b.Vervalreden]
		if err := s.DB.UpdateIndexed(ctx, core.LastSegment(b.URL), b.Zaak, b.Identificatie, b); err != nil {
			core.WriteError(w, r, err)
			return
		}
		actie := "update"
		if partial {
			actie = "partial_update"
		}
		old := core.Doc{}
		for f := range changed {
			old[f] = was[f]
		}
		if err := s.Audit(r, "brc", b.URL, "besluit", b.URL, actie, b.Identificatie, old, changed); err != nil {
			core.WriteError(w, r, err)
			return
		}
		if b.Zaak != "" && b.Zaak != wasZaak {
			err := s.linkedToZaak(r, b)
			if err != nil {
				core.WriteError(w, r, err)
				return
			}
		} else if err := s.zaken.RederiveArchive(ctx, b.Zaak, besluitDerives...); err != nil {
			core.WriteError(w, r, err)
			return
		}
		core.Render(w, r, http.StatusOK, b)
	}
}
