package publicatiebank

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/core"
)

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// writeDetail answers an error the way Django REST framework does outside validation.
func writeDetail(w http.ResponseWriter, status int, detail string) {
	writeJSON(w, status, map[string]string{"detail": detail})
}

// invalid collects validation errors per field, as Django REST framework answers them (400,
// {"field": ["reason", …]}, camelCased; "nonFieldErrors" for the whole).
type invalid map[string][]string

func (v invalid) add(field, reason string) { v[field] = append(v[field], reason) }

// answered writes the errors, if any, and reports whether it did.
func (v invalid) answered(w http.ResponseWriter) bool {
	if len(v) == 0 {
		return false
	}
	writeJSON(w, http.StatusBadRequest, v)
	return true
}

func notFoundPK(id string) string { return `Ongeldige pk "` + id + `" - object bestaat niet.` }

const required = "Dit veld is vereist."

// page answers one page of a list as the API's pagination does (page, pageSize).
func page[T any](w http.ResponseWriter, r *http.Request, items []T, defaultSize int) {
	size := defaultSize
	if n, err := strconv.Atoi(r.URL.Query().Get("pageSize")); err == nil && n > 0 {
		size = min(n, 100)
	}
	pg, ok := core.PageOf(r, len(items), size)
	if !ok {
		writeDetail(w, http.StatusNotFound, "Ongeldige pagina.")
		return
	}
	results := items[pg.From:pg.To]
	if results == nil {
		results = []T{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"count": len(items), "next": pg.Next, "previous": pg.Previous, "results": results})
}
