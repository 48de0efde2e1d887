package dutch

import (
	"cmp"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// State says a case's state in words.
func State(s objection.State) string {
	switch s {
	case objection.StateReceived:
		return "Ontvangen"
	case objection.StateRegistering:
		return "Wordt vastgelegd in het zaaksysteem"
	case objection.StateAwaitingConfirmation:
		return "Wacht op indiening en bevestiging door Meta"
	case objection.StateClosing:
		return "Wordt afgesloten"
	case objection.StateClosed:
		return "Afgesloten"
	case objection.StateClosedElsewhere:
		return "Elders afgesloten (in het zaaksysteem)"
	case objection.StateFailed:
		return "Mislukt"
	}
	return string(s)
}

// MailState says what became of a received e-mail.
func MailState(s objection.ConfirmationState) string {
	switch s {
	case objection.ConfirmationAccepted:
		return "Aanvaard, wordt in de zaak opgeslagen"
	case objection.ConfirmationAttached:
		return "In de zaak opgeslagen"
	case objection.ConfirmationQuarantined:
		return "In quarantaine"
	case objection.ConfirmationDismissed:
		return "Terzijde gelegd"
	}
	return string(s)
}

// jobKinds say what each kind of job of the queue does.
var jobKinds = map[string]string{
	"register_case": "Zaak, besluit en brieven vastleggen in het zaaksysteem", "attach_confirmation": "E-mail van Meta in de zaak opslaan",
	"store_evidence": "Bewijs in de zaak opslaan", "set_filed_status": "Status ‘ingediend bij Meta’ zetten", "close_case": "Zaak afsluiten",
	"notify": "Bericht per e-mail versturen", "besluit_notified": "Besluit uit het zaaksysteem overnemen",
	"zaak_changed": "Wijziging van een zaak in het zaaksysteem nagaan", "subscribe_notifications": "Abonneren op meldingen van het zaaksysteem",
	"publish_decision": "Besluit aanbieden aan het publicatieplatform (Woo)", "look_at_publication": "Stand van de publicatie nagaan",
}

// jobStates say where a job of the queue stands (River's states).
var jobStates = map[string]string{
	"available": "klaar om te draaien", "scheduled": "gepland", "running": "bezig", "retryable": "mislukt, wordt opnieuw geprobeerd",
	"completed": "klaar", "cancelled": "gestopt", "discarded": "opgegeven", "pending": "wacht",
}

// JobKind says what a kind of job of the queue does.
func JobKind(k string) string {
	return cmp.Or(jobKinds[k], k)
}

// JobState says where a job of the queue stands.
func JobState(s string) string {
	return cmp.Or(jobStates[s], s)
}
