package documenten

import (
	"context"
	"net/http"
	"slices"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/core"
)

// An objectinformatieobject mirrors, in the Documenten API, a document's link to a zaak or a
// besluit: the Zaken and Besluiten APIs make and remove it with their own link (zrc-005,
// brc-005), a zaak deleted takes it along (zrc-023). A client may post one only for a link that
// exists and is not mirrored yet (drc-002..004), and delete one only after the link is gone.

// objectKinds are the kinds an objectinformatieobject may point at, with their link kinds.
var objectKinds = map[string]struct{ kind, collection, link, linkField string }{
	"zaak":    {"zaak", core.ZakenRoot + "zaken/", "zio", "zaak"},
	"besluit": {"besluit", core.BesluitenRoot + "besluiten/", "bio", "besluit"},
}

// documentLink is what this API reads of another API's link to a document.
type documentLink struct {
	Informatieobject string `json:"informatieobject"`
}

// MirrorLink records the objectinformatieobject of a new zaak- or besluitinformatieobject.
func (s *API) MirrorLink(ctx context.Context, objectType, object, informatieobject string) error {
	id := core.NewUUID()
	return s.DB.Insert(ctx, "oio", id, informatieobject, "", ObjectInformatieObject{
		URL: core.DocumentenRoot + "objectinformatieobjecten/" + id, Informatieobject: informatieobject,
		Object: object, ObjectType: objectType,
	})
}

// mirrored is the objectinformatieobject of a pair (nil: none).
func (s *API) mirrored(ctx context.Context, object, informatieobject string) (*ObjectInformatieObject, error) {
	all, err := core.QueryAs[ObjectInformatieObject](ctx, s.DB, "oio", informatieobject, "")
	if err != nil {
		return nil, err
	}
	for _, o := range all {
		if o.Object == object {
			return &o, nil
		}
	}
	return nil, nil
}

// UnmirrorLink removes the objectinformatieobject of a pair, if there is one.
func (s *API) UnmirrorLink(ctx context.Context, object, informatieobject string) error {
	o, err := s.mirrored(ctx, object, informatieobject)
	if err != nil || o == nil {
		return err
	}
	return s.DB.Remove(ctx, core.LastSegment(o.URL))
}

// linked reports whether the Zaken or Besluiten API holds the link of a pair.
func (s *API) linked(ctx context.Context, objectType, object, informatieobject string) (bool, error) {
	k := objectKinds[objectType]
	links, err := core.QueryAs[documentLink](ctx, s.DB, k.link, object, "")
	return slices.ContainsFunc(links, func(l documentLink) bool { return l.Informatieobject == informatieobject }), err
}

func (s *API) createOIO(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d, ok := core.ReadJSON(w, r)
	if !ok {
		return
	}
	v := &core.Validation{}
	v.Required(d, "informatieobject", "object", "objectType")
	k, known := objectKinds[core.Str(d, "objectType")]
	if !known && core.Str(d, "objectType") != "" {
		v.Add("objectType", "invalid_choice", "Kies zaak of besluit.")
	}
	eio := s.Resource(r, v, d, "informatieobject", "eio", core.DocumentenRoot+"enkelvoudiginformatieobjecten/")
	var object core.Doc
	if known {
		object = s.Resource(r, v, d, "object", k.kind, k.collection)
	}
	if object != nil && eio != nil {
		if o, err := s.mirrored(ctx, core.Str(object, "url"), core.Str(eio, "url")); err != nil {
			core.WriteError(w, r, err)
			return
		} else if o != nil {
			v.Add("nonFieldErrors", "unique", "De velden object, informatieobject moeten een unieke set zijn.")
		} else if ok, err := s.linked(ctx, core.Str(d, "objectType"), core.Str(object, "url"), core.Str(eio, "url")); err != nil {
			core.WriteError(w, r, err)
			return
		} else if !ok {
			v.Add("nonFieldErrors", "inconsistent-relation", "Het informatieobject is niet aan dit object gekoppeld in zijn eigen API.")
		}
	}
	if v.Failed() {
		core.WriteInvalid(w, r, v)
		return
	}
	if err := s.MirrorLink(ctx, core.Str(d, "objectType"), core.Str(object, "url"), core.Str(eio, "url")); err != nil {
		core.WriteError(w, r, err)
		return
	}
	o, err := s.mirrored(ctx, core.Str(object, "url"), core.Str(eio, "url"))
	if err != nil {
		core.WriteError(w, r, err)
		return
	}
	w.Header().Set("Location", core.Base(r)+o.URL)
	core.Render(w, r, http.StatusCreated, o)
}

// deleteOIO removes an objectinformatieobject whose link is already gone.
func (s *API) deleteOIO(w http.ResponseWriter, r *http.Request) {
	o, ok := core.FoundAs[ObjectInformatieObject](s.Server, w, r, "oio")
	if !ok {
		return
	}
	if ok, err := s.linked(r.Context(), o.ObjectType, o.Object, o.Informatieobject); err != nil {
		core.WriteError(w, r, err)
		return
	} else if ok { // the spec's answer for it is 409
		core.WriteProblem(w, r, http.StatusConflict, "inconsistent-relation", "Conflict",
			"De koppeling bestaat nog in de API van het object; verwijder die daar.", nil)
		return
	}
	if err := s.DB.Remove(r.Context(), r.PathValue("uuid")); err != nil {
		core.WriteError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// DeleteLink serves DELETE of a zaak- or besluitinformatieobject, taking its mirror along;
// removed (nil: nothing) is what the link's own API does besides.
func (s *API) DeleteLink(kind, bron, objectField, resource string, removed func(ctx context.Context, link core.Doc) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		l, ok := s.Found(w, r, kind)
		if !ok {
			return
		}
		ctx := r.Context()
		if err := s.DB.Remove(ctx, r.PathValue("uuid")); err != nil {
			core.WriteError(w, r, err)
			return
		}
		if err := s.UnmirrorLink(ctx, core.Str(l, objectField), core.Str(l, "informatieobject")); err != nil {
			core.WriteError(w, r, err)
			return
		}
		if removed != nil {
			if err := removed(ctx, l); err != nil {
				core.WriteError(w, r, err)
				return
			}
		}
		if err := s.Audit(r, bron, core.Str(l, objectField), resource, core.Str(l, "url"), "destroy", "", l, nil); err != nil {
			core.WriteError(w, r, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
}
