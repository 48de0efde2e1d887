package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gemeenten/meta-bezwaar-connector/api/openapi"
	"github.com/gemeenten/meta-bezwaar-connector/internal/cases"
	"github.com/gemeenten/meta-bezwaar-connector/internal/config"
	"github.com/gemeenten/meta-bezwaar-connector/internal/httpserver"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/webform"
)

// Service is what the API ask of the workflow: the one case service.
type Service = cases.Service

// API serves /api/v1.
type API struct {
	Service  Service
	Dossiers cases.Dossiers
	Auth     *Auth
	Log      *slog.Logger
	// MaxEmail bounds an uploaded e-mail (bytes); larger uploads answer 413. MaxEvidence bounds
	// an evidence file, MaxDocument a decision's document.
	MaxEmail, MaxEvidence, MaxDocument int64
	// NotificationsAuth is the Authorization value of Notificaties callbacks ("" refuses them).
	NotificationsAuth string
}

// maxDecision bounds a decision body: room for the 50 accounts allowed and far more, so that an
// oversized list is answered with a 400 naming the field rather than a bare 413.
const maxDecision = 4 << 20

type loggerKey struct{}

func loggerOf(r *http.Request) *slog.Logger {
	l, _ := r.Context().Value(loggerKey{}).(*slog.Logger)
	return l
}

// Routes registers the API on mux.
func (a *API) Routes(mux httpserver.Mux) {
	registrar, reader := []config.Role{config.RoleRegistrar}, []config.Role{config.RoleAuditor, config.RoleRegistrar}
	handle := func(pattern string, h http.HandlerFunc, roles []config.Role) {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			a.Auth.Require(h, roles...)(w, r.WithContext(context.WithValue(r.Context(), loggerKey{}, a.Log)))
		})
	}
	handle("POST /api/v1/decisions", a.postDecision, registrar)
	handle("GET /api/v1/cases", a.listCases, reader)
	handle("GET /api/v1/cases/{id}", a.getCase, reader)
	handle("GET /api/v1/cases/{id}/dossier", a.getDossier, reader)
	handle("POST /api/v1/cases/{id}/confirmations", a.postConfirmation, registrar)
	handle("POST /api/v1/confirmations", a.postConfirmation, registrar)
	handle("GET /api/v1/quarantine", a.listQuarantine, registrar)
	handle("GET /api/v1/confirmations/{id}/eml", a.getEML, registrar)
	handle("POST /api/v1/quarantine/{id}/assign", a.assign, registrar)
	handle("POST /api/v1/quarantine/{id}/dismiss", a.dismiss, registrar)
	handle("GET /api/v1/cases/{id}/accounts/{n}/letter", a.getLetter, reader)
	handle("POST /api/v1/cases/{id}/accounts/{n}/filing", a.postFiling, registrar)
	handle("POST /api/v1/cases/{id}/accounts/{n}/evidence", a.postEvidence, registrar)
	handle("POST /api/v1/cases/{id}/close", a.postClose, registrar)
	handle("POST /api/v1/cases/{id}/publication", a.postPublication, registrar)
	handle("GET /api/v1/cases/{id}/events", a.getEvents, reader)
	mux.HandleFunc("POST /api/v1/notifications", func(w http.ResponseWriter, r *http.Request) {
		ctx := objection.WithPrincipal(context.WithValue(r.Context(), loggerKey{}, a.Log), objection.Principal{ID: "notificaties", Via: objection.ViaNotification})
		a.postNotification(w, r.WithContext(ctx))
	})
	handle("GET /api/v1/openapi.yaml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/yaml")
		w.Write(openapi.Spec)
	}, reader)
}

// decodeJSON reads a JSON body strictly (one object, no unknown fields, at most limit bytes),
// answering the error itself.
func decodeJSON(w http.ResponseWriter, r *http.Request, limit int64, v any) bool {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		writeError(w, r, objection.Errorf(objection.CodeUnsupported, "send application/json"))
		return false
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, limit))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		writeError(w, r, decodeError(err))
		return false
	}
	if dec.More() {
		writeError(w, r, objection.Errorf(objection.CodeInvalid, "the body holds more than one JSON value"))
		return false
	}
	return true
}

