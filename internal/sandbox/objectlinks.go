package sandbox

import (
	"context"
	"net/http"
)

// An objectinformatieobject mirrors, in the Documenten API, a document's link to a zaak or a
// besluit: the Zaken and Besluiten APIs make and remove it with their own link (zrc-005,
// brc-005), a zaak deleted takes it along (zrc-023). A client may post one only for a link that
// exists and is not mirrored yet (drc-002..004), and delete one only after the link is gone.

// objectKinds are the kinds an objectinformatieobject may point at, with their link kinds.
var objectKinds = map[string]struct{ kind, collection, link, linkField string }{
	"zaak":    {"zaak", zakenRoot + "zaken/", "zio", "zaak"},
	"besluit": {"besluit", besluitenRoot + "besluiten/", "bio", "besluit"},
}

// mirrorLink records the objectinformatieobject of a new zaak- or besluitinformatieobject.
func (s *Server) mirrorLink(ctx context.Context, objectType, object, informatieobject string) error {
	id := newUUID()
	return s.db.insert(ctx, "oio", id, informatieobject, "", doc{
		"url": documentenRoot + "objectinformatieobjecten/" + id, "informatieobject": informatieobject,
		"object": object, "objectType": objectType,
	})
}

// mirrored is the objectinformatieobject of a pair (nil: none).
func (s *Server) mirrored(ctx context.Context, object, informatieobject string) (doc, error) {
	all, err := s.db.query(ctx, "oio", informatieobject, "")
	if err != nil {
		return nil, err
	}
	for _, o := range all {
		if str(o, "object") == object {
			return o, nil
		}
	}
	return nil, nil
}

// unmirrorLink removes the objectinformatieobject of a pair, if there is one.
func (s *Server) unmirrorLink(ctx context.Context, object, informatieobject string) error {
	o, err := s.mirrored(ctx, object, informatieobject)
	if err != nil || o == nil {
		return err
	}
	return s.db.remove(ctx, lastSegment(str(o, "url")))
}

// linked reports whether the Zaken or Besluiten API holds the link of a pair.
func (s *Server) linked(ctx context.Context, objectType, object, informatieobject string) (bool, error) {
	k := objectKinds[objectType]
	links, err := s.db.query(ctx, k.link, object, "")
	if err != nil {
		return false, err
	}
	for _, l := range links {
		if str(l, "informatieobject") == informatieobject {
			return true, nil
		}
	}
	return false, nil
}

func (s *Server) createOIO(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d, ok := readJSON(w, r)
	if !ok {
		return
	}
	v := &validation{}
	v.required(d, "informatieobject", "object", "objectType")
	k, known := objectKinds[str(d, "objectType")]
	if !known && str(d, "objectType") != "" {
		v.add("objectType", "invalid_choice", "Kies zaak of besluit.")
	}
	eio := s.resource(r, v, d, "informatieobject", "eio", documentenRoot+"enkelvoudiginformatieobjecten/")
	var object doc
	if known {
		object = s.resource(r, v, d, "object", k.kind, k.collection)
	}
	if object != nil && eio != nil {
		if o, err := s.mirrored(ctx, str(object, "url"), str(eio, "url")); err != nil {
			writeError(w, r, err)
			return
		} else if o != nil {
			v.add("nonFieldErrors", "unique", "De velden object, informatieobject moeten een unieke set zijn.")
		} else if ok, err := s.linked(ctx, str(d, "objectType"), str(object, "url"), str(eio, "url")); err != nil {
			writeError(w, r, err)
			return
		} else if !ok {
			v.add("nonFieldErrors", "inconsistent-relation", "Het informatieobject is niet aan dit object gekoppeld in zijn eigen API.")
		}
	}
	if v.failed() {
		writeInvalid(w, r, v)
		return
	}
	if err := s.mirrorLink(ctx, str(d, "objectType"), str(object, "url"), str(eio, "url")); err != nil {
		writeError(w, r, err)
		return
	}
	o, err := s.mirrored(ctx, str(object, "url"), str(eio, "url"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Location", base(r)+str(o, "url"))
	render(w, r, http.StatusCreated, o)
}

// deleteOIO removes an objectinformatieobject whose link is already gone.
func (s *Server) deleteOIO(w http.ResponseWriter, r *http.Request) {
	o, ok := s.found(w, r, "oio")
	if !ok {
		return
	}
	if ok, err := s.linked(r.Context(), str(o, "objectType"), str(o, "object"), str(o, "informatieobject")); err != nil {
		writeError(w, r, err)
		return
	} else if ok { // the spec's answer for it is 409
		writeProblem(w, r, http.StatusConflict, "inconsistent-relation", "Conflict",
			"De koppeling bestaat nog in de API van het object; verwijder die daar.", nil)
		return
	}
	if err := s.db.remove(r.Context(), r.PathValue("uuid")); err != nil {
		writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// deleteLink serves DELETE of a zaak- or besluitinformatieobject, taking its mirror along.
func (s *Server) deleteLink(kind, bron, objectField, resource string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		l, ok := s.found(w, r, kind)
		if !ok {
			return
		}
		ctx := r.Context()
		if err := s.db.remove(ctx, r.PathValue("uuid")); err != nil {
			writeError(w, r, err)
			return
		}
		if err := s.unmirrorLink(ctx, str(l, objectField), str(l, "informatieobject")); err != nil {
			writeError(w, r, err)
			return
		}
		if kind == "zio" { // the zaak lists its links
			if err := s.detach(ctx, str(l, "zaak"), "zaakinformatieobjecten", str(l, "url")); err != nil {
				writeError(w, r, err)
				return
			}
		}
		if err := s.audit(r, bron, str(l, objectField), resource, str(l, "url"), "destroy", "", l, nil); err != nil {
			writeError(w, r, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
}
