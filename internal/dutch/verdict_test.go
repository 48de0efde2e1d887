package dutch

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/gemeenten/meta-bezwaar-connector/internal/meta"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// What the check of a mail found is said in plain words, with what comes next; the technical
// account stays beside it.
func TestVerdict(t *testing.T) {
	mail := func(state objection.ConfirmationState, honoured bool, reason string, v meta.Verdict) *objection.Confirmation {
		raw, _ := json.Marshal(v)
		return &objection.Confirmation{State: state, Honoured: honoured, Reason: reason, Verdict: raw}
	}
	authentic := meta.Verdict{Authenticity: meta.Authenticity{Authentic: true}, Match: meta.Match{Accounts: []int{0}}}
	for _, tc := range []struct {
		name string
		conf *objection.Confirmation
		want []string
	}{
		{"a confirmation", mail(objection.ConfirmationAccepted, true, "", authentic), []string{"Echt van Meta: Meta bevestigt het bezwaar", "vanzelf afgesloten"}},
		{"only received", mail(objection.ConfirmationAttached, false, "", authentic), []string{"alleen dat het bezwaar is ontvangen", "wacht op de bevestiging"}},
		{"forged", mail(objection.ConfirmationQuarantined, false, "not accepted as from Meta: the DKIM signature does not verify",
			meta.Verdict{Authenticity: meta.Authenticity{Reason: "the DKIM signature does not verify"}}), []string{"niet vaststellen dat deze e-mail echt van Meta komt", ".eml", "beoordeelt"}},
		{"a date that does not fit", mail(objection.ConfirmationQuarantined, false, "x", meta.Verdict{Authenticity: meta.Authenticity{Authentic: true}, DateDoubt: "before the filing"}), []string{"datum", "past niet"}},
		{"ambiguous", mail(objection.ConfirmationQuarantined, false, "x", meta.Verdict{Authenticity: meta.Authenticity{Authentic: true}, Kind: meta.KindAmbiguous, Match: meta.Match{Accounts: []int{0}}}), []string{"niet eenduidig"}},
		{"no account", mail(objection.ConfirmationQuarantined, false, "x", meta.Verdict{Authenticity: meta.Authenticity{Authentic: true}}), []string{"hoort bij geen account"}},
		{"set aside", mail(objection.ConfirmationDismissed, false, "x", authentic), []string{"Terzijde gelegd"}},
	} {
		got := Verdict(tc.conf)
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q lacks %q", tc.name, got, w)
			}
		}
		for _, english := range []string{"DKIM", "signature", "verify", "accepted"} {
			if strings.Contains(got, english) {
				t.Errorf("%s: %q says %q", tc.name, got, english)
			}
		}
	}
}
