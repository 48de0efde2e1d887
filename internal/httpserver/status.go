package httpserver

import (
	"errors"
	"net/http"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// statusOf maps application error codes to HTTP statuses: the one place that does, for the API
// and the web pages alike.
var statusOf = map[objection.Code]int{
	objection.CodeInvalid:       http.StatusBadRequest,
	objection.CodeUnprocessable: http.StatusUnprocessableEntity,
	objection.CodeNotFound:      http.StatusNotFound,
	objection.CodeConflict:      http.StatusConflict,
	objection.CodeTooLarge:      http.StatusRequestEntityTooLarge,
	objection.CodeUnauthorized:  http.StatusUnauthorized,
	objection.CodeForbidden:     http.StatusForbidden,
	objection.CodeUnavailable:   http.StatusServiceUnavailable,
	objection.CodeUnsupported:   http.StatusUnsupportedMediaType,
}

// StatusOf is the HTTP status of an error: its application code's, else 500.
func StatusOf(err error) int {
	var e *objection.Error
	if errors.As(err, &e) && statusOf[e.Code] != 0 {
		return statusOf[e.Code]
	}
	return http.StatusInternalServerError
}
