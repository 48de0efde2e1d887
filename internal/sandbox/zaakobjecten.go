package sandbox

import (
	"fmt"
	"net/http"
	"slices"
)

// The zaak's other parts: zaakobjecten (what the zaak is about), klantcontacten and
// zaakeigenschappen (values of the zaaktype's eigenschappen). Like statussen and rollen they
// change a closed zaak only with zaken.geforceerd-bijwerken, go with a deleted zaak and feed the
// archive derivation (afleidingswijze zaakobject and eigenschap).

func (s *Server) zaakObjectenRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST "+zakenRoot+"zaakobjecten", s.write(s.createZaakPart(zaakobjectPart)))
	mux.HandleFunc("GET "+zakenRoot+"zaakobjecten", s.listBy("zaakobject", "zaak", true, "object"))
	mux.HandleFunc("GET "+zakenRoot+"zaakobjecten/{uuid}", s.getHandler("zaakobject"))
	mux.HandleFunc("PUT "+zakenRoot+"zaakobjecten/{uuid}", s.write(s.updateZaakobject(false)))
	mux.HandleFunc("PATCH "+zakenRoot+"zaakobjecten/{uuid}", s.write(s.updateZaakobject(true)))
	mux.HandleFunc("DELETE "+zakenRoot+"zaakobjecten/{uuid}", s.write(s.guardClosed("zaakobject", s.deleteZaakPart("zaakobject", "zaakobject", "zaakobjecten"))))

	mux.HandleFunc("POST "+zakenRoot+"klantcontacten", s.write(s.createZaakPart(klantcontactPart)))
	mux.HandleFunc("GET "+zakenRoot+"klantcontacten", s.listBy("klantcontact", "zaak", true, ""))
	mux.HandleFunc("GET "+zakenRoot+"klantcontacten/{uuid}", s.getHandler("klantcontact"))

	nested := zakenRoot + "zaken/{zaak_uuid}/zaakeigenschappen"
	mux.HandleFunc("POST "+nested, s.write(s.createZaakPart(zaakeigenschapPart)))
	mux.HandleFunc("GET "+nested, s.listZaakeigenschappen)
	mux.HandleFunc("GET "+nested+"/{uuid}", s.getHandler("zaakeigenschap"))
	mux.HandleFunc("DELETE "+nested+"/{uuid}", s.write(s.guardClosed("zaakeigenschap",
		s.deleteZaakPart("zaakeigenschap", "zaakeigenschap", "eigenschappen"))))
}

// zaakPart describes one kind of part for createZaakPart.
type zaakPart struct {
	kind, collection, zaakField string // zaakField: the zaak's list of them ("" for none)
	single                      bool   // zaakField holds the one part (resultaat), not a list
	required                    []string
	defaults                    func() doc
	// check validates what the generic checks do not (zaak: the part's zaak, when it exists).
	check func(s *Server, r *http.Request, v *validation, d, zaak doc)
	// derives is the afleidingswijze of the archive procedure that takes its date from such a
	// part: a new one may fill in a closed zaak's archiefactiedatum.
	derives string
}

var zaakobjectTypes = []string{"adres", "besluit", "buurt", "enkelvoudig_document", "gemeente", "gemeentelijke_openbare_ruimte",
	"huishouden", "inrichtingselement", "kadastrale_onroerende_zaak", "kunstwerkdeel", "maatschappelijke_activiteit", "medewerker",
	"natuurlijk_persoon", "niet_natuurlijk_persoon", "openbare_ruimte", "organisatorische_eenheid", "pand", "spoorbaandeel", "status",
	"terreindeel", "terrein_gebouwd_object", "vestiging", "waterdeel", "wegdeel", "wijk", "woonplaats", "woz_deelobject", "woz_object",
	"woz_waarde", "zakelijk_recht", "overige"}

var zaakobjectPart = zaakPart{
	kind: "zaakobject", collection: "zaakobjecten", zaakField: "zaakobjecten", required: []string{"zaak", "objectType"}, derives: "zaakobject",
	defaults: func() doc {
		return doc{"object": "", "zaakobjecttype": nil, "relatieomschrijving": "", "objectTypeOverigeDefinitie": nil}
	},
	check: func(_ *Server, _ *http.Request, v *validation, d, _ doc) {
		v.oneOf(d, "objectType", zaakobjectTypes...)
		// Open Zaak reads field names in snake_case as their camelCase (overige_data is overigeData).
		if id, ok := d["objectIdentificatie"].(map[string]any); ok && id["overigeData"] == nil && id["overige_data"] != nil {
			id["overigeData"] = id["overige_data"]
			delete(id, "overige_data")
		}
		if str(d, "object") == "" && d["objectIdentificatie"] == nil {
			v.add("nonFieldErrors", "invalid-zaakobject", "object of objectIdentificatie is vereist.")
		}
		if str(d, "objectType") == "overige" && str(d, "objectTypeOverige") == "" {
			v.add("objectTypeOverige", "required", "Dit veld is vereist bij objectType overige.")
		}
	},
}

