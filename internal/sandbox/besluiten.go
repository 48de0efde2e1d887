package sandbox

import (
	"net/http"
	"slices"
)

func (s *Server) besluitenRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST "+besluitenRoot+"besluiten", s.write(s.createBesluit))
	mux.HandleFunc("GET "+besluitenRoot+"besluiten", s.listBesluiten)
	mux.HandleFunc("GET "+besluitenRoot+"besluiten/{uuid}", s.getHandler("besluit"))
	mux.HandleFunc("PATCH "+besluitenRoot+"besluiten/{uuid}", s.write(s.updateBesluit(true)))
	mux.HandleFunc("PUT "+besluitenRoot+"besluiten/{uuid}", s.write(s.updateBesluit(false)))
	mux.HandleFunc("GET "+besluitenRoot+"besluiten/{uuid}/audittrail", s.auditTrail("besluit", besluitenRoot+"besluiten/"))
	mux.HandleFunc("POST "+besluitenRoot+"besluitinformatieobjecten", s.write(s.createBIO))
	mux.HandleFunc("GET "+besluitenRoot+"besluitinformatieobjecten", s.listBy("bio", "besluit", false, "informatieobject"))
	mux.HandleFunc("GET "+besluitenRoot+"besluitinformatieobjecten/{uuid}", s.getHandler("bio"))
	mux.HandleFunc("DELETE "+besluitenRoot+"besluitinformatieobjecten/{uuid}", s.write(s.deleteLink("bio", "brc", "besluit", "besluitinformatieobject")))
}

func (s *Server) createBesluit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d, ok := readJSON(w, r)
	if !ok {
		return
	}
	v := &validation{}
	v.required(d, "verantwoordelijkeOrganisatie", "besluittype", "datum", "ingangsdatum")
	v.rsin(d, "verantwoordelijkeOrganisatie")
	for _, f := range []string{"datum", "ingangsdatum", "vervaldatum", "publicatiedatum", "verzenddatum", "uiterlijkeReactiedatum"} {
		v.date(d, f)
	}
	v.maxLen(d, "identificatie", 50)
	bt := s.resource(r, v, d, "besluittype", "besluittype", catalogiRoot+"besluittypen/")
	if bt != nil && boolean(bt, "concept") {
		v.add("besluittype", "not-published", "Het besluittype is niet gepubliceerd.")
	}
	if bt != nil && !grantOf(r).may("brc", []string{"besluiten.aanmaken"}, str(bt, "url"), "") {
		forbidden(w, r, "De applicatie heeft de scope besluiten.aanmaken niet voor dit besluittype.")
		return
	}
	zaak := s.resource(r, v, d, "zaak", "zaak", zakenRoot+"zaken/")
	if zaak != nil && bt != nil {
		zt, err := s.db.get(ctx, "zaaktype", lastSegment(str(zaak, "zaaktype")))
		if err != nil || !slices.Contains(strs(zt, "besluittypen"), str(bt, "url")) {
			v.add("nonFieldErrors", "zaaktype-mismatch", "Het besluittype hoort niet bij het zaaktype van de zaak.")
		}
	}
	s.uniqueIdent(ctx, v, d, "besluit", "verantwoordelijkeOrganisatie")
	if v.failed() {
		writeInvalid(w, r, v)
		return
	}
	id := newUUID()
	self := besluitenRoot + "besluiten/" + id
	if err := s.assignIdent(ctx, d, "besluit", "BESLUIT"); err != nil {
		writeError(w, r, err)
		return
	}
	defaults(d, doc{"zaak": "", "toelichting": "", "bestuursorgaan": "", "vervaldatum": nil,
		"publicatiedatum": nil, "verzenddatum": nil, "uiterlijkeReactiedatum": nil})
	d["url"] = self
	if err := s.db.insert(ctx, "besluit", id, str(d, "zaak"), str(d, "identificatie"), d); err != nil {
		writeError(w, r, err)
		return
	}
	if err := s.audit(r, "brc", self, "besluit", self, "create", str(d, "identificatie"), nil, d); err != nil {
		writeError(w, r, err)
		return
	}
	if zaak != nil {
		// The Besluiten API mirrors the relation into the zaak (zaakbesluit), audited there.
		if err := s.audit(r, "zrc", str(zaak, "url"), "zaakbesluit", self, "create", str(d, "identificatie"), nil, doc{"besluit": self}); err != nil {
			writeError(w, r, err)
			return
		}
		if err := s.rederiveArchive(ctx, str(zaak, "url"), besluitDerives...); err != nil {
			writeError(w, r, err)
			return
		}
	}
	w.Header().Set("Location", base(r)+self)
	render(w, r, http.StatusCreated, d)
}

