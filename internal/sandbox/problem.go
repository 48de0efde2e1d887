package sandbox

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

// validation collects refused fields while a request is checked.
type validation struct{ params []invalidParam }

func (v *validation) add(name, code, reason string) {
	v.params = append(v.params, invalidParam{Name: name, Code: code, Reason: reason})
}

func (v *validation) failed() bool { return len(v.params) > 0 }

// writeProblem answers application/problem+json in Open Zaak's shape.
func writeProblem(w http.ResponseWriter, r *http.Request, status int, code, title, detail string, params []invalidParam) {
	body := map[string]any{
		"type":     problemType(r, status),
		"code":     code,
		"title":    title,
		"status":   status,
		"detail":   detail,
		"instance": "urn:uuid:" + newUUID(),
	}
	if status == http.StatusBadRequest {
		if params == nil {
			params = []invalidParam{}
		}
		body["invalidParams"] = params
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("API-version", apiVersion(r))
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// writeInvalid answers a refused input as Open Zaak does: a ValidationError whose title and
// detail say "Ongeldige invoer.", what is wrong in invalidParams.
func writeInvalid(w http.ResponseWriter, r *http.Request, v *validation) {
	writeProblem(w, r, http.StatusBadRequest, "invalid", "Ongeldige invoer.", "Ongeldige invoer.", v.params)
}

func writeNotFound(w http.ResponseWriter, r *http.Request) {
	writeProblem(w, r, http.StatusNotFound, "not_found", "Niet gevonden.", "Niet gevonden.", nil)
}

func writeError(w http.ResponseWriter, r *http.Request, err error) {
	writeProblem(w, r, http.StatusInternalServerError, "error", "Er is een serverfout opgetreden.", err.Error(), nil)
}

func writeJSON(w http.ResponseWriter, r *http.Request, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("API-version", apiVersion(r))
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// apiVersion is the version of the API a path belongs to (the API-version header).
func apiVersion(r *http.Request) string {
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
		return base(r) + "/ref/fouten/ValidationError/"
	}
	return "http://sandbox/ref/fouten/" + strings.ReplaceAll(http.StatusText(status), " ", "") + "/"
}
