package httpapi

import (
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/webform"
)

// accountOf reads {n} of /cases/{id}/accounts/{n}.
func accountOf(r *http.Request) (int, error) {
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 0 {
		return 0, objection.Errorf(objection.CodeNotFound, "no account %q", r.PathValue("n"))
	}
	return n, nil
}

// getLetter returns the letter as stored in the zaaksysteem, byte for byte, to paste into Meta's
// form; the form's address comes in a Link header.
func (a *API) getLetter(w http.ResponseWriter, r *http.Request) {
	n, err := accountOf(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	body, form, err := a.Service.Letter(r.Context(), r.PathValue("id"), n)
	if err != nil {
		writeError(w, r, err)
		return
	}
	defer body.Close()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if form != "" {
		w.Header().Set("Link", "<"+form+`>; rel="related"; title="Meta's objection form"`)
	}
	if _, err := io.Copy(w, body); err != nil {
		a.Log.Warn("sending a letter was cut off", "case", r.PathValue("id"), "error", err)
	}
}

// filingBody is the JSON form of a filing.
type filingBody struct {
	FiledAt string `json:"filedAt,omitempty"`
	Channel string `json:"channel"`
	Note    string `json:"note,omitempty"`
}

// postFiling records that an account's objection was filed at Meta: JSON, or a multipart form
// with the same fields and an optional file "evidence" (Meta's receipt).
func (a *API) postFiling(w http.ResponseWriter, r *http.Request) {
	n, err := accountOf(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var body filingBody
	var evidence *objection.Upload
	if webform.IsMultipart(r) {
		f, err := webform.Read(w, r, a.MaxEvidence, []string{"filedAt", "channel", "note"}, []string{"evidence"})
		if err != nil {
			writeError(w, r, err)
			return
		}
		body = filingBody{FiledAt: f.Fields["filedAt"], Channel: f.Fields["channel"], Note: f.Fields["note"]}
		evidence = f.Files["evidence"]
	} else if !decodeJSON(w, r, 64<<10, &body) {
		return
	}
	req := objection.FilingRequest{Channel: body.Channel, Note: body.Note, Evidence: evidence}
	if body.FiledAt != "" {
		if req.At, err = objection.ParseMoment(body.FiledAt, time.Now()); err != nil {
			writeError(w, r, webform.InvalidParam("filedAt", "invalid", "a date (YYYY-MM-DD) or a moment (RFC 3339)"))
			return
		}
	}
	c, err := a.Service.File(r.Context(), r.PathValue("id"), n, req)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

// postEvidence confirms an account on other evidence: a multipart form with "reason" and the
// file "evidence".
func (a *API) postEvidence(w http.ResponseWriter, r *http.Request) {
	n, err := accountOf(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
		writeError(w, r, objection.Errorf(objection.CodeUnsupported, "send multipart/form-data with the fields reason and evidence (a file)"))
		return
	}
	f, err := webform.Read(w, r, a.MaxEvidence, []string{"reason"}, []string{"evidence"})
	if err != nil {
		writeError(w, r, err)
		return
	}
	c, err := a.Service.ConfirmByEvidence(r.Context(), r.PathValue("id"), n, objection.EvidenceRequest{Reason: f.Fields["reason"], Evidence: f.Files["evidence"]})
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, c)
}

// postClose closes a case as not confirmed, with a reason.
func (a *API) postClose(w http.ResponseWriter, r *http.Request) {
	reason, ok := readReason(w, r)
	if !ok {
		return
	}
	c, err := a.Service.CloseNotConfirmed(r.Context(), r.PathValue("id"), reason)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, c)
}

// postPublication asks again for the publication of a decision the publicatiebank refused.
func (a *API) postPublication(w http.ResponseWriter, r *http.Request) {
	c, err := a.Service.PublishAgain(r.Context(), r.PathValue("id"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, c)
}

// getEvents returns the case's history.
func (a *API) getEvents(w http.ResponseWriter, r *http.Request) {
	events, err := a.Service.Events(r.Context(), r.PathValue("id"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"count": len(events), "results": events})
}

// readReason reads a body that only gives a reason ({"reason": …}, strictly), answering the error
// itself.
func readReason(w http.ResponseWriter, r *http.Request) (string, bool) {
	var body struct {
		Reason string `json:"reason"`
	}
	ok := decodeJSON(w, r, 64<<10, &body)
	return body.Reason, ok
}
