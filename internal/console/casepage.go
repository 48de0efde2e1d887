package console

import (
	"cmp"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/dutch"
	"github.com/gemeenten/meta-bezwaar-connector/internal/history"
	"github.com/gemeenten/meta-bezwaar-connector/internal/meta"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// maxLetter bounds a letter read back from the zaaksysteem for the page.
const maxLetter = 1 << 20

type accountView struct {
	N int
	objection.AccountState
	Letter string
}

type mailView struct {
	*objection.Confirmation
	Plain     string        // what the check found and what comes next, in plain words (plainVerdict)
	Technical technicalView // the signature, and the check's reason as it wrote it
}

// technicalView is the technical account of a mail's check, for who wants to know.
type technicalView struct {
	Domain, Selector, Key, Reason string
	SignedAt                      *time.Time
}

func newMailView(conf *objection.Confirmation) mailView {
	var v meta.Verdict
	_ = json.Unmarshal(conf.Verdict, &v)
	tv := technicalView{Reason: cmp.Or(conf.Reason, v.Reason), SignedAt: v.SignedAt}
	if v.Authentic {
		tv.Domain, tv.Selector, tv.Key = v.Domain, v.Selector, v.KeyFingerprint
	}
	return mailView{Confirmation: conf, Plain: dutch.Verdict(conf), Technical: tv}
}

type caseView struct {
	Case          *objection.Case
	Next          string
	ZaakLink      string
	Accounts      []accountView
	Confirmations []mailView
	Events        []objection.Event
	History       []history.Line // the events in words
	Open          bool           // takes filings, e-mails and evidence
	MayClose      bool           // may be closed as not confirmed (objection.Case.MayCloseUnconfirmed)
	Version       string         // what the page shows of the case (caseVersion), to notice a change
	PollMillis    int64          // how often the page asks for the version (0: never)
	Today         string
	Channels      []struct{ Value, Label string }
}

func (c *Console) showCase(w http.ResponseWriter, r *http.Request, _ *Person) {
	c.renderCase(w, r, http.StatusOK, view{})
}

// renderCase shows a case; v carries an error of a form posted on the page, if any.
func (c *Console) renderCase(w http.ResponseWriter, r *http.Request, status int, v view) {
	ctx := r.Context()
	cs, err := c.cfg.Service.Case(ctx, r.PathValue("id"))
	if err != nil {
		c.failPage(w, r, err, 0, "")
		return
	}
	cv := caseView{Case: cs, Next: nextStep(cs), ZaakLink: c.cfg.Settings.ZaakLink(cs.ZaakIdentificatie, cs.ZaakURL),
		Open: cs.State() == objection.StateAwaitingConfirmation, MayClose: cs.MayCloseUnconfirmed(c.cfg.Now()),
		Today: c.cfg.Now().In(objection.Amsterdam).Format("2006-01-02")}
	for _, ch := range objection.Channels {
		cv.Channels = append(cv.Channels, struct{ Value, Label string }{ch, dutch.Channel(ch)})
	}
	for i, a := range cs.Accounts {
		av := accountView{N: i, AccountState: a}
		if a.LetterURL != "" {
			av.Letter = c.letterText(r, cs.ID, i)
		}
		cv.Accounts = append(cv.Accounts, av)
	}
	confs, err := c.cfg.Service.Confirmations(ctx, cs.ID)
	if err != nil {
		c.failPage(w, r, err, 0, "")
		return
	}
	for _, conf := range confs {
		cv.Confirmations = append(cv.Confirmations, newMailView(conf))
	}
	if cv.Events, err = c.cfg.Service.Events(ctx, cs.ID); err != nil {
		c.failPage(w, r, err, 0, "")
		return
	}
	cv.History = history.Lines(cv.Events)
	cv.Version, cv.PollMillis = caseVersion(cs, cv.Events), c.cfg.Settings.ChangePoll.Milliseconds()
	v.Title, v.Data = "Zaak "+cmp.Or(cs.ZaakIdentificatie, cs.Decision.Reference), cv
	c.render(w, r, status, "case", v)
}

// caseVersion tells one state of a case from another as a page shows it: the case's last change
// and its newest event (a mail kept in quarantine changes no field of the case, but adds one).
func caseVersion(cs *objection.Case, events []objection.Event) string {
	var last int64
	for _, e := range events {
		last = max(last, e.Seq)
	}
	return strconv.FormatInt(cs.UpdatedAt.UnixNano(), 36) + "." + strconv.FormatInt(last, 36)
}

// version answers an open case page that asks whether its case changed since it was loaded.
func (c *Console) version(w http.ResponseWriter, r *http.Request, _ *Person) {
	cs, err := c.cfg.Service.Case(r.Context(), r.PathValue("id"))
	if err != nil {
		c.failPage(w, r, err, 0, "")
		return
	}
	events, err := c.cfg.Service.Events(r.Context(), cs.ID)
	if err != nil {
		c.failPage(w, r, err, 0, "")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]string{"version": caseVersion(cs, events)})
}

