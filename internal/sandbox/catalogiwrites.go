package sandbox

import (
	"context"
	"net/http"
	"slices"
)

// Writes to the Catalogi API: a type is created as a concept, changed and deleted freely while
// it is one, and fixed once published — then only its eindeGeldigheid may still be set, so that
// a version can be ended. Types hanging under a zaaktype follow their zaaktype. A relation to a
// published type fixes a concept too (Open Zaak's "non-concept-relation"). As in Open Zaak, a
// client with catalogi.geforceerd-schrijven may write published types all the same, and one
// with catalogi.geforceerd-verwijderen delete them.

// forcedWrite reports whether the request's client may change published types.
func forcedWrite(r *http.Request) bool {
	return grantOf(r).may("ztc", []string{"catalogi.geforceerd-schrijven"}, "", "")
}

// forcedDelete reports whether the request's client may delete published types.
func forcedDelete(r *http.Request) bool {
	return grantOf(r).may("ztc", []string{"catalogi.geforceerd-verwijderen"}, "", "")
}

// createCatalogType serves POST on a catalogue collection.
func (s *Server) createCatalogType(kind string) http.HandlerFunc {
	rules := catalogRules[kind]
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		in, ok := readJSON(w, r)
		if !ok {
			return
		}
		d := rules.defaults()
		merge(d, in, rules)
		if rules.publishable {
			d["concept"] = true
		}
		v := &validation{}
		s.checkCatalogType(r, v, kind, d, nil)
		if v.failed() {
			writeInvalid(w, r, v)
			return
		}
		id := newUUID()
		d["url"] = catPath(rules.collection, id)
		if err := s.storeCatalogType(ctx, kind, id, nil, d, in); err != nil {
			writeError(w, r, err)
			return
		}
		w.Header().Set("Location", base(r)+str(d, "url"))
		s.renderCatalogType(w, r, http.StatusCreated, kind, d)
	}
}

// updateCatalogType serves PUT and PATCH of a catalogue resource.
func (s *Server) updateCatalogType(kind string, partial bool) http.HandlerFunc {
	rules := catalogRules[kind]
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		old, in, ok := s.foundWithBody(w, r, kind)
		if !ok {
			return
		}
		v := &validation{}
		endingOnly := partial && onlyField(in, "eindeGeldigheid")
		if !forcedWrite(r) {
			s.checkChange(ctx, v, kind, old, endingOnly)
		}
		var d doc
		if partial {
			d = deepCopy(old)
		} else {
			d = rules.defaults()
			for _, f := range append([]string{"url", "concept"}, rules.readOnly...) {
				if x, has := old[f]; has {
					d[f] = x
				}
			}
		}
		merge(d, in, rules)
		if !v.failed() && !endingOnly {
			s.checkCatalogType(r, v, kind, d, old)
		}
		if v.failed() {
			writeInvalid(w, r, v)
			return
		}
		if err := s.storeCatalogType(ctx, kind, r.PathValue("uuid"), old, d, in); err != nil {
			writeError(w, r, err)
			return
		}
		s.renderCatalogType(w, r, http.StatusOK, kind, d)
	}
}

