package dutch

import (
	"encoding/json"
	"strings"

	"github.com/gemeenten/meta-bezwaar-connector/internal/meta"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// Verdict says in plain words what the check of a mail found and what happens next. The
// technical account (the signature's domain and key, the reason as the check wrote it) is for
// who wants to know, beside it.
func Verdict(conf *objection.Confirmation) string {
	var v meta.Verdict
	_ = json.Unmarshal(conf.Verdict, &v)
	switch conf.State {
	case objection.ConfirmationDismissed:
		return "Terzijde gelegd na beoordeling; de e-mail blijft bewaard zoals hij binnenkwam."
	case objection.ConfirmationQuarantined:
		return quarantinedWhy(conf, v) + " Een medewerker beoordeelt hem in de quarantaine: toewijzen aan een zaak, of terzijde leggen."
	}
	if conf.AssignedBy != "" {
		if conf.Honoured {
			return "Na beoordeling aan de zaak toegewezen als bevestiging van Meta; hij wordt ongewijzigd in de zaak opgeslagen."
		}
		return "Na beoordeling aan de zaak toegewezen (geen bevestiging); hij wordt ongewijzigd in de zaak opgeslagen."
	}
	if conf.Honoured {
		return "Echt van Meta: Meta bevestigt het bezwaar. De e-mail wordt ongewijzigd in de zaak opgeslagen; zijn alle accounts bevestigd, dan wordt de zaak vanzelf afgesloten."
	}
	return "Echt van Meta, maar Meta meldt alleen dat het bezwaar is ontvangen: dat is nog geen bevestiging. De e-mail wordt in de zaak opgeslagen; wacht op de bevestiging van Meta."
}

// quarantinedWhy says why a mail was not accepted, in a sentence.
func quarantinedWhy(conf *objection.Confirmation, v meta.Verdict) string {
	reason := conf.Reason
	switch {
	case !v.Authentic:
		return "Niet aanvaard: de connector kan niet vaststellen dat deze e-mail echt van Meta komt (de digitale handtekening van Meta ontbreekt of klopt niet). Upload de e-mail zoals u hem ontving, als .eml-bestand — niet doorgestuurd, niet als PDF."
	case v.DateDoubt != "":
		return "Echt van Meta, maar de datum van de e-mail past niet bij dit bezwaar (te vroeg, of vóór de indiening)."
	case v.Doubt != "" || v.Kind == meta.KindAmbiguous:
		return "Echt van Meta, maar wat Meta schrijft is niet eenduidig: de connector leest er niet met zekerheid een bevestiging in."
	case v.Kind == meta.KindRejected:
		return "Echt van Meta, maar Meta wijst het bezwaar af of honoreert het niet."
	case strings.HasPrefix(reason, "the case is "):
		return "Echt van Meta, maar de zaak is al afgesloten: er kan niets meer aan worden toegevoegd."
	case len(v.Match.Shared) > 0:
		return "Echt van Meta, maar meer accounts delen dit e-mailadres en de e-mail noemt niet welk account hij bedoelt."
	case len(v.Match.Accounts) == 0:
		return "Echt van Meta, maar de e-mail hoort bij geen account van een lopende zaak (het adres waaraan Meta schreef, staat bij geen account)."
	}
	return "Niet aanvaard: de connector kon de e-mail niet met zekerheid aan dit bezwaar koppelen."
}