var klantcontactPart = zaakPart{
	kind: "klantcontact", collection: "klantcontacten", required: []string{"zaak", "datumtijd"},
	defaults: func() doc { return doc{"kanaal": "", "onderwerp": "", "toelichting": ""} },
	check: func(s *Server, r *http.Request, v *validation, d, _ doc) {
		v.dateTimes(d, "datumtijd")
		if !v.failed() && str(d, "identificatie") == "" {
			// The identificatie has at most 14 characters: KC and a number of twelve digits.
			if n, err := s.db.next(r.Context(), "klantcontact"); err == nil {
				d["identificatie"] = fmt.Sprintf("KC%012d", n)
			}
		}
	},
}

var zaakeigenschapPart = zaakPart{
	kind: "zaakeigenschap", collection: "zaakeigenschappen", zaakField: "eigenschappen", required: []string{"eigenschap", "waarde"}, derives: "eigenschap",
	defaults: func() doc { return doc{} },
	check: func(s *Server, r *http.Request, v *validation, d, zaak doc) {
		e := s.resource(r, v, d, "eigenschap", "eigenschap", catalogiRoot+"eigenschappen/")
		if e != nil && zaak != nil && str(e, "zaaktype") != str(zaak, "zaaktype") {
			v.add("nonFieldErrors", "zaaktype-mismatch", "De eigenschap hoort niet bij het zaaktype van de zaak.")
		}
		if e != nil {
			d["naam"] = str(e, "naam")
		}
	},
}

// createZaakPart serves POST of a resultaat, zaakobject, klantcontact or zaakeigenschap.
func (s *Server) createZaakPart(p zaakPart) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		d, ok := readJSON(w, r)
		if !ok {
			return
		}
		if id := r.PathValue("zaak_uuid"); id != "" {
			d["zaak"] = zakenRoot + "zaken/" + id // nested: the path names the zaak
		}
		v := &validation{}
		v.required(d, p.required...)
		zaak := s.resource(r, v, d, "zaak", "zaak", zakenRoot+"zaken/")
		p.check(s, r, v, d, zaak)
		if v.failed() {
			writeInvalid(w, r, v)
			return
		}
		if s.refusedOnClosed(w, r, zaak) {
			return
		}
		id := newUUID()
		self := zakenRoot + p.collection + "/" + id
		if p.kind == "zaakeigenschap" {
			self = str(zaak, "url") + "/zaakeigenschappen/" + id
		}
		defaults(d, p.defaults())
		d["url"], d["uuid"] = self, id
		if err := s.db.insert(ctx, p.kind, id, str(d, "zaak"), "", d); err != nil {
			writeError(w, r, err)
			return
		}
		if p.zaakField != "" {
			if p.single {
				zaak[p.zaakField] = self
			} else {
				zaak[p.zaakField] = append(anyList(zaak[p.zaakField]), self)
			}
			if err := s.db.update(ctx, str(zaak, "uuid"), zaak); err != nil {
				writeError(w, r, err)
				return
			}
		}
		if err := s.audit(r, "zrc", str(zaak, "url"), p.kind, self, "create", "", nil, d); err != nil {
			writeError(w, r, err)
			return
		}
		if p.derives != "" {
			if err := s.rederiveArchive(ctx, str(zaak, "url"), p.derives); err != nil {
				writeError(w, r, err)
				return
			}
		}
		w.Header().Set("Location", base(r)+self)
		render(w, r, http.StatusCreated, d)
	}
}

// updateZaakobject serves PUT and PATCH of a zaakobject; its zaak does not change.
func (s *Server) updateZaakobject(partial bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		old, in, ok := s.foundWithBody(w, r, "zaakobject")
		if !ok {
			return
		}
		d := in
		if partial {
			d = withChanges(old, in, "object", "objectType", "objectIdentificatie", "objectTypeOverige", "relatieomschrijving", "zaakobjecttype")
		}
		v := &validation{}
		fixed(v, in, old, "zaak")
		v.required(d, "zaak", "objectType")
		zaakobjectPart.check(s, r, v, d, nil)
		if v.failed() {
			writeInvalid(w, r, v)
			return
		}
		if s.refusedOnClosed(w, r, s.zaakOf(r.Context(), old)) {
			return
		}
		defaults(d, zaakobjectPart.defaults())
		d["url"], d["uuid"] = old["url"], old["uuid"]
		if err := s.storeUpdate(r, partial, "zrc", str(old, "zaak"), "zaakobject", "", old, d); err != nil {
			writeError(w, r, err)
			return
		}
		if err := s.rederiveArchive(r.Context(), str(old, "zaak"), zaakobjectPart.derives); err != nil {
			writeError(w, r, err)
			return
		}
		render(w, r, http.StatusOK, d)
	}
}

// listZaakeigenschappen serves GET of a zaak's eigenschappen (a plain list).
func (s *Server) listZaakeigenschappen(w http.ResponseWriter, r *http.Request) {
	all, err := s.db.query(r.Context(), "zaakeigenschap", zakenRoot+"zaken/"+r.PathValue("zaak_uuid"), "")
	if err != nil {
		writeError(w, r, err)
		return
	}
	slices.Reverse(all) // newest first, as Open Zaak lists them
	renderList(w, r, all)
}
