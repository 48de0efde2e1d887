// Package dutch is the catalogue of the words the connector says to people in Dutch: what a
// platform, a channel, a way of confirming, a case's or a mail's state and a queued job are
// called, what a refused form field needs (by the domain's parameter codes), and what the check
// of Meta's mail found — so that the console, the notices and the history say each thing one
// way. The APIs keep their English for machines.
package dutch

import (
	"cmp"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// Platform names one of Meta's platforms.
func Platform(p objection.Platform) string {
	switch p {
	case objection.Facebook:
		return "Facebook"
	case objection.Instagram:
		return "Instagram"
	}
	return string(p)
}

// channels name how an objection was filed.
var channels = map[string]string{"web-form": "Webformulier van Meta", "app": "App", "e-mail": "E-mail", "letter": "Brief"}

// Channel names how an objection was filed.
func Channel(ch string) string {
	return cmp.Or(channels[ch], ch)
}

// ConfirmedHow says how an account was confirmed.
func ConfirmedHow(how string) string {
	switch how {
	case objection.ConfirmedByMail:
		return "e-mail van Meta"
	case objection.ConfirmedByEvidence:
		return "ander bewijs"
	}
	return how
}

// publicationStates say where a decision's publication on the Woo platform is.
var publicationStates = map[objection.PublicationState]string{
	objection.PublicationPending:   "Wordt vastgelegd in het publicatieplatform",
	objection.PublicationConcept:   "Klaargezet als concept in het publicatieplatform; de communicatieadviseur publiceert het daar",
	objection.PublicationPublished: "Gepubliceerd",
	objection.PublicationWithdrawn: "Ingetrokken",
	objection.PublicationRefused:   "Niet gepubliceerd",
}

// PublicationState says where a decision's publication is.
func PublicationState(s objection.PublicationState) string {
	return cmp.Or(publicationStates[s], string(s))
}

// Day writes a day kept as YYYY-MM-DD (a decision's dates, a publicatiedatum) the Dutch way:
// DD-MM-YYYY. What is not such a day is returned as it is.
func Day(s string) string {
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		return d.Format("02-01-2006")
	}
	return s
}