// deleteCatalogType serves DELETE of a catalogue resource; a zaaktype takes its own types with
// it, and relations to a deleted type are dropped.
func (s *Server) deleteCatalogType(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		old, ok := s.found(w, r, kind)
		if !ok {
			return
		}
		v := &validation{}
		if !forcedDelete(r) {
			s.checkChange(ctx, v, kind, old, false)
		}
		if !v.failed() && !forcedDelete(r) && (kind == "zaaktype" || kind == "informatieobjecttype") {
			// Deleting also cuts the relations through zaaktype-informatieobjecttypen.
			if s.publishedLink(ctx, kind, old) {
				v.add("nonFieldErrors", "non-concept-relation", "Het type heeft een relatie met een gepubliceerd type.")
			}
		}
		if v.failed() {
			writeInvalid(w, r, v)
			return
		}
		if err := s.removeCatalogType(ctx, kind, old); err != nil {
			writeError(w, r, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
}

// publishCatalogType serves POST {type}/publish: the concept becomes definitief. A zaaktype is
// refused while a besluittype or informatieobjecttype it relates to is still a concept.
func (s *Server) publishCatalogType(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		d, ok := s.found(w, r, kind)
		if !ok {
			return
		}
		if kind == "zaaktype" {
			related, err := s.docsAt(ctx, "besluittype", strs(d, "besluittypen"))
			if err != nil {
				writeError(w, r, err)
				return
			}
			iots, err := s.zaaktypeIOTs(ctx, d)
			if err != nil {
				writeError(w, r, err)
				return
			}
			for _, x := range append(related, iots...) {
				if boolean(x, "concept") {
					v := &validation{}
					v.add("nonFieldErrors", "concept-relation", "Alle gerelateerde besluittypen en informatieobjecttypen moeten gepubliceerd zijn.")
					writeInvalid(w, r, v)
					return
				}
			}
		}
		d["concept"] = false
		if err := s.db.update(ctx, r.PathValue("uuid"), d); err != nil {
			writeError(w, r, err)
			return
		}
		s.renderCatalogType(w, r, http.StatusOK, kind, d)
	}
}

// checkChange refuses changing or deleting what publishing fixed: a published type (but for
// ending it), a type of a published zaaktype, a concept tied to a published type.
func (s *Server) checkChange(ctx context.Context, v *validation, kind string, old doc, endingOnly bool) {
	rules := catalogRules[kind]
	switch {
	case rules.publishable && !boolean(old, "concept"):
		if !endingOnly {
			v.add("nonFieldErrors", "non-concept-object", "Een gepubliceerd type kan niet gewijzigd of verwijderd worden.")
		}
	case rules.publishable:
		if !endingOnly && s.publishedRelation(ctx, kind, old) {
			v.add("nonFieldErrors", "non-concept-relation", "Het type heeft een relatie met een gepubliceerd type.")
		}
	case kind == "ziot":
		if s.bothPublished(ctx, old) {
			v.add("nonFieldErrors", "non-concept-relation", "Zaaktype en informatieobjecttype zijn allebei gepubliceerd.")
		}
	case rules.owner == "zaaktype":
		if zt, err := s.db.get(ctx, "zaaktype", lastSegment(str(old, "zaaktype"))); err == nil && !boolean(zt, "concept") {
			v.add("nonFieldErrors", "non-concept-zaaktype", "Het zaaktype is gepubliceerd.")
		}
	}
}

// publishedRelation reports whether a concept type has a relation (besluittypen and
// informatieobjecttypen of besluittypen, both sides) with a published type.
func (s *Server) publishedRelation(ctx context.Context, kind string, d doc) bool {
	var related []doc
	switch kind {
	case "zaaktype":
		related, _ = s.docsAt(ctx, "besluittype", strs(d, "besluittypen"))
	case "besluittype", "informatieobjecttype":
		view, err := s.view(ctx, kind, deepCopy(d))
		if err != nil {
			return false
		}
		if kind == "besluittype" {
			zts, _ := s.docsAt(ctx, "zaaktype", strs(view, "zaaktypen"))
			iots, _ := s.docsAt(ctx, "informatieobjecttype", strs(view, "informatieobjecttypen"))
			related = append(zts, iots...)
		} else {
			related, _ = s.docsAt(ctx, "besluittype", strs(view, "besluittypen"))
		}
	}
	return slices.ContainsFunc(related, func(x doc) bool { return !boolean(x, "concept") })
}

// publishedLink reports whether a zaaktype or informatieobjecttype is linked through a
// zaaktype-informatieobjecttype to a published type.
func (s *Server) publishedLink(ctx context.Context, kind string, d doc) bool {
	var related []doc
	if kind == "zaaktype" {
		related, _ = s.zaaktypeIOTs(ctx, d)
	} else {
		related, _ = s.iotZaaktypen(ctx, d)
	}
	return slices.ContainsFunc(related, func(x doc) bool { return !boolean(x, "concept") })
}

// bothPublished reports whether a zaaktype-informatieobjecttype joins a published zaaktype to
// published informatieobjecttypen.
func (s *Server) bothPublished(ctx context.Context, link doc) bool {
	zt, err := s.db.get(ctx, "zaaktype", lastSegment(str(link, "zaaktype")))
	if err != nil || boolean(zt, "concept") {
		return false
	}
	iots, err := s.ziotTargets(ctx, link, str(zt, "catalogus"))
	return err == nil && len(iots) > 0 && !slices.ContainsFunc(iots, func(x doc) bool { return boolean(x, "concept") })
}

// merge copies a request's fields into d, but not the ones the server decides.
func merge(d, in doc, rules typeRules) {
	for k, x := range in {
		if k == "url" || k == "concept" || slices.Contains(rules.readOnly, k) {
			continue
		}
		d[k] = x
	}
}

// onlyField reports whether a request body sends exactly one field, the given one.
func onlyField(in doc, field string) bool {
	_, has := in[field]
	return has && len(in) == 1
}

// renderCatalogType answers a catalogue resource with its derived fields.
func (s *Server) renderCatalogType(w http.ResponseWriter, r *http.Request, status int, kind string, d doc) {
	view, err := s.view(r.Context(), kind, d)
	if err != nil {
		writeError(w, r, err)
		return
	}
	// The Catalogi spec types many answers as "unspecified bodies" whose values may not be null.
	render(w, r, status, view)
}
