package catalogi

import (
	"context"
	"net/http"
	"slices"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/core"
)

// Writes to the Catalogi API: a type is created as a concept, changed and deleted freely while
// it is one, and fixed once published — then only its eindeGeldigheid may still be set, so that
// a version can be ended. Types hanging under a zaaktype follow their zaaktype. A relation to a
// published type fixes a concept too (Open Zaak's "non-concept-relation"). As in Open Zaak, a
// client with catalogi.geforceerd-schrijven may write published types all the same, and one
// with catalogi.geforceerd-verwijderen delete them.

// forcedWrite reports whether the request's client may change published types.
func forcedWrite(r *http.Request) bool {
	return core.GrantOf(r).May("ztc", []string{"catalogi.geforceerd-schrijven"}, "", "")
}

// forcedDelete reports whether the request's client may delete published types.
func forcedDelete(r *http.Request) bool {
	return core.GrantOf(r).May("ztc", []string{"catalogi.geforceerd-verwijderen"}, "", "")
}

// createCatalogType serves POST on a catalogue collection.
func (s *API) createCatalogType(kind string) http.HandlerFunc {
	rules := CatalogRules[kind]
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		in, ok := core.ReadJSON(w, r)
		if !ok {
			return
		}
		d := core.Doc{}
		Merge(d, in, rules)
		if rules.Publishable {
			d["concept"] = true
		}
		v := &core.Validation{}
		s.checkCatalogType(r, v, kind, d, nil)
		rules.Shape.Fits(v, in)
		if v.Failed() {
			core.WriteInvalid(w, r, v)
			return
		}
		id := core.NewUUID()
		d["url"] = CatPath(rules.Collection, id)
		if err := s.storeCatalogType(ctx, kind, id, nil, d, in); err != nil {
			core.WriteError(w, r, err)
			return
		}
		w.Header().Set("Location", core.Base(r)+core.Str(d, "url"))
		s.renderCatalogType(w, r, http.StatusCreated, kind, d)
	}
}

// updateCatalogType serves PUT and PATCH of a catalogue resource.
func (s *API) updateCatalogType(kind string, partial bool) http.HandlerFunc {
	rules := CatalogRules[kind]
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		old, in, ok := s.FoundWithBody(w, r, kind)
		if !ok {
			return
		}
		v := &core.Validation{}
		endingOnly := partial && onlyField(in, "eindeGeldigheid")
		if !forcedWrite(r) {
			s.checkChange(ctx, v, kind, old, endingOnly)
		}
		var d core.Doc
		if partial {
			d = DeepCopy(old)
		} else {
			d = core.Doc{}
			for _, f := range append([]string{"url", "concept"}, rules.readOnly...) {
				if x, has := old[f]; has {
					d[f] = x
				}
			}
		}
		Merge(d, in, rules)
		if !v.Failed() && !endingOnly {
			s.checkCatalogType(r, v, kind, d, old)
		}
		rules.Shape.Fits(v, in)
		if v.Failed() {
			core.WriteInvalid(w, r, v)
			return
		}
		if err := s.storeCatalogType(ctx, kind, r.PathValue("uuid"), old, d, in); err != nil {
			core.WriteError(w, r, err)
			return
		}
		s.renderCatalogType(w, r, http.StatusOK, kind, d)
	}
}

