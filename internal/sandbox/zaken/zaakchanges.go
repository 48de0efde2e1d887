package zaken

import (
	"maps"
	"net/http"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/core"
)

// zaakDerived are the fields of a zaak the Zaken API works out itself: an update never sets them.
var zaakDerived = []string{"url", "uuid", "identificatie", "einddatum", "status", "resultaat", "deelzaken", "eigenschappen",
	"rollen", "zaakinformatieobjecten", "zaakobjecten", "betalingsindicatieWeergave", "laatstGemuteerd"}

// updateZaak serves PUT (the whole zaak) and PATCH (some fields). The zaaktype, bronorganisatie
// and identificatie of a zaak do not change; what is left is checked as on creation. What a PUT
// leaves out keeps its value.
func (s *API) updateZaak(partial bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		z, ok := core.FoundAs[Zaak](s.Server, w, r, "zaak")
		if !ok {
			return
		}
		in, ok := core.ReadJSON(w, r)
		if !ok {
			return
		}
		old := core.DocOf(z)
		changes := core.Doc{}
		maps.Copy(changes, in)
		for _, k := range zaakDerived {
			delete(changes, k)
		}
		if _, sent := in["laatsteBetaaldatum"]; !sent && core.Str(in, "betalingsindicatie") == "nvt" {
			changes["laatsteBetaaldatum"] = nil // nothing to pay: no date of the last payment (zrc-014)
		}
		// Checked as it is to be stored: for a PATCH the zaak with the changes, for a PUT what
		// it sends (with what only the API sets).
		d := core.Doc{}
		if partial {
			d = maps.Clone(old)
		}
		maps.Copy(d, changes)
		for _, k := range zaakDerived {
			d[k] = old[k]
		}
		v, _ := s.validZaak(r, d)
		core.Fixed(v, in, old, "zaaktype", "bronorganisatie", "identificatie")
		core.Fits[Zaak](v, changes)
		if v.Failed() {
			core.WriteInvalid(w, r, v)
			return
		}
		if s.RefusedOnClosed(w, r, old) {
			return
		}
		if err := core.Apply(&z, changes); err != nil {
			core.WriteError(w, r, err)
			return
		}
		z.BetalingsindicatieWeergave = betalingsindicatieWeergave(z.Betalingsindicatie)
		z.LaatstGemuteerd = core.Timestamp(s.Now())
		core.EmptyLists(&z)
		if err := s.storeUpdate(r, partial, "zrc", z.URL, "zaak", z.Identificatie, old, z); err != nil {
			core.WriteError(w, r, err)
			return
		}
		core.Render(w, r, http.StatusOK, z)
	}
}

// zaakChildren are the resources deleted with their zaak (zrc-023).
var zaakChildren = []string{"status", "resultaat", "rol", "zio", "zaakobject", "klantcontact", "zaakeigenschap"}

// deleteZaak removes a zaak and what belongs to it, audit trail included (zrc-023: no soft
// deletes). A zaak with besluiten is refused: the besluit would point at nothing.
func (s *API) deleteZaak(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	z, ok := s.Found(w, r, "zaak")
	if !ok {
		return
	}
	self := core.Str(z, "url")
	if besluiten, err := s.DB.Query(ctx, "besluit", self, ""); err != nil {
		core.WriteError(w, r, err)
		return
	} else if len(besluiten) > 0 {
		v := &core.Validation{}
		v.Add("nonFieldErrors", "pending-relations", "Deze zaak heeft besluiten; verwijder of ontkoppel die eerst.")
		core.WriteInvalid(w, r, v)
		return
	}
	zios, err := s.DB.Query(ctx, "zio", self, "")
	if err != nil {
		core.WriteError(w, r, err)
		return
	}
	for _, l := range zios { // their mirrors in the Documenten API go too
		if err := s.documenten.UnmirrorLink(ctx, self, core.Str(l, "informatieobject")); err != nil {
			core.WriteError(w, r, err)
			return
		}
	}
	if err := s.DB.DeleteWith(ctx, core.Str(z, "uuid"), self, zaakChildren); err != nil {
		core.WriteError(w, r, err)
		return
	}
	if err := s.PublishChange(r, "zrc", self, "zaak", self, "destroy", z); err != nil {
		core.WriteError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// updateZIO serves PUT and PATCH of a zaakinformatieobject: its titel and beschrijving change,
// the zaak and informatieobject it links do not.
func (s *API) updateZIO(partial bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		old, in, ok := s.FoundWithBody(w, r, "zio")
		if !ok {
			return
		}
		v := &core.Validation{}
		core.Fixed(v, in, old, "zaak", "informatieobject")
		if !partial {
			v.Required(in, "zaak", "informatieobject")
		}
		v.MaxLen(in, "titel", 200)
		core.Fits[ZaakInformatieObject](v, in)
		if v.Failed() {
			core.WriteInvalid(w, r, v)
			return
		}
		if s.RefusedOnClosed(w, r, s.ZaakOf(r.Context(), old)) {
			return
		}
		zio, err := core.As[ZaakInformatieObject](old)
		if err != nil {
			core.WriteError(w, r, err)
			return
		}
		if !partial { // a PUT that leaves them out empties them
			zio.Titel, zio.Beschrijving = "", ""
		}
		if err := core.Apply(&zio, core.WithChanges(core.Doc{}, in, "titel", "beschrijving")); err != nil {
			core.WriteError(w, r, err)
			return
		}
		if err := s.storeUpdate(r, partial, "zrc", zio.Zaak, "zaakinformatieobject", zio.Titel, old, zio); err != nil {
			core.WriteError(w, r, err)
			return
		}
		core.Render(w, r, http.StatusOK, zio)
	}
}
