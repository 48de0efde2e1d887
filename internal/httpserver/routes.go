package httpserver

import "net/http"

// Mux is where a surface (the API, the console, the operational endpoints) mounts its routes: an
// *http.ServeMux, or a RouteTable that also keeps what was mounted.
type Mux interface {
	Handle(pattern string, h http.Handler)
	HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request))
}

// RouteTable is a ServeMux that keeps the patterns mounted on it, in order: the service's one
// route table, which a test can hold against the API's spec.
type RouteTable struct {
	*http.ServeMux
	Patterns []string
}

// NewRouteTable returns an empty route table.
func NewRouteTable() *RouteTable { return &RouteTable{ServeMux: http.NewServeMux()} }

// Handle mounts h at pattern.
func (t *RouteTable) Handle(pattern string, h http.Handler) {
	t.Patterns = append(t.Patterns, pattern)
	t.ServeMux.Handle(pattern, h)
}

// HandleFunc mounts h at pattern.
func (t *RouteTable) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	t.Handle(pattern, http.HandlerFunc(h))
}
