package zaken

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/core"
)

// The zaak's other parts: zaakobjecten (what the zaak is about), klantcontacten and
// zaakeigenschappen (values of the zaaktype's eigenschappen). Like statussen and rollen they
// change a closed zaak only with zaken.geforceerd-bijwerken, go with a deleted zaak and feed the
// archive derivation (afleidingswijze zaakobject and eigenschap).

func (s *API) zaakObjectenRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST "+core.ZakenRoot+"zaakobjecten", s.Write(s.createZaakPart(zaakobjectPart)))
	mux.HandleFunc("GET "+core.ZakenRoot+"zaakobjecten", s.ListBy("zaakobject", "zaak", true, "object"))
	mux.HandleFunc("GET "+core.ZakenRoot+"zaakobjecten/{uuid}", s.GetHandler("zaakobject"))
	mux.HandleFunc("PUT "+core.ZakenRoot+"zaakobjecten/{uuid}", s.Write(s.updateZaakobject(false)))
	mux.HandleFunc("PATCH "+core.ZakenRoot+"zaakobjecten/{uuid}", s.Write(s.updateZaakobject(true)))
	mux.HandleFunc("DELETE "+core.ZakenRoot+"zaakobjecten/{uuid}", s.Write(s.GuardClosed("zaakobject", s.deleteZaakPart("zaakobject", "zaakobject", "zaakobjecten"))))

	mux.HandleFunc("POST "+core.ZakenRoot+"klantcontacten", s.Write(s.createZaakPart(klantcontactPart)))
	mux.HandleFunc("GET "+core.ZakenRoot+"klantcontacten", s.ListBy("klantcontact", "zaak", true, ""))
	mux.HandleFunc("GET "+core.ZakenRoot+"klantcontacten/{uuid}", s.GetHandler("klantcontact"))

	nested := core.ZakenRoot + "zaken/{zaak_uuid}/zaakeigenschappen"
	mux.HandleFunc("POST "+nested, s.Write(s.createZaakPart(zaakeigenschapPart)))
	mux.HandleFunc("GET "+nested, s.listZaakeigenschappen)
	mux.HandleFunc("GET "+nested+"/{uuid}", s.GetHandler("zaakeigenschap"))
	mux.HandleFunc("DELETE "+nested+"/{uuid}", s.Write(s.GuardClosed("zaakeigenschap",
		s.deleteZaakPart("zaakeigenschap", "zaakeigenschap", "eigenschappen"))))
}

// zaakPart describes one kind of part for createZaakPart.
type zaakPart struct {
	kind, collection, zaakField string // zaakField: the zaak's field that lists them ("" for none)
	required                    []string
	typed                       core.Shape // the part's typed resource
	// check validates what the generic checks do not (zaak: the part's zaak, when it exists).
	check func(s *API, r *http.Request, v *core.Validation, d, zaak core.Doc)
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
	typed: core.ShapeOf[ZaakObject](),
	check: func(_ *API, _ *http.Request, v *core.Validation, d, _ core.Doc) {
		v.OneOf(d, "objectType", zaakobjectTypes...)
		// Open Zaak reads field names in snake_case as their camelCase (overige_data is overigeData).
		if id, ok := d["objectIdentificatie"].(map[string]any); ok && id["overigeData"] == nil && id["overige_data"] != nil {
			id["overigeData"] = id["overige_data"]
			delete(id, "overige_data")
		}
		if core.Str(d, "object") == "" && d["objectIdentificatie"] == nil {
			v.Add("nonFieldErrors", "invalid-zaakobject", "object of objectIdentificatie is vereist.")
		}
		if core.Str(d, "objectType") == "overige" && core.Str(d, "objectTypeOverige") == "" {
			v.Add("objectTypeOverige", "required", "Dit veld is vereist bij objectType overige.")
		}
	},
}

var klantcontactPart = zaakPart{
	kind: "klantcontact", collection: "klantcontacten", required: []string{"zaak", "datumtijd"}, typed: core.ShapeOf[KlantContact](),
	check: func(s *API, r *http.Request, v *core.Validation, d, _ core.Doc) {
		v.DateTimes(d, "datumtijd")
		if !v.Failed() && core.Str(d, "identificatie") == "" {
			// The identificatie has at most 14 characters: KC and a number of twelve digits.
			if n, err := s.DB.Next(r.Context(), "klantcontact"); err == nil {
				d["identificatie"] = fmt.Sprintf("KC%012d", n)
			}
		}
	},
}

