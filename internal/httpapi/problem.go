// Package httpapi serves the connector's HTTP API (/api/v1): its routes, authentication of API
// clients, problem+json answers and pagination.
package httpapi

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/gemeenten/meta-bezwaar-connector/internal/httpserver"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// problem is an RFC 9457 answer.
type problem struct {
	Type          string            `json:"type"`
	Title         string            `json:"title"`
	Status        int               `json:"status"`
	Detail        string            `json:"detail,omitempty"`
	Instance      string            `json:"instance,omitempty"`
	InvalidParams []objection.Param `json:"invalidParams,omitempty"`
	Confirmation  any               `json:"confirmation,omitempty"`
}

// writeError answers an error as problem+json. Errors that are not application errors are
// internal: their text stays in the log, the client sees a generic message.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	var e *objection.Error
	p := problem{Type: "about:blank", Instance: r.URL.Path}
	if errors.As(err, &e) {
		p.Status = httpserver.StatusOf(err)
		p.Type = "https://meta-bezwaar-connector/problems/" + string(e.Code)
		p.Detail, p.InvalidParams = e.Message, e.Params
		if c, ok := e.Data.(*objection.Confirmation); ok {
			p.Confirmation = c
		}
	} else {
		p.Status = http.StatusInternalServerError
		p.Detail = "an internal error occurred; it has been logged"
		if l := loggerOf(r); l != nil {
			l.Error("internal error", "method", r.Method, "path", r.URL.Path, "error", err)
		}
	}
	p.Title = http.StatusText(p.Status)
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}
