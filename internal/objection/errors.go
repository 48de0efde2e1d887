package objection

import (
	"errors"
	"fmt"
	"strings"
)

// Code classifies an application error; the HTTP layer maps codes to statuses in one place.
type Code string

// The error codes.
const (
	CodeInvalid       Code = "invalid"                // the input is wrong (400)
	CodeUnprocessable Code = "unprocessable"          // well-formed but refused, e.g. not from Meta (422)
	CodeNotFound      Code = "not_found"              // 404
	CodeConflict      Code = "conflict"               // 409
	CodeTooLarge      Code = "too_large"              // 413
	CodeUnauthorized  Code = "unauthorized"           // 401
	CodeForbidden     Code = "forbidden"              // 403
	CodeUnavailable   Code = "unavailable"            // 503
	CodeUnsupported   Code = "unsupported_media_type" // a body of a media type not taken (415)
)

// Error is an application error with a code, a message for people, and optionally the
// parameters that were wrong.
type Error struct {
	Code    Code
	Message string
	Params  []Param
	// Data is extra machine-readable detail for the answer (e.g. a verdict, candidates).
	Data any
}

func (e *Error) Error() string { return e.Message }

// Errorf makes an application error.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// CodeOf returns the code of an application error, or "" for any other error.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// Param is one invalid input parameter.
type Param struct {
	Name   string `json:"name"`
	Code   string `json:"code"`
	Reason string `json:"reason"`
}

// Invalid collects invalid parameters.
type Invalid struct{ params []Param }

// Add records one problem.
func (v *Invalid) Add(name, code, reason string) {
	v.params = append(v.params, Param{Name: name, Code: code, Reason: reason})
}

// Err returns nil, or an *Error with every recorded problem.
func (v *Invalid) Err() error {
	if len(v.params) == 0 {
		return nil
	}
	names := make([]string, len(v.params))
	for i, p := range v.params {
		names[i] = p.Name
	}
	return &Error{Code: CodeInvalid, Message: "invalid: " + strings.Join(names, ", "), Params: v.params}
}