// postDecision registers a decision: JSON, or a multipart form with the part "decision" (the
// JSON) and the file "document" (the college's decision, e.g. a PDF).
func (a *API) postDecision(w http.ResponseWriter, r *http.Request) {
	var d objection.Decision
	var document *objection.Upload
	if webform.IsMultipart(r) {
		f, err := webform.Read(w, r, a.MaxDocument, []string{"decision"}, []string{"document"})
		if err != nil {
			writeError(w, r, err)
			return
		}
		part, ok := f.Fields["decision"]
		if !ok {
			writeError(w, r, webform.InvalidParam("decision", "required", "the decision (JSON) goes in the part decision"))
			return
		}
		dec := json.NewDecoder(strings.NewReader(part))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&d); err != nil {
			writeError(w, r, decodeError(err))
			return
		}
		document = f.Files["document"]
	} else if !decodeJSON(w, r, maxDecision, &d) {
		return
	}
	c, created, err := a.Service.Register(r.Context(), d, document)
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/cases/"+c.ID)
	status := http.StatusOK
	if created {
		status = http.StatusAccepted
	}
	writeJSON(w, status, c)
}

// decodeError turns a JSON decoding error into a clear 400 (or 413).
func decodeError(err error) error {
	var tooBig *http.MaxBytesError
	var syntax *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &tooBig):
		return objection.Errorf(objection.CodeTooLarge, "the body is larger than %d bytes", tooBig.Limit)
	case errors.As(err, &syntax):
		return objection.Errorf(objection.CodeInvalid, "the body is not valid JSON (at byte %d)", syntax.Offset)
	case errors.As(err, &typeErr):
		return &objection.Error{Code: objection.CodeInvalid, Message: "wrong type for " + typeErr.Field,
			Params: []objection.Param{{Name: typeErr.Field, Code: "invalid_type", Reason: "expected " + typeErr.Type.String()}}}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &objection.Error{Code: objection.CodeInvalid, Message: "unknown field " + field,
			Params: []objection.Param{{Name: field, Code: "unknown_field", Reason: "this field is not expected here"}}}
	case errors.Is(err, io.EOF):
		return objection.Errorf(objection.CodeInvalid, "the body is empty")
	}
	return objection.Errorf(objection.CodeInvalid, "the body cannot be read: %v", err)
}

