package publicatiebank

import (
	"encoding/json"
	"net/http"
	"strconv"
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
	q := r.URL.Query()
	size, no := defaultSize, 1
	if n, err := strconv.Atoi(q.Get("pageSize")); err == nil && n > 0 {
		size = min(n, 100)
	}
	if p := q.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || (n-1)*size >= max(len(items), 1) {
			writeDetail(w, http.StatusNotFound, "Ongeldige pagina.")
			return
		}
		no = n
	}
	from := (no - 1) * size
	to := min(from+size, len(items))
	link := func(n int) any {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(n))
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		return scheme + "://" + r.Host + r.URL.Path + "?" + q.Encode()
	}
	var next, prev any
	if to < len(items) {
		next = link(no + 1)
	}
	if no > 1 {
		prev = link(no - 1)
	}
	results := items[from:to]
	if results == nil {
		results = []T{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"count": len(items), "next": next, "previous": prev, "results": results})
}
