package console

import (
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"strconv"

	"github.com/gemeenten/meta-bezwaar-connector/internal/dutch"
	"github.com/gemeenten/meta-bezwaar-connector/internal/meta"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/webform"
)

func (c *Console) listQuarantine(w http.ResponseWriter, r *http.Request, _ *Person) {
	page, err := strconv.Atoi(r.URL.Query().Get("pagina"))
	if err != nil || page < 1 {
		page = 1
	}
	list, total, err := c.cfg.Service.Quarantine(r.Context(), objection.Page{Number: page, Size: pageSize})
	if err != nil {
		c.failPage(w, r, err, 0, "")
		return
	}
	rows := make([]mailView, 0, len(list))
	for _, q := range list {
		rows = append(rows, newMailView(q))
	}
	data := map[string]any{"Rows": rows, "Total": total, "Page": page, "Prev": page - 1, "Next": 0}
	if page*pageSize < total {
		data["Next"] = page + 1
	}
	c.render(w, r, http.StatusOK, "quarantine", view{Title: "Quarantaine", Data: data})
}

// quarantinedView is one refused e-mail for review: what the signature covers, the text as
// plain text (the templates escape it), never the mail's own HTML or anything it links to.
type quarantinedView struct {
	Mail      mailView
	Verdict   meta.Verdict
	Signed    []meta.SignedValue
	Text      string
	ReadError string
	Cases     []*objection.Case
}

func (c *Console) showQuarantined(w http.ResponseWriter, r *http.Request, _ *Person) {
	c.renderQuarantined(w, r, http.StatusOK, view{})
}

func (c *Console) renderQuarantined(w http.ResponseWriter, r *http.Request, status int, v view) {
	ctx := r.Context()
	conf, err := c.cfg.Service.Confirmation(ctx, r.PathValue("id"))
	if err != nil {
		c.failPage(w, r, err, 0, "")
		return
	}
	qv := quarantinedView{Mail: newMailView(conf)}
	_ = json.Unmarshal(conf.Verdict, &qv.Verdict)
	raw, err := c.cfg.Service.EML(ctx, conf.ID)
	if err != nil {
		c.failPage(w, r, err, 0, "")
		return
	}
	// The mail is read again with the same checker: for an authentic one the text is the
	// signed reading; for any other it is what the mail says, shown as unverified.
	if msg, verdict, err := c.cfg.Reader.Check(raw); err != nil {
		qv.ReadError = err.Error()
	} else {
		qv.Text, qv.Signed = msg.Text, verdict.SignedValues
	}
	// Every open case (page size 0): the one the mail belongs to is chosen from them.
	if qv.Cases, _, err = c.cfg.Service.Cases(ctx, objection.CaseFilter{States: objection.OpenStates}, objection.Page{}); err != nil {
		c.failPage(w, r, err, 0, "")
		return
	}
	v.Title, v.Data = "E-mail in quarantaine", qv
	c.render(w, r, status, "quarantined", v)
}

// downloadEML gives the mail as it came, as a download (never shown in the browser).
func (c *Console) downloadEML(w http.ResponseWriter, r *http.Request, _ *Person) {
	raw, err := c.cfg.Service.EML(r.Context(), r.PathValue("id"))
	if err != nil {
		c.failPage(w, r, err, 0, "")
		return
	}
	w.Header().Set("Content-Type", "message/rfc822")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": webform.SafeName(r.PathValue("id")) + ".eml"}))
	_, _ = w.Write(raw)
}

// maxAccounts bounds the account checkboxes read from the assign form (a decision has at most 50).
const maxAccounts = 50

func (c *Console) postAssign(w http.ResponseWriter, r *http.Request, _ *Person) {
	fields := []string{"caseId", "confirms", "note"}
	for i := range maxAccounts {
		fields = append(fields, "account"+strconv.Itoa(i))
	}
	f, ok := c.readForm(w, r, 0, fields, nil)
	if !ok {
		return
	}
	a := objection.Assignment{CaseID: f.Fields["caseId"], Confirms: f.Fields["confirms"] != "", Note: f.Fields["note"]}
	for i := range maxAccounts {
		if f.Fields["account"+strconv.Itoa(i)] != "" {
			a.Accounts = append(a.Accounts, i)
		}
	}
	if _, err := c.cfg.Service.Assign(r.Context(), r.PathValue("id"), a, objection.ActorOf(r.Context())); err != nil {
		c.quarantineRefused(w, r, err, f.Fields)
		return
	}
	c.flash(r.Context(), "De e-mail is aan de zaak toegewezen en wordt in de zaak opgeslagen.")
	http.Redirect(w, r, "/zaken/"+a.CaseID, http.StatusSeeOther)
}

func (c *Console) postDismiss(w http.ResponseWriter, r *http.Request, _ *Person) {
	f, ok := c.readForm(w, r, 0, []string{"reason"}, nil)
	if !ok {
		return
	}
	if _, err := c.cfg.Service.Dismiss(r.Context(), r.PathValue("id"), f.Fields["reason"]); err != nil {
		c.formRefused(w, r, err, view{Form: f.Fields}, c.renderDismiss)
		return
	}
	c.flash(r.Context(), "De e-mail is terzijde gelegd; hij blijft bewaard zoals hij binnenkwam.")
	http.Redirect(w, r, "/quarantaine", http.StatusSeeOther)
}

// postRecheck checks a quarantined mail again against the cases as they are now: accepted, it
// leaves the quarantine and goes into its case; refused, the page says why, once more.
func (c *Console) postRecheck(w http.ResponseWriter, r *http.Request, _ *Person) {
	if _, ok := c.readForm(w, r, 0, nil, nil); !ok {
		return
	}
	conf, err := c.cfg.Service.Recheck(r.Context(), r.PathValue("id"))
	if err != nil {
		var e *objection.Error
		if errors.As(err, &e) {
			if q, ok := e.Data.(*objection.Confirmation); ok {
				err = &objection.Error{Code: e.Code, Message: "Ook bij de nieuwe controle niet aanvaard. " + dutch.Verdict(q)}
			}
		}
		c.quarantineRefused(w, r, err, nil)
		return
	}
	c.flashLink(r.Context(), "De e-mail is bij de nieuwe controle aanvaard en wordt in de zaak opgeslagen. "+dutch.Verdict(conf),
		"Naar de zaak", "/zaken/"+conf.CaseID)
	http.Redirect(w, r, "/quarantaine", http.StatusSeeOther)
}

// confirmDismiss is the page of its own on which a registrar sets a quarantined mail aside: it
// says what happens to the mail (kept as it came, off the review list) and asks the reason.
func (c *Console) confirmDismiss(w http.ResponseWriter, r *http.Request, _ *Person) {
	c.renderDismiss(w, r, http.StatusOK, view{})
}

func (c *Console) renderDismiss(w http.ResponseWriter, r *http.Request, status int, v view) {
	conf, err := c.cfg.Service.Confirmation(r.Context(), r.PathValue("id"))
	if err != nil {
		c.failPage(w, r, err, 0, "")
		return
	}
	if conf.State != objection.ConfirmationQuarantined {
		c.failPage(w, r, nil, http.StatusConflict, "Deze e-mail staat niet (meer) in de quarantaine.")
		return
	}
	v.Title, v.Data = "E-mail terzijde leggen", newMailView(conf)
	c.render(w, r, status, "dismiss", v)
}

func (c *Console) quarantineRefused(w http.ResponseWriter, r *http.Request, err error, form map[string]string) {
	c.formRefused(w, r, err, view{Form: form}, c.renderQuarantined)
}