// letterText is the letter as stored in the zaaksysteem; a letter that cannot be read now is
// said so on the page (the rest of the page still works).
func (c *Console) letterText(r *http.Request, caseID string, n int) string {
	body, _, err := c.cfg.Service.Letter(r.Context(), caseID, n)
	if err != nil {
		c.cfg.Log.Warn("reading a letter for the console", "case", caseID, "account", n, "error", err)
		return ""
	}
	defer body.Close()
	b, err := io.ReadAll(io.LimitReader(body, maxLetter))
	if err != nil {
		return ""
	}
	return string(b)
}

// letter sends the letter as text, to save or paste.
func (c *Console) letter(w http.ResponseWriter, r *http.Request, _ *Person) {
	n, ok := c.account(w, r)
	if !ok {
		return
	}
	body, _, err := c.cfg.Service.Letter(r.Context(), r.PathValue("id"), n)
	if err != nil {
		c.failPage(w, r, err, 0, "")
		return
	}
	defer body.Close()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="bezwaar-account-`+strconv.Itoa(n+1)+`.txt"`)
	_, _ = io.Copy(w, io.LimitReader(body, maxLetter))
}

func (c *Console) account(w http.ResponseWriter, r *http.Request) (int, bool) {
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 0 {
		c.failPage(w, r, nil, http.StatusNotFound, "Dit account bestaat niet.")
		return 0, false
	}
	return n, true
}

// done answers a form that worked: back to the case, with a message.
func (c *Console) done(w http.ResponseWriter, r *http.Request, msg string) {
	c.flash(r.Context(), msg)
	http.Redirect(w, r, "/zaken/"+r.PathValue("id"), http.StatusSeeOther)
}

// refused shows the case again with why a form was refused, and what was typed.
func (c *Console) refused(w http.ResponseWriter, r *http.Request, err error, form map[string]string) {
	// The case page's forms name their fields per account (filedAt-0) and the mail's file
	// "mailfile": the error summary links there.
	ids := map[string]string{"file": "mailfile"}
	if n := r.PathValue("n"); n != "" {
		for _, f := range []string{"filedAt", "channel", "note", "evidence"} {
			ids[f] = f + "-" + n
		}
	}
	c.formRefused(w, r, err, view{Form: form, FieldIDs: ids}, c.renderCase)
}

func (c *Console) postFiling(w http.ResponseWriter, r *http.Request, _ *Person) {
	n, ok := c.account(w, r)
	if !ok {
		return
	}
	f, ok := c.readForm(w, r, c.cfg.MaxEvidence, []string{"filedAt", "channel", "note"}, []string{"evidence"})
	if !ok {
		return
	}
	req := objection.FilingRequest{Channel: f.Fields["channel"], Note: strings.TrimSpace(f.Fields["note"]), Evidence: f.Files["evidence"]}
	if at := f.Fields["filedAt"]; at != "" {
		var err error
		if req.At, err = objection.ParseMoment(at, c.cfg.Now()); err != nil {
			c.refused(w, r, objection.Errorf(objection.CodeInvalid, "de datum van indiening is geen datum"), f.Fields)
			return
		}
	}
	if _, err := c.cfg.Service.File(r.Context(), r.PathValue("id"), n, req); err != nil {
		c.refused(w, r, err, f.Fields)
		return
	}
	c.done(w, r, "De indiening bij Meta is vastgelegd.")
}

func (c *Console) postEvidence(w http.ResponseWriter, r *http.Request, _ *Person) {
	n, ok := c.account(w, r)
	if !ok {
		return
	}
	f, ok := c.readForm(w, r, c.cfg.MaxEvidence, []string{"reason"}, []string{"evidence"})
	if !ok {
		return
	}
	if _, err := c.cfg.Service.ConfirmByEvidence(r.Context(), r.PathValue("id"), n, objection.EvidenceRequest{Reason: f.Fields["reason"], Evidence: f.Files["evidence"]}); err != nil {
		c.formRefused(w, r, err, view{Form: f.Fields, FieldIDs: map[string]string{"evidence": "proof"}}, c.renderEvidence)
		return
	}
	c.done(w, r, "Het account is bevestigd met het bewijs; het bewijs wordt in de zaak opgeslagen.")
}

// evidenceView is the page on which an account is confirmed on other evidence.
type evidenceView struct {
	Case    *objection.Case
	N       int
	Account objection.AccountState
}

// confirmEvidence is the page of its own on which a registrar confirms an account on other
// evidence than Meta's mail: it says what that means and that it cannot be undone.
func (c *Console) confirmEvidence(w http.ResponseWriter, r *http.Request, _ *Person) {
	c.renderEvidence(w, r, http.StatusOK, view{})
}

func (c *Console) renderEvidence(w http.ResponseWriter, r *http.Request, status int, v view) {
	n, ok := c.account(w, r)
	if !ok {
		return
	}
	cs, err := c.cfg.Service.Case(r.Context(), r.PathValue("id"))
	if err != nil {
		c.failPage(w, r, err, 0, "")
		return
	}
	if n >= len(cs.Accounts) || cs.State() != objection.StateAwaitingConfirmation || cs.Accounts[n].ConfirmedAt != nil {
		c.failPage(w, r, nil, http.StatusConflict, "Dit account kan nu niet met ander bewijs worden bevestigd: de zaak wacht niet (meer) op bevestiging, of het account is al bevestigd.")
		return
	}
	v.Title, v.Data = "Account bevestigen met ander bewijs", evidenceView{Case: cs, N: n, Account: cs.Accounts[n]}
	c.render(w, r, status, "evidence", v)
}

// postMail takes Meta's e-mail for the case, checked exactly as the API checks it.
func (c *Console) postMail(w http.ResponseWriter, r *http.Request, _ *Person) {
	f, ok := c.readForm(w, r, c.cfg.MaxEmail, nil, []string{"file"})
	if !ok {
		return
	}
	raw := f.Files["file"]
	if raw == nil || len(raw.Data) == 0 {
		c.refused(w, r, objection.Errorf(objection.CodeInvalid, "kies het e-mailbestand (.eml) van Meta"), nil)
		return
	}
	conf, duplicate, err := c.cfg.Service.Confirm(r.Context(), r.PathValue("id"), raw.Data)
	if err != nil {
		var e *objection.Error
		if errors.As(err, &e) {
			if q, ok := e.Data.(*objection.Confirmation); ok {
				err = &objection.Error{Code: e.Code, Message: dutch.Verdict(q), Params: e.Params}
			} else if guidance, ok := mailFileGuidance(e); ok {
				err = &objection.Error{Code: e.Code, Message: guidance}
			}
		}
		c.refused(w, r, err, nil)
		return
	}
	switch {
	case duplicate && conf.CaseID != r.PathValue("id"):
		// Not a success here: the mail was received before, for another case or none.
		msg := "Deze e-mail is al eerder ontvangen, en hoort niet bij deze zaak: bij deze zaak is niets opgeslagen."
		if conf.CaseID == "" {
			c.flashLink(r.Context(), msg+" Hij staat in de quarantaine.", "Naar de e-mail in de quarantaine", "/quarantaine/"+conf.ID)
		} else {
			c.flashLink(r.Context(), msg, "Naar de zaak waar hij bij hoort", "/zaken/"+conf.CaseID)
		}
		http.Redirect(w, r, "/zaken/"+r.PathValue("id"), http.StatusSeeOther)
	case duplicate:
		c.done(w, r, "Deze e-mail was al ontvangen; er is niets dubbel opgeslagen. "+dutch.Verdict(conf))
	default:
		c.done(w, r, "De e-mail is aanvaard. "+dutch.Verdict(conf))
	}
}

// mailFileGuidance says in words what to do when the uploaded file was no e-mail: above all for
// an Outlook .msg, how to get Meta's mail out of Outlook with its signature intact.
func mailFileGuidance(e *objection.Error) (string, bool) {
	for _, p := range e.Params {
		switch p.Code {
		case "outlook_msg":
			return "Dit is een Outlook-bestand (.msg). Daarin staat de e-mail niet meer zoals Meta hem ondertekende, dus de connector kan niet nagaan of hij echt van Meta is. " +
				"Stuur de e-mail van Meta door naar het postvak van de connector (vraag de beheerder naar het adres), " +
				"of open hem in Outlook op het web en kies Downloaden: dat geeft een .eml-bestand, dat u hier kunt uploaden. Meer op de pagina Hulp.", true
		case "not_an_email":
			return "Dit bestand is geen e-mail. Upload de e-mail van Meta zelf, als .eml-bestand: in Outlook op het web via Downloaden, " +
				"in Thunderbird of Apple Mail via Opslaan als. Een PDF of schermafdruk van de e-mail kunt u als ander bewijs bij het account vastleggen.", true
		}
	}
	return "", false
}

// closeView is what the page that closes a case as not confirmed shows before it is done.
type closeView struct {
	Case        *objection.Case
	Unconfirmed []objection.AccountState // the accounts Meta did not confirm
}

// confirmClose is the page of its own on which a registrar closes a case as not confirmed: it
// says what will happen and that it cannot be undone, and asks the reason.
func (c *Console) confirmClose(w http.ResponseWriter, r *http.Request, _ *Person) {
	c.renderClose(w, r, http.StatusOK, view{})
}

func (c *Console) renderClose(w http.ResponseWriter, r *http.Request, status int, v view) {
	cs, err := c.cfg.Service.Case(r.Context(), r.PathValue("id"))
	if err != nil {
		c.failPage(w, r, err, 0, "")
		return
	}
	if !cs.MayCloseUnconfirmed(c.cfg.Now()) {
		c.failPage(w, r, nil, http.StatusConflict, "Deze zaak kan nu niet als niet bevestigd worden afgesloten: dat kan zodra elk account bij Meta is ingediend of de uiterste datum voorbij is.")
		return
	}
	cv := closeView{Case: cs}
	for _, a := range cs.Accounts {
		if a.ConfirmedAt == nil {
			cv.Unconfirmed = append(cv.Unconfirmed, a)
		}
	}
	v.Title, v.Data = "Zaak afsluiten zonder bevestiging", cv
	c.render(w, r, status, "close", v)
}

func (c *Console) postClose(w http.ResponseWriter, r *http.Request, _ *Person) {
	f, ok := c.readForm(w, r, 0, []string{"reason"}, nil)
	if !ok {
		return
	}
	if _, err := c.cfg.Service.CloseNotConfirmed(r.Context(), r.PathValue("id"), f.Fields["reason"]); err != nil {
		c.formRefused(w, r, err, view{Form: f.Fields, FieldIDs: map[string]string{"reason": "close-reason"}}, c.renderClose)
		return
	}
	c.done(w, r, "De zaak wordt afgesloten als niet bevestigd.")
}

// postPublication asks again for the publication of a decision the publicatiebank refused.
func (c *Console) postPublication(w http.ResponseWriter, r *http.Request, _ *Person) {
	if _, ok := c.readForm(w, r, 0, nil, nil); !ok {
		return
	}
	if _, err := c.cfg.Service.PublishAgain(r.Context(), r.PathValue("id")); err != nil {
		c.refused(w, r, err, nil)
		return
	}
	c.done(w, r, "Het besluit wordt opnieuw aangeboden aan het publicatieplatform.")
}
