package meta

import (
	"fmt"
	"strings"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// About is what the connector knows of the objection a mail may confirm: when it was decided,
// its accounts and when each was filed at Meta, and the text of the case that Meta may echo.
type About struct {
	DecidedOn time.Time // the start of the decision's day (Europe/Amsterdam)
	Accounts  []objection.Account
	FiledAt   []time.Time // per account; zero when no filing is recorded
	Echoes    []string    // besides the accounts' names, URLs and addresses
}

// AboutCase is what a case tells about its objection.
func AboutCase(c *objection.Case) About {
	a := About{Accounts: c.Decision.Accounts, FiledAt: make([]time.Time, len(c.Decision.Accounts)),
		Echoes: []string{c.Decision.Reference, c.Decision.Title}}
	if day, err := time.ParseInLocation(time.DateOnly, c.Decision.DecidedOn, objection.Amsterdam); err == nil {
		a.DecidedOn = day
	}
	for i := range a.FiledAt {
		if i < len(c.Accounts) && c.Accounts[i].FiledAt != nil {
			a.FiledAt[i] = *c.Accounts[i].FiledAt
		}
	}
	// Meta may quote the objection as it was pasted into its form: each sentence of it.
	a.Echoes = append(a.Echoes, sentences(normalise(c.Decision.ObjectionText))...)
	return a
}

// echoes are all the texts of the case Meta may copy into its mail.
func (a About) echoes() []string {
	out := append([]string{}, a.Echoes...)
	for _, acc := range a.Accounts {
		out = append(out, acc.Email)
		out = append(out, accountLabels(acc)...)
		out = append(out, acc.URL)
	}
	return out
}

// filingSlack is how long before a recorded filing Meta's mail may be dated: the person may
// record the filing later than it happened, or as a day (taken as noon).
const filingSlack = 24 * time.Hour

// signatureSlack is how far the signed Date and the signature's own time (t=) may lie apart.
const signatureSlack = 24 * time.Hour

// Judge reads an authentic mail for one case: what it says (Meta's template, with the case's
// names and texts taken out), which accounts it concerns, and whether its signed dates fit the
// objection. It fills v's Kind, Cues, Doubt, Match and DateDoubt, and says why the mail cannot
// count by itself ("" when it can): it concerns no account of the case, or accounts that share
// its address without being named, its words are ambiguous or of another kind than a receipt or
// a confirmation, or its signed dates do not fit. now is the moment the mail arrives.
func (c *Checker) Judge(msg *Message, v *Verdict, about About, now time.Time) (review string) {
	r := Classify(msg, c.Phrases, about.echoes()...)
	v.Kind, v.Cues, v.Doubt = r.Kind, r.Cues, r.Doubt
	v.Match = MatchAccounts(msg, r, v.Platform, about.Accounts)
	v.DateDoubt = c.dateDoubt(v, about, now)
	to := v.SignedTo()
	switch m := v.Match; {
	case len(m.Shared) > 0:
		return fmt.Sprintf("needs review: the signed recipient %s is the address of %s; the mail names none of them and does not say it covers every account of that login — a registrar can assign it",
			to, about.names(m.Shared))
	case len(m.Accounts) == 0 && len(m.Named) > 0:
		return fmt.Sprintf("needs review: the signed recipient %s is the address of no %s account of the decision; the text names %s, but a page name is no proof — a registrar can assign it",
			to, v.Platform, about.names(m.Named))
	case len(m.Accounts) == 0:
		return fmt.Sprintf("the signed recipient %s is the address of no %s account of the decision", to, v.Platform)
	case v.Kind == KindAmbiguous:
		return "needs review: " + v.Doubt
	case v.Kind != KindHonoured && v.Kind != KindReceived:
		return fmt.Sprintf("the e-mail is a %s mail, not a receipt or confirmation of the objection", v.Kind)
	case v.DateDoubt != "":
		return "needs review: " + v.DateDoubt
	}
	return ""
}

// names lists accounts for a reason: platform, name and address.
func (a About) names(idx []int) string {
	var out []string
	for _, i := range idx {
		out = append(out, fmt.Sprintf("%s account %q (%s)", a.Accounts[i].Platform, a.Accounts[i].Name, a.Accounts[i].Email))
	}
	return strings.Join(out, ", ")
}

// dateDoubt says why a mail's signed dates do not fit the objection ("" when they do): dated
// before the decision's day, more than a day before the recorded filing of an account it
// concerns, later than its arrival (beyond the clock skew allowed), or a signed Date and a
// signature time more than a day apart.
func (c *Checker) dateDoubt(v *Verdict, about About, now time.Time) string {
	date := v.ReceivedAt
	if date.IsZero() {
		return "the signed Date cannot be read"
	}
	if v.SignedAt != nil {
		if d := date.Sub(*v.SignedAt); d > signatureSlack || d < -signatureSlack {
			return fmt.Sprintf("the signed Date (%s) and the time of the signature, t= (%s), are more than a day apart", moment(date), moment(*v.SignedAt))
		}
	}
	if !about.DecidedOn.IsZero() && date.Before(about.DecidedOn) {
		return fmt.Sprintf("the mail is dated %s, before the decision of %s: it is about an earlier objection", moment(date), about.DecidedOn.Format(time.DateOnly))
	}
	for _, i := range v.Match.Accounts {
		if i < len(about.FiledAt) && !about.FiledAt[i].IsZero() && date.Before(about.FiledAt[i].Add(-filingSlack)) {
			a := about.Accounts[i]
			return fmt.Sprintf("the mail is dated %s, more than a day before the objection of %s account %q was filed (%s)", moment(date), a.Platform, a.Name, moment(about.FiledAt[i]))
		}
	}
	latest := now.Add(c.ClockSkew)
	if date.After(latest) {
		return fmt.Sprintf("the mail is dated %s, later than it arrived (%s, with %s allowed for clocks that differ)", moment(date), moment(now), c.ClockSkew)
	}
	if v.SignedAt != nil && v.SignedAt.After(latest) {
		return fmt.Sprintf("the signature is dated %s, later than the mail arrived (%s, with %s allowed for clocks that differ)", moment(*v.SignedAt), moment(now), c.ClockSkew)
	}
	return ""
}

// moment writes a time as people here read it: in Amsterdam, to the minute.
func moment(t time.Time) string { return t.In(objection.Amsterdam).Format("2006-01-02 15:04 MST") }