// deleteCatalogType serves DELETE of a catalogue resource; a zaaktype takes its own types with
// it, and relations to a deleted type are dropped.
func (s *API) deleteCatalogType(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		old, ok := s.Found(w, r, kind)
		if !ok {
			return
		}
		v := &core.Validation{}
		if !forcedDelete(r) {
			s.checkChange(ctx, v, kind, old, false)
		}
		if !v.Failed() && !forcedDelete(r) && (kind == "zaaktype" || kind == "informatieobjecttype") {
			// Deleting also cuts the relations through zaaktype-informatieobjecttypen.
			if s.publishedLink(ctx, kind, old) {
				v.Add("nonFieldErrors", "non-concept-relation", "Het type heeft een relatie met een gepubliceerd type.")
			}
		}
		if v.Failed() {
			core.WriteInvalid(w, r, v)
			return
		}
		if err := s.removeCatalogType(ctx, kind, old); err != nil {
			core.WriteError(w, r, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
}

// publishCatalogType serves POST {type}/publish: the concept becomes definitief. A zaaktype is
// refused while a besluittype or informatieobjecttype it relates to is still a concept.
func (s *API) publishCatalogType(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		d, ok := s.Found(w, r, kind)
		if !ok {
			return
		}
		if kind == "zaaktype" {
			related, err := s.docsAt(ctx, "besluittype", core.Strs(d, "besluittypen"))
			if err != nil {
				core.WriteError(w, r, err)
				return
			}
			iots, err := s.zaaktypeIOTs(ctx, d)
			if err != nil {
				core.WriteError(w, r, err)
				return
			}
			for _, x := range append(related, iots...) {
				if core.Boolean(x, "concept") {
					v := &core.Validation{}
					v.Add("nonFieldErrors", "concept-relation", "Alle gerelateerde besluittypen en informatieobjecttypen moeten gepubliceerd zijn.")
					core.WriteInvalid(w, r, v)
					return
				}
			}
		}
		d["concept"] = false
		if err := s.put(ctx, kind, r.PathValue("uuid"), d, false); err != nil {
			core.WriteError(w, r, err)
			return
		}
		s.renderCatalogType(w, r, http.StatusOK, kind, d)
	}
}

// checkChange refuses changing or deleting what publishing fixed: a published type (but for
// ending it), a type of a published zaaktype, a concept tied to a published type.
func (s *API) checkChange(ctx context.Context, v *core.Validation, kind string, old core.Doc, endingOnly bool) {
	rules := CatalogRules[kind]
	switch {
	case rules.Publishable && !core.Boolean(old, "concept"):
		if !endingOnly {
			v.Add("nonFieldErrors", "non-concept-object", "Een gepubliceerd type kan niet gewijzigd of verwijderd worden.")
		}
	case rules.Publishable:
		if !endingOnly && s.publishedRelation(ctx, kind, old) {
			v.Add("nonFieldErrors", "non-concept-relation", "Het type heeft een relatie met een gepubliceerd type.")
		}
	case kind == "ziot":
		if s.bothPublished(ctx, old) {
			v.Add("nonFieldErrors", "non-concept-relation", "Zaaktype en informatieobjecttype zijn allebei gepubliceerd.")
		}
	case rules.Owner == "zaaktype":
		if zt, err := s.DB.Get(ctx, "zaaktype", core.LastSegment(core.Str(old, "zaaktype"))); err == nil && !core.Boolean(zt, "concept") {
			v.Add("nonFieldErrors", "non-concept-zaaktype", "Het zaaktype is gepubliceerd.")
		}
	}
}

// publishedRelation reports whether a concept type has a relation (besluittypen and
// informatieobjecttypen of besluittypen, both sides) with a published type.
func (s *API) publishedRelation(ctx context.Context, kind string, d core.Doc) bool {
	var related []core.Doc
	switch kind {
	case "zaaktype":
		related, _ = s.docsAt(ctx, "besluittype", core.Strs(d, "besluittypen"))
	case "besluittype", "informatieobjecttype":
		view, err := s.View(ctx, kind, DeepCopy(d))
		if err != nil {
			return false
		}
		if kind == "besluittype" {
			zts, _ := s.docsAt(ctx, "zaaktype", core.Strs(view, "zaaktypen"))
			iots, _ := s.docsAt(ctx, "informatieobjecttype", core.Strs(view, "informatieobjecttypen"))
			related = append(zts, iots...)
		} else {
			related, _ = s.docsAt(ctx, "besluittype", core.Strs(view, "besluittypen"))
		}
	}
	return slices.ContainsFunc(related, func(x core.Doc) bool { return !core.Boolean(x, "concept") })
}

// publishedLink reports whether a zaaktype or informatieobjecttype is linked through a
// zaaktype-informatieobjecttype to a published type.
func (s *API) publishedLink(ctx context.Context, kind string, d core.Doc) bool {
	var related []core.Doc
	if kind == "zaaktype" {
		related, _ = s.zaaktypeIOTs(ctx, d)
	} else {
		related, _ = s.iotZaaktypen(ctx, d)
	}
	return slices.ContainsFunc(related, func(x core.Doc) bool { return !core.Boolean(x, "concept") })
}

// bothPublished reports whether a zaaktype-informatieobjecttype joins a published zaaktype to
// published informatieobjecttypen.
func (s *API) bothPublished(ctx context.Context, link core.Doc) bool {
	zt, err := s.DB.Get(ctx, "zaaktype", core.LastSegment(core.Str(link, "zaaktype")))
	if err != nil || core.Boolean(zt, "concept") {
		return false
	}
	iots, err := s.ziotTargets(ctx, link, core.Str(zt, "catalogus"))
	return err == nil && len(iots) > 0 && !slices.ContainsFunc(iots, func(x core.Doc) bool { return core.Boolean(x, "concept") })
}

// Merge copies a request's fields into d, but not the ones the server decides.
func Merge(d, in core.Doc, rules typeRules) {
	for k, x := range in {
		if k == "url" || k == "concept" || slices.Contains(rules.readOnly, k) {
			continue
		}
		d[k] = x
	}
}

// onlyField reports whether a request body sends exactly one field, the given one.
func onlyField(in core.Doc, field string) bool {
	_, has := in[field]
	return has && len(in) == 1
}

// renderCatalogType answers a catalogue resource with its derived fields.
func (s *API) renderCatalogType(w http.ResponseWriter, r *http.Request, status int, kind string, d core.Doc) {
	view, err := s.View(r.Context(), kind, d)
	if err != nil {
		core.WriteError(w, r, err)
		return
	}
	// The Catalogi spec types many answers as "unspecified bodies" whose values may not be null.
	core.Render(w, r, status, view)
}
