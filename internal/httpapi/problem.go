package httpapi

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// statusOf maps application error codes to HTTP statuses: the one place that does.
var statusOf = map[objection.Code]int{
	objection.CodeInvalid:       http.StatusBadRequest,
	objection.CodeUnprocessable: http.StatusUnprocessableEntity,
	objection.CodeNotFound:      http.StatusNotFound,
	objection.CodeConflict:      http.StatusConflict,
	objection.CodeTooLarge:      http.StatusRequestEntityTooLarge,
	objection.CodeUnauthorized:  http.StatusUnauthorized,
	objection.CodeForbidden:     http.StatusForbidden,
	objection.CodeUnavailable:   http.StatusServiceUnavailable,
	codeUnsupported:             http.StatusUnsupportedMediaType,
}

const codeUnsupported objection.Code = "unsupported_media_type"

// StatusOf is the HTTP status of an error: its application code's, else 500.
func StatusOf(err error) int {
	var e *objection.Error
	if errors.As(err, &e) && statusOf[e.Code] != 0 {
		return statusOf[e.Code]
	}
	return http.StatusInternalServerError
}

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
		p.Status = StatusOf(err)
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