func (s *Server) listBesluiten(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	origin := base(r)
	all, err := s.db.query(r.Context(), "besluit", local(q.Get("zaak"), origin), q.Get("identificatie"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	var out []doc
	for _, d := range all {
		if o := q.Get("verantwoordelijkeOrganisatie"); o != "" && str(d, "verantwoordelijkeOrganisatie") != o {
			continue
		}
		if bt := q.Get("besluittype"); bt != "" && str(d, "besluittype") != local(bt, origin) || !s.readable(r, "besluit", d) {
			continue
		}
		out = append(out, d)
	}
	s.renderPage(w, r, out)
}

func (s *Server) createBIO(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d, ok := readJSON(w, r)
	if !ok {
		return
	}
	v := &validation{}
	v.required(d, "besluit", "informatieobject")
	besluit := s.resource(r, v, d, "besluit", "besluit", besluitenRoot+"besluiten/")
	eio := s.resource(r, v, d, "informatieobject", "eio", documentenRoot+"enkelvoudiginformatieobjecten/")
	if besluit != nil && eio != nil {
		bt, err := s.db.get(ctx, "besluittype", lastSegment(str(besluit, "besluittype")))
		if err != nil || !slices.Contains(strs(bt, "informatieobjecttypen"), str(eio, "informatieobjecttype")) {
			v.add("nonFieldErrors", "missing-besluittype-informatieobjecttype-relation",
				"Het informatieobjecttype hoort niet bij het besluittype van het besluit.")
		}
		existing, err := s.db.query(ctx, "bio", str(besluit, "url"), "")
		if err != nil {
			writeError(w, r, err)
			return
		}
		for _, x := range existing {
			if str(x, "informatieobject") == str(eio, "url") {
				v.add("nonFieldErrors", "unique", "De velden besluit, informatieobject moeten een unieke set zijn.")
				break
			}
		}
	}
	if v.failed() {
		writeInvalid(w, r, v)
		return
	}
	id := newUUID()
	self := besluitenRoot + "besluitinformatieobjecten/" + id
	d["url"] = self
	if err := s.db.insert(ctx, "bio", id, str(d, "besluit"), "", d); err != nil {
		writeError(w, r, err)
		return
	}
	if err := s.mirrorLink(ctx, "besluit", str(besluit, "url"), str(eio, "url")); err != nil {
		writeError(w, r, err)
		return
	}
	if err := s.audit(r, "brc", str(besluit, "url"), "besluitinformatieobject", self, "create", "", nil, d); err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Location", base(r)+self)
	render(w, r, http.StatusCreated, d)
}

// besluitDerives are the afleidingswijzen that take a zaak's archive dates from its besluiten.
var besluitDerives = []string{"ingangsdatum_besluit", "vervaldatum_besluit"}

// besluitFixed are the fields of a besluit that never change after it is made.
var besluitFixed = []string{"besluittype", "identificatie", "verantwoordelijkeOrganisatie"}

// updateBesluit serves PUT (the whole besluit) and PATCH (some fields: e.g. linking a besluit
// registered on its own to the zaak it belongs to). Its besluittype, identificatie and
// verantwoordelijkeOrganisatie do not change.
func (s *Server) updateBesluit(partial bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		d, body, ok := s.foundWithBody(w, r, "besluit")
		if !ok {
			return
		}
		v := &validation{}
		changedFixed := fixed(v, body, d, besluitFixed...)
		if !partial { // a field that may not change is refused for that, not for being empty
			for _, f := range []string{"verantwoordelijkeOrganisatie", "besluittype", "datum", "ingangsdatum"} {
				if !changedFixed[f] {
					v.required(body, f)
				}
			}
		}
		for _, f := range []string{"datum", "ingangsdatum", "vervaldatum", "publicatiedatum", "verzenddatum", "uiterlijkeReactiedatum"} {
			v.date(body, f)
		}
		v.maxLen(body, "toelichting", 1000)
		v.maxLen(body, "bestuursorgaan", 50)
		var zaak doc
		if z, present := body["zaak"]; present && z != "" && z != nil {
			zaak = s.resource(r, v, body, "zaak", "zaak", zakenRoot+"zaken/")
			if zaak != nil {
				zt, err := s.db.get(ctx, "zaaktype", lastSegment(str(zaak, "zaaktype")))
				if err != nil || !slices.Contains(strs(zt, "besluittypen"), str(d, "besluittype")) {
					v.add("nonFieldErrors", "zaaktype-mismatch", "Het besluittype hoort niet bij het zaaktype van de zaak.")
				}
			}
		}
		if v.failed() {
			writeInvalid(w, r, v)
			return
		}
		old, changed := doc{}, doc{}
		for f, x := range body {
			if f == "url" || slices.Contains(besluitFixed, f) {
				continue
			}
			old[f], d[f], changed[f] = d[f], x, x
		}
		if err := s.db.updateIndexed(ctx, lastSegment(str(d, "url")), str(d, "zaak"), str(d, "identificatie"), d); err != nil {
			writeError(w, r, err)
			return
		}
		actie := "update"
		if partial {
			actie = "partial_update"
		}
		if err := s.audit(r, "brc", str(d, "url"), "besluit", str(d, "url"), actie, str(d, "identificatie"), old, changed); err != nil {
			writeError(w, r, err)
			return
		}
		if zaak != nil && str(old, "zaak") != str(zaak, "url") {
			if err := s.audit(r, "zrc", str(zaak, "url"), "zaakbesluit", str(d, "url"), "create", str(d, "identificatie"), nil, doc{"besluit": str(d, "url")}); err != nil {
				writeError(w, r, err)
				return
			}
		}
		if err := s.rederiveArchive(ctx, str(d, "zaak"), besluitDerives...); err != nil {
			writeError(w, r, err)
			return
		}
		render(w, r, http.StatusOK, d)
	}
}
