package console

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// pageSize is how many cases one page of the list shows.
const pageSize = 50

func (c *Console) home(w http.ResponseWriter, r *http.Request, p *Person) {
	if p.Is("registrar") || p.Is("auditor") {
		http.Redirect(w, r, "/zaken", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/beheer", http.StatusSeeOther)
}

// caseFilters are the list's filters, by their value in the URL.
var caseFilters = []struct{ Value, Label string }{
	{"open", "Lopend"}, {"te-laat", "Te laat"}, {"gesloten", "Afgesloten"}, {"alle", "Alle"},
}

type caseRow struct {
	*objection.Case
	Next string
}

func (c *Console) listCases(w http.ResponseWriter, r *http.Request, _ *Person) {
	q := r.URL.Query()
	filter := q.Get("filter")
	var f objection.CaseFilter
	switch filter {
	case "", "open":
		filter = "open"
		f.States = objection.OpenStates
	case "te-laat":
		yes := true
		f.Overdue = &yes
	case "gesloten":
		f.States = []objection.State{objection.StateClosed, objection.StateClosedElsewhere}
	case "alle":
	default:
		c.failPage(w, r, nil, http.StatusBadRequest, "Onbekend filter.")
		return
	}
	page, err := strconv.Atoi(q.Get("pagina"))
	if err != nil || page < 1 {
		page = 1
	}
	cases, total, err := c.cfg.Service.Cases(r.Context(), f, objection.Page{Number: page, Size: pageSize})
	if err != nil {
		c.failPage(w, r, err, 0, "")
		return
	}
	rows := make([]caseRow, 0, len(cases))
	for _, cs := range cases {
		rows = append(rows, caseRow{Case: cs, Next: nextStep(cs)})
	}
	data := map[string]any{"Rows": rows, "Filter": filter, "Filters": caseFilters, "Total": total, "Page": page,
		"Prev": page - 1, "Next": 0}
	if page*pageSize < total {
		data["Next"] = page + 1
	}
	c.render(w, r, http.StatusOK, "cases", view{Title: "Zaken", Data: data})
}

// accountRows is how many account rows the new-decision form offers (empty ones are skipped).
const accountRows = 4

func decisionForm() map[string]string {
	return map[string]string{"title": "Bezwaar tegen gebruik van openbare content voor AI-training door Meta",
		"account0_platform": "facebook", "account1_platform": "instagram"}
}

func (c *Console) newDecision(w http.ResponseWriter, r *http.Request, _ *Person) {
	c.render(w, r, http.StatusOK, "decision", view{Title: "Nieuw besluit", Form: decisionForm(), Data: accountIndexes()})
}

func accountIndexes() []int {
	out := make([]int, accountRows)
	for i := range out {
		out[i] = i
	}
	return out
}

// decisionFields are the new-decision form's fields.
func decisionFields() []string {
	fields := []string{"reference", "title", "decidedOn", "deadline", "acceptPastDeadline", "objectionText"}
	for i := range accountRows {
		for _, f := range []string{"platform", "name", "url", "email"} {
			fields = append(fields, "account"+strconv.Itoa(i)+"_"+f)
		}
	}
	return fields
}

// postDecision registers a decision exactly as POST /api/v1/decisions does: the same validation,
// and the reference as the idempotency key.
func (c *Console) postDecision(w http.ResponseWriter, r *http.Request, _ *Person) {
	f, ok := c.readForm(w, r, c.cfg.MaxDocument, decisionFields(), []string{"document"})
	if !ok {
		return
	}
	v := f.Fields
	d := objection.Decision{Reference: strings.TrimSpace(v["reference"]), Title: strings.TrimSpace(v["title"]),
		DecidedOn: v["decidedOn"], Deadline: v["deadline"], AcceptPastDeadline: v["acceptPastDeadline"] == "on",
		ObjectionText: strings.TrimSpace(v["objectionText"])}
	for i := range accountRows {
		k := "account" + strconv.Itoa(i) + "_"
		a := objection.Account{Platform: objection.Platform(v[k+"platform"]), Name: strings.TrimSpace(v[k+"name"]),
			URL: strings.TrimSpace(v[k+"url"]), Email: strings.TrimSpace(v[k+"email"])}
		if a.Name == "" && a.URL == "" && a.Email == "" {
			continue // a row left empty
		}
		d.Accounts = append(d.Accounts, a)
	}
	cs, created, err := c.cfg.Service.Register(r.Context(), d, f.Files["document"])
	if err != nil {
		c.formRefused(w, r, err, view{Title: "Nieuw besluit", Form: v, Data: accountIndexes()},
			func(w http.ResponseWriter, r *http.Request, status int, v view) {
				c.render(w, r, status, "decision", v)
			})
		return
	}
	if created {
		c.flash(r.Context(), "Het besluit is vastgelegd. De zaak wordt nu in het zaaksysteem aangemaakt.")
	} else {
		c.flash(r.Context(), "Dit besluit was al vastgelegd (zelfde kenmerk en inhoud): dit is de zaak ervan.")
	}
	http.Redirect(w, r, "/zaken/"+cs.ID, http.StatusSeeOther)
}

// help explains the job and how to get Meta's mail as it came (.eml), for whoever is signed in.
func (c *Console) help(w http.ResponseWriter, r *http.Request, _ *Person) {
	c.render(w, r, http.StatusOK, "help", view{Title: "Hulp"})
}