func (a *API) listCases(w http.ResponseWriter, r *http.Request) {
	page, err := pageOf(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	filter, err := caseFilterOf(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	cases, total, err := a.Service.Cases(r.Context(), filter, page)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, listOf(r, page, total, cases))
}

// caseFilterOf reads ?state=a,b (or repeated) and ?overdue=true|false.
func caseFilterOf(r *http.Request) (objection.CaseFilter, error) {
	var f objection.CaseFilter
	var v objection.Invalid
	q := r.URL.Query()
	for _, s := range q["state"] {
		for _, one := range strings.Split(s, ",") {
			st := objection.State(strings.TrimSpace(one))
			if !slices.Contains(objection.States, st) {
				v.Add("state", "invalid_choice", "one of "+join(objection.States, ", "))
				continue
			}
			f.States = append(f.States, st)
		}
	}
	if raw, ok := q["overdue"]; ok {
		b, err := strconv.ParseBool(raw[0])
		if err != nil || len(raw) > 1 {
			v.Add("overdue", "invalid", "true or false")
		} else {
			f.Overdue = &b
		}
	}
	return f, v.Err()
}

// caseDetail is a case with its e-mails.
type caseDetail struct {
	*objection.Case
	Confirmations []*objection.Confirmation `json:"confirmations"`
}

// MarshalJSON writes the case's fields and its e-mails: the case's own MarshalJSON, promoted
// through the embedding, would write the case alone.
func (d caseDetail) MarshalJSON() ([]byte, error) {
	var fields map[string]json.RawMessage
	b, err := json.Marshal(d.Case)
	if err == nil {
		err = json.Unmarshal(b, &fields)
	}
	if err != nil {
		return nil, err
	}
	if fields["confirmations"], err = json.Marshal(d.Confirmations); err != nil {
		return nil, err
	}
	return json.Marshal(fields)
}

func (a *API) getCase(w http.ResponseWriter, r *http.Request) {
	c, err := a.Service.Case(r.Context(), r.PathValue("id"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	confs, err := a.Service.Confirmations(r.Context(), c.ID)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if confs == nil {
		confs = []*objection.Confirmation{}
	}
	writeJSON(w, http.StatusOK, caseDetail{Case: c, Confirmations: confs})
}

func (a *API) postConfirmation(w http.ResponseWriter, r *http.Request) {
	raw, err := a.readEmail(w, r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	conf, duplicate, err := a.Service.Confirm(r.Context(), r.PathValue("id"), raw)
	if err != nil {
		writeError(w, r, err)
		return
	}
	status := http.StatusAccepted
	if duplicate {
		status = http.StatusOK
	}
	writeJSON(w, status, conf)
}

// readEmail reads the e-mail of an upload: the body itself (message/rfc822) or the form field
// "file" (multipart/form-data), at most MaxEmail bytes.
func (a *API) readEmail(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		mt = ""
	}
	tooLarge := objection.Errorf(objection.CodeTooLarge, "the e-mail is larger than %d bytes", a.MaxEmail)
	readLimited := func(rd io.Reader) ([]byte, error) {
		b, err := io.ReadAll(io.LimitReader(rd, a.MaxEmail+1))
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) || int64(len(b)) > a.MaxEmail {
			return nil, tooLarge
		}
		if err != nil {
			return nil, objection.Errorf(objection.CodeInvalid, "the upload could not be read: %v", err)
		}
		if len(b) == 0 {
			return nil, objection.Errorf(objection.CodeInvalid, "the e-mail is empty")
		}
		return b, nil
	}
	// The body may carry a little multipart overhead beyond the e-mail itself.
	r.Body = http.MaxBytesReader(w, r.Body, a.MaxEmail+64<<10)
	switch mt {
	case "message/rfc822":
		return readLimited(r.Body)
	case "multipart/form-data":
		mr, err := r.MultipartReader()
		if err != nil {
			return nil, objection.Errorf(objection.CodeInvalid, "the multipart form cannot be read: %v", err)
		}
		for parts := 0; parts < 10; parts++ {
			p, err := mr.NextPart()
			if err != nil {
				var mbe *http.MaxBytesError
				if errors.As(err, &mbe) {
					return nil, tooLarge
				}
				break
			}
			if p.FormName() == "file" {
				return readLimited(p)
			}
		}
		return nil, &objection.Error{Code: objection.CodeInvalid, Message: "the form has no field \"file\"",
			Params: []objection.Param{{Name: "file", Code: "required", Reason: "the e-mail goes in the form field file"}}}
	}
	return nil, objection.Errorf(objection.CodeUnsupported, "send the e-mail as message/rfc822, or as multipart/form-data with field file (got %q)", fmt.Sprint(mt))
}

func (a *API) getDossier(w http.ResponseWriter, r *http.Request) {
	c, err := a.Service.Case(r.Context(), r.PathValue("id"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	if c.ZaakURL == "" {
		writeError(w, r, objection.Errorf(objection.CodeConflict, "case %s has no zaak yet (state %s)", c.ID, c.State()))
		return
	}
	name := "dossier-" + webform.SafeName(c.ZaakIdentificatie) + ".zip"
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	// The zip streams from the zaaksysteem: once it has started, a failure can only cut it
	// short (a truncated zip does not open), never turn into an error status.
	problems, err := a.Dossiers.Export(r.Context(), c.ZaakURL, w)
	if err != nil {
		a.Log.Error("dossier export failed while streaming", "case", c.ID, "error", err)
		panic(http.ErrAbortHandler)
	}
	for _, p := range problems {
		a.Log.Warn("dossier export found a problem", "case", c.ID, "problem", p)
	}
}

func (a *API) listQuarantine(w http.ResponseWriter, r *http.Request) {
	page, err := pageOf(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	list, total, err := a.Service.Quarantine(r.Context(), page)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, listOf(r, page, total, list))
}

// getEML returns a received e-mail as it came, for review; never rendered.
func (a *API) getEML(w http.ResponseWriter, r *http.Request) {
	eml, err := a.Service.EML(r.Context(), r.PathValue("id"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "message/rfc822")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": webform.SafeName(r.PathValue("id")) + ".eml"}))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(eml)
}

func (a *API) assign(w http.ResponseWriter, r *http.Request) {
	var as objection.Assignment
	if !decodeJSON(w, r, 64<<10, &as) {
		return
	}
	conf, err := a.Service.Assign(r.Context(), r.PathValue("id"), as, objection.ActorOf(r.Context()))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, conf)
}

// dismiss sets a quarantined e-mail aside, with the reason.
func (a *API) dismiss(w http.ResponseWriter, r *http.Request) {
	reason, ok := readReason(w, r)
	if !ok {
		return
	}
	conf, err := a.Service.Dismiss(r.Context(), r.PathValue("id"), reason)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, conf)
}
