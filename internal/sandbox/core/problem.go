package core

import (
	"encoding/json"
	"net/http"
	"strings"
)

// invalidParam is one refused field, the way Open Zaak reports it.
type invalidParam struct {
	Name   string `json:"name"`
	Code   string `json:"code"`
	Reason string `json:"reason"`
}

// Validation collects refused fields while a request is checked.
type Validation struct{ Params []invalidParam }

func (v *Validation) Add(name, code, reason string) {
	v.Params = append(v.Params, invalidParam{Name: name, Code: code, Reason: reason})
}

func (v *Validation) Failed() bool { return len(v.Params) > 0 }

// WriteProblem answers application/problem+json in Open Zaak's shape.
func WriteProblem(w http.ResponseWriter, r *http.Request, status int, code, title, detail string, params []invalidParam) {
	body := map[string]any{
		"type":     problemType(r, status),
		"code":     code,
		"title":    title,
		"status":   status,
		"detail":   detail,
		"instance": "urn:uuid:" + NewUUID(),
	}
	if status == http.StatusBadRequest {
		if params == nil {
			params = []invalidParam{}
		}
		body["invalidParams"] = params
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("API-version", ApiVersion(r))
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// WriteInvalid answers a refused input as Open Zaak does: a ValidationError whose title and
// detail say "Ongeldige invoer.", what is wrong in invalidParams.
func WriteInvalid(w http.ResponseWriter, r *http.Request, v *Validation) {
	WriteProblem(w, r, http.StatusBadRequest, "invalid", "Ongeldige invoer.", "Ongeldige invoer.", v.Params)
}

func WriteNotFound(w http.ResponseWriter, r *http.Request) {
	WriteProblem(w, r, http.StatusNotFound, "not_found", "Niet gevonden.", "Niet gevonden.", nil)
}

func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	WriteProblem(w, r, http.StatusInternalServerError, "error", "Er is een serverfout opgetreden.", err.Error(), nil)
}

func WriteJSON(w http.ResponseWriter, r *http.Request, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("API-version", ApiVersion(r))
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// ApiVersion is the version of the API a path belongs to (the API-version header).
func ApiVersion(r *http.Request) string {
	switch {
	case strings.HasPrefix(r.URL.Path, "/catalogi/"):
		return "1.3.1"
	case strings.HasPrefix(r.URL.Path, "/zaken/"):
		return "1.5.1"
	case strings.HasPrefix(r.URL.Path, "/documenten/"):
		return "1.5.0"
	case strings.HasPrefix(r.URL.Path, "/besluiten/"):
		return "1.0.2"
	}
	return "1.0.0"
}

// problemType is the problem's type URL: Open Zaak's for a validation error (under the API's
// host), the status's name otherwise.
func problemType(r *http.Request, status int) string {
	if status == http.StatusBadRequest {
		return Base(r) + "/ref/fouten/ValidationError/"
	}
	return "http://sandbox/ref/fouten/" + strings.ReplaceAll(http.StatusText(status), " ", "") + "/"
}