var zaakeigenschapPart = zaakPart{
	kind: "zaakeigenschap", collection: "zaakeigenschappen", zaakField: "eigenschappen", required: []string{"eigenschap", "waarde"}, derives: "eigenschap",
	typed: core.ShapeOf[ZaakEigenschap](),
	check: func(s *API, r *http.Request, v *core.Validation, d, zaak core.Doc) {
		e := s.Resource(r, v, d, "eigenschap", "eigenschap", core.CatalogiRoot+"eigenschappen/")
		if e != nil && zaak != nil && core.Str(e, "zaaktype") != core.Str(zaak, "zaaktype") {
			v.Add("nonFieldErrors", "zaaktype-mismatch", "De eigenschap hoort niet bij het zaaktype van de zaak.")
		}
		if e != nil {
			d["naam"] = core.Str(e, "naam")
		}
	},
}

// createZaakPart serves POST of a resultaat, zaakobject, klantcontact or zaakeigenschap.
func (s *API) createZaakPart(p zaakPart) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		d, ok := core.ReadJSON(w, r)
		if !ok {
			return
		}
		if id := r.PathValue("zaak_uuid"); id != "" {
			d["zaak"] = core.ZakenRoot + "zaken/" + id // nested: the path names the zaak
		}
		v := &core.Validation{}
		v.Required(d, p.required...)
		zaak := s.Resource(r, v, d, "zaak", "zaak", core.ZakenRoot+"zaken/")
		p.check(s, r, v, d, zaak)
		p.typed.Fits(v, d)
		if v.Failed() {
			core.WriteInvalid(w, r, v)
			return
		}
		if s.RefusedOnClosed(w, r, zaak) {
			return
		}
		id := core.NewUUID()
		self := core.ZakenRoot + p.collection + "/" + id
		if p.kind == "zaakeigenschap" {
			self = core.Str(zaak, "url") + "/zaakeigenschappen/" + id
		}
		d["url"], d["uuid"] = self, id
		part, err := p.typed.As(d)
		if err != nil {
			core.WriteError(w, r, err)
			return
		}
		if err := s.DB.Insert(ctx, p.kind, id, core.Str(d, "zaak"), "", part); err != nil {
			core.WriteError(w, r, err)
			return
		}
		if p.zaakField != "" {
			if _, err := s.changeZaak(ctx, core.Str(zaak, "url"), func(z *Zaak) { z.attach(p.zaakField, self) }); err != nil {
				core.WriteError(w, r, err)
				return
			}
		}
		if err := s.Audit(r, "zrc", core.Str(zaak, "url"), p.kind, self, "create", "", nil, core.DocOf(part)); err != nil {
			core.WriteError(w, r, err)
			return
		}
		if p.derives != "" {
			if err := s.RederiveArchive(ctx, core.Str(zaak, "url"), p.derives); err != nil {
				core.WriteError(w, r, err)
				return
			}
		}
		w.Header().Set("Location", core.Base(r)+self)
		core.Render(w, r, http.StatusCreated, part)
	}
}

// updateZaakobject serves PUT and PATCH of a zaakobject; its zaak does not change.
func (s *API) updateZaakobject(partial bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		old, in, ok := s.FoundWithBody(w, r, "zaakobject")
		if !ok {
			return
		}
		d := in
		if partial {
			d = core.WithChanges(old, in, "object", "objectType", "objectIdentificatie", "objectTypeOverige", "relatieomschrijving", "zaakobjecttype")
		}
		v := &core.Validation{}
		core.Fixed(v, in, old, "zaak")
		v.Required(d, "zaak", "objectType")
		zaakobjectPart.check(s, r, v, d, nil)
		zaakobjectPart.typed.Fits(v, in)
		if v.Failed() {
			core.WriteInvalid(w, r, v)
			return
		}
		if s.RefusedOnClosed(w, r, s.ZaakOf(r.Context(), old)) {
			return
		}
		d["url"], d["uuid"] = old["url"], old["uuid"]
		zo, err := core.As[ZaakObject](d)
		if err != nil {
			core.WriteError(w, r, err)
			return
		}
		if err := s.storeUpdate(r, partial, "zrc", core.Str(old, "zaak"), "zaakobject", "", old, zo); err != nil {
			core.WriteError(w, r, err)
			return
		}
		if err := s.RederiveArchive(r.Context(), core.Str(old, "zaak"), zaakobjectPart.derives); err != nil {
			core.WriteError(w, r, err)
			return
		}
		core.Render(w, r, http.StatusOK, zo)
	}
}

// listZaakeigenschappen serves GET of a zaak's eigenschappen (a plain list).
func (s *API) listZaakeigenschappen(w http.ResponseWriter, r *http.Request) {
	all, err := s.DB.Query(r.Context(), "zaakeigenschap", core.ZakenRoot+"zaken/"+r.PathValue("zaak_uuid"), "")
	if err != nil {
		core.WriteError(w, r, err)
		return
	}
	slices.Reverse(all) // newest first, as Open Zaak lists them
	core.RenderList(w, r, all)
}
