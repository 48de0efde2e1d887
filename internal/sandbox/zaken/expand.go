package zaken

import (
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/core"
)

// zaakExpansions are the fields of a zaak GET /zaken/{uuid}?expand= fills in, one level deep,
// with the kind each refers to. The standard (Zaken 1.5) expands within the Zaken API only (and
// the Catalogi API, which the sandbox does not expand); Open Zaak does the same.
var zaakExpansions = map[string]string{
	"status":                 "status",
	"resultaat":              "resultaat",
	"rollen":                 "rol",
	"zaakinformatieobjecten": "zio",
	"zaakobjecten":           "zaakobject",
	"eigenschappen":          "zaakeigenschap",
	"hoofdzaak":              "zaak",
	"deelzaken":              "zaak",
}

// getZaak serves GET /zaken/{uuid}, with the expansions the request asks for in _expand: an
// object per field, an array for a field that is a list, null where the zaak has none.
func (s *API) getZaak(w http.ResponseWriter, r *http.Request) {
	fields, ok := expandFields(w, r)
	if !ok {
		return
	}
	z, ok := s.FoundReadable(w, r, "zaak")
	if !ok {
		return
	}
	// Open Zaak answers a retrieved zaak with _expand, empty when nothing was asked to expand.
	expanded := core.Doc{}
	for _, field := range fields {
		kind := zaakExpansions[field]
		one := func(ref string) (core.Doc, error) {
			d, err := s.DB.Get(r.Context(), kind, core.LastSegment(ref))
			if err != nil {
				return nil, err
			}
			return s.Decorate(r, kind, core.Public(d)), nil
		}
		switch v := z[field].(type) {
		case string:
			d, err := one(v)
			if err != nil {
				core.WriteError(w, r, err)
				return
			}
			expanded[field] = d
		case []any:
			list := make([]any, 0, len(v))
			for _, ref := range v {
				ref, _ := ref.(string)
				d, err := one(ref)
				if err != nil {
					core.WriteError(w, r, err)
					return
				}
				list = append(list, d)
			}
			expanded[field] = list
		default:
			expanded[field] = nil
		}
	}
	out := maps.Clone(z)
	out["_expand"] = expanded
	core.Render(w, r, http.StatusOK, out)
}

// expandFields reads ?expand= (comma-separated, as the standard writes it); a field that cannot
// be expanded is refused with 400, as Open Zaak does, rather than silently left out.
func expandFields(w http.ResponseWriter, r *http.Request) ([]string, bool) {
	raw := r.URL.Query().Get("expand")
	if raw == "" {
		return nil, true
	}
	var fields []string
	for f := range strings.SplitSeq(raw, ",") {
		f = strings.TrimSpace(f)
		if _, ok := zaakExpansions[f]; !ok {
			v := &core.Validation{}
			v.Add("expand", "invalid_choice", "Dit veld kan niet worden ge-expandeerd: "+f+" (de sandbox expandeert "+strings.Join(expandable(), ", ")+").")
			core.WriteInvalid(w, r, v)
			return nil, false
		}
		fields = append(fields, f)
	}
	return fields, true
}

func expandable() []string { return slices.Sorted(maps.Keys(zaakExpansions)) }
