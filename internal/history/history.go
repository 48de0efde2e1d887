// Package history tells a case's events to people: one plain Dutch line per event, the
// resource in the zaaksysteem it made as a labelled link (never a raw URL), and what the event
// holds in words of its own — a person's reason or note — as it was written. The console's case
// page and the dossier's index.html both tell it this way.
package history

import (
	"cmp"
	"regexp"
	"strings"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/dutch"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// Line is one event as a person reads it.
type Line struct {
	At    time.Time
	Actor string
	// What happened, in Dutch.
	What string
	// Link is the zaak, document, status, besluit or resultaat the event made, with its label
	// ("de zaak"); "" when it made none.
	Link, LinkLabel string
	// Note is what the event holds beyond that: a reason, a note, what was found, as recorded.
	// NoteLang is "en" when it is the connector's English (a check's reason), "" when Dutch
	// or a person's own words.
	Note, NoteLang string
	// Untold is set when the detail has a form this package does not know (an event of an older
	// release, or a new kind): the line then says only the kind, and the detail as recorded.
	Untold bool
}

// Lines tells the events in order.
func Lines(events []objection.Event) []Line {
	out := make([]Line, 0, len(events))
	for _, e := range events {
		out = append(out, Tell(e))
	}
	return out
}

var trailingURL = regexp.MustCompile(`:\s*(https?://\S+)\s*$`)

// Tell says one event in words.
func Tell(e objection.Event) Line {
	l := Line{At: e.At, Actor: e.Actor}
	detail := e.Detail
	if m := trailingURL.FindStringSubmatchIndex(detail); m != nil {
		l.Link, detail = detail[m[2]:m[3]], strings.TrimSpace(detail[:m[0]])
	}
	if t, ok := tellers[e.Type]; ok && t(&l, detail) {
		return l
	}
	// An event of a kind not told here, or with a detail of another form (an older release):
	// its kind in Dutch, and the detail as it was recorded, in English.
	l.What, l.Note, l.NoteLang, l.Untold = kindLabels[e.Type], detail, "en", true
	if l.What == "" {
		l.What = e.Type
	}
	return l
}

// kindLabels say each kind of event in a few words.
var kindLabels = map[string]string{
	objection.EventRegistered:            "Besluit vastgelegd",
	objection.EventZaakCreated:           "Zaak aangemaakt in het zaaksysteem",
	objection.EventStatusSet:             "Status gezet",
	objection.EventBesluit:               "Besluit vastgelegd in het zaaksysteem en aan de zaak gekoppeld",
	objection.EventDocumentStored:        "Document opgeslagen in het zaaksysteem",
	objection.EventFiled:                 "Ingediend bij Meta",
	objection.EventReminder:              "Herinnering verstuurd",
	objection.EventOverdue:               "Uiterste datum verstreken",
	objection.EventMailAccepted:          "E-mail van Meta aanvaard",
	objection.EventMailQuarantined:       "E-mail in quarantaine gezet",
	objection.EventMailAssigned:          "E-mail uit de quarantaine toegewezen",
	objection.EventConfirmed:             "Bevestigd met ander bewijs",
	objection.EventClosing:               "Zaak wordt afgesloten",
	objection.EventResultaat:             "Resultaat vastgelegd in het zaaksysteem",
	objection.EventClosed:                "Zaak afgesloten",
	objection.EventClosedElsewhere:       "Zaak elders afgesloten (in het zaaksysteem)",
	objection.EventFailed:                "Mislukt",
	objection.EventNotified:              "Bericht verstuurd",
	objection.EventPublicationRegistered: "Besluit klaargezet in het publicatieplatform",
	objection.EventPublished:             "Besluit gepubliceerd",
	objection.EventPublicationWithdrawn:  "Publicatie ingetrokken",
	objection.EventPublicationRefused:    "Niet gepubliceerd",
	objection.EventPublicationAgain:      "Opnieuw gevraagd te publiceren",
	objection.EventPublicatiedatum:       "Publicatiedatum van het besluit vastgelegd in het zaaksysteem",
}

// A teller says an event of its kind from the detail (without its trailing URL); false when the
// detail has another form.
type teller func(l *Line, detail string) bool

var tellers = map[string]teller{
	objection.EventRegistered:     registered,
	objection.EventZaakCreated:    made("Zaak aangemaakt in het zaaksysteem", "de zaak"),
	objection.EventBesluit:        made("Besluit vastgelegd in het zaaksysteem en aan de zaak gekoppeld", "het besluit"),
	objection.EventResultaat:      made("Resultaat vastgelegd in het zaaksysteem", "het resultaat"),
	objection.EventStatusSet:      statusSet,
	objection.EventDocumentStored: documentStored,
	objection.EventFiled:          filed,
	objection.EventReminder: matched(`^reminder: (\d+) account\(s\) not filed, deadline (\S+) (\S+)$`, func(l *Line, m []string) {
		l.What = "Herinnering verstuurd: " + accounts(m[1]) + " nog niet ingediend, uiterste datum " + dutch.Day(m[2])
	}),
	objection.EventOverdue: matched(`^the deadline passed with (\d+) account\(s\) not filed$`, func(l *Line, m []string) { l.What = "Uiterste datum verstreken; " + accounts(m[1]) + " niet ingediend" }),
	objection.EventMailAccepted: matched(`^e-mail \S+ from Meta accepted \(honoured: (true|false)\) for accounts \[.*\]$`, func(l *Line, m []string) {
		l.What = "E-mail van Meta aanvaard: alleen een ontvangstbericht, geen bevestiging"
		if m[1] == "true" {
			l.What = "E-mail van Meta aanvaard: Meta bevestigt het bezwaar"
		}
	}),
	objection.EventMailQuarantined: matched(`^e-mail \S+ kept in quarantine: (.*)$`, func(l *Line, m []string) {
		l.What, l.Note, l.NoteLang = "E-mail in quarantaine gezet; een medewerker beoordeelt hem", m[1], "en"
	}),
	objection.EventMailAssigned: matched(`^e-mail \S+ assigned to accounts \[.*\] \(counts as confirmation: (true|false)\) by (.*?): (.*)$`, func(l *Line, m []string) {
		l.What, l.Note = "E-mail uit de quarantaine aan de zaak toegewezen door "+m[2], m[3]
		if m[1] == "true" {
			l.What += "; hij telt als bevestiging"
		}
	}),
	objection.EventConfirmed: matched(`^(\w+) account "(.*)" confirmed on other evidence by (.*?): (.*)$`, func(l *Line, m []string) {
		l.What, l.Note = platform(m[1])+"-account "+m[2]+" bevestigd met ander bewijs, door "+m[3], m[4]
	}),
	objection.EventClosing: matched(`^closing the zaak \((\w+)\): (.*)$`, func(l *Line, m []string) {
		l.What, l.Note = "Zaak wordt afgesloten: "+outcome(m[1]), m[2]
	}),
	objection.EventClosed: matched(`^zaak (\S*) closed \((\w+)\)$`, func(l *Line, m []string) {
		l.What = strings.Replace("Zaak "+m[1]+" afgesloten: "+outcome(m[2]), "Zaak  ", "Zaak ", 1)
	}),
	objection.EventClosedElsewhere: matched(`^(?:the zaak was closed in the zaaksysteem by someone else|de zaak is in het zaaksysteem door een ander afgesloten): einddatum ([0-9-]+)`, func(l *Line, m []string) {
		l.What = "Zaak in het zaaksysteem door een ander afgesloten (einddatum " + dutch.Day(m[1]) + "); de connector stopt met deze zaak"
	}),
	// Why a case failed is the connector's own account of an error: kept as it is, in English.
	objection.EventFailed: func(l *Line, detail string) bool {
		l.What, l.Note, l.NoteLang = "Mislukt; een beheerder moet kijken", detail, "en"
		return true
	},
	objection.EventPublicationRegistered: matched(`^registered as a concept at the publicatiebank:?$`, func(l *Line, _ []string) {
		l.What = "Besluit als concept klaargezet in het publicatieplatform (Woo); de communicatieadviseur publiceert het daar"
		if l.Link != "" {
			l.LinkLabel = "de publicatie in het publicatieplatform"
		}
	}),
	objection.EventPublished: matched(`^published on (\S+)$`, func(l *Line, m []string) {
		l.What = "Besluit gepubliceerd op het publicatieplatform (Woo) op " + dutch.Day(m[1])
		if l.Link != "" {
			l.LinkLabel = "de openbare pagina"
		}
	}),
	objection.EventPublicationWithdrawn: matched(`^withdrawn on (\S+)$`, func(l *Line, m []string) {
		l.What = "Publicatie ingetrokken op " + dutch.Day(m[1])
	}),
	// Why a publication was refused is said in Dutch already (the publicatiebank's own words quoted).
	objection.EventPublicationRefused: func(l *Line, detail string) bool {
		l.What, l.Note = "Niet gepubliceerd", detail
		return true
	},
	objection.EventPublicationAgain: matched(`^asked to publish again$`, func(l *Line, _ []string) {
		l.What = "Opnieuw gevraagd het besluit te publiceren"
	}),
	objection.EventPublicatiedatum: matched(`^besluit publicatiedatum set to (\S+)$`, func(l *Line, m []string) {
		l.What = "Publicatiedatum van het besluit vastgelegd in het zaaksysteem: " + dutch.Day(m[1])
		if l.Link != "" {
			l.LinkLabel = "het besluit"
		}
	}),
	objection.EventNotified: matched(`^e-mail sent: (\w+)$`, func(l *Line, m []string) {
		l.What = "Bericht per e-mail verstuurd: " + cmp.Or(noticeLabels[m[1]], m[1])
	}),
}

// made tells an event that made one resource in the zaaksysteem, linked with label.
func made(what, label string) teller {
	return func(l *Line, _ string) bool {
		l.What = what
		if l.Link != "" {
			l.LinkLabel = label
		}
		return true
	}
}

// matched tells an event whose detail matches pattern.
func matched(pattern string, tell func(l *Line, m []string)) teller {
	re := regexp.MustCompile(pattern)
	return func(l *Line, detail string) bool {
		m := re.FindStringSubmatch(detail)
		if m == nil {
			return false
		}
		tell(l, m)
		return true
	}
}

var registeredDetail = regexp.MustCompile(`^decision (.+) registered with (\d+) accounts(?:; its deadline (\S+) had passed, registered on purpose)?$`)

func registered(l *Line, detail string) bool {
	m := registeredDetail.FindStringSubmatch(detail)
	if m == nil {
		return false
	}
	l.What = "Besluit " + m[1] + " vastgelegd, met " + accounts(m[2])
	if m[3] != "" {
		l.What += "; de uiterste datum " + dutch.Day(m[3]) + " was al voorbij en is bewust toch vastgelegd"
	}
	return true
}

func statusSet(l *Line, detail string) bool {
	switch {
	case detail == "status set (status-first)":
		l.What = "Eerste status gezet in het zaaksysteem"
	case detail == "status set (status-filed)":
		l.What = "Status ‘Bezwaar ingediend bij Meta’ gezet in het zaaksysteem"
	case detail == "status set (status-eind)":
		l.What = "Eindstatus gezet in het zaaksysteem"
	case strings.HasPrefix(detail, "zaak, besluit and letters are in the zaaksysteem"):
		l.What = "Zaak, besluit en brieven staan in het zaaksysteem: de bezwaren kunnen bij Meta worden ingediend"
	default:
		return false
	}
	if l.Link != "" {
		l.LinkLabel = "de status"
	}
	return true
}

func documentStored(l *Line, detail string) bool {
	what, label := "", "het document"
	switch detail {
	case "objection letter stored":
		what, label = "Bezwaarbrief opgeslagen in het zaaksysteem", "de brief"
	case "Meta's e-mail stored, byte for byte":
		what, label = "E-mail van Meta ongewijzigd opgeslagen in het zaaksysteem", "de e-mail"
	case "evidence stored":
		what, label = "Bewijs opgeslagen in het zaaksysteem", "het bewijs"
	case "the decision's document stored":
		what, label = "Besluitdocument opgeslagen in het zaaksysteem", "het besluitdocument"
	default:
		return false
	}
	l.What = what
	if l.Link != "" {
		l.LinkLabel = label
	}
	return true
}

var filedDetail = regexp.MustCompile(`^(\w+) account "(.*)" filed at Meta on (\S+) (\S+) via (\S+)(?:: (.*))?$`)

func filed(l *Line, detail string) bool {
	m := filedDetail.FindStringSubmatch(detail)
	if m == nil {
		return false
	}
	l.What = platform(m[1]) + "-account " + m[2] + " ingediend bij Meta op " + dutch.Day(m[3]) + " " + m[4] + " via " + dutch.Channel(m[5])
	l.Note = m[6]
	return true
}

var noticeLabels = map[string]string{"registered": "zaak vastgelegd", "reminder": "herinnering", "overdue": "uiterste datum verstreken",
	"accepted": "e-mail van Meta aanvaard", "quarantined": "e-mail in quarantaine", "closed": "zaak afgesloten", "failed": "mislukt"}

func outcome(o string) string {
	switch objection.Outcome(o) {
	case objection.OutcomeConfirmed:
		return "door Meta bevestigd"
	case objection.OutcomeNotConfirmed:
		return "niet door Meta bevestigd"
	}
	return o
}

func platform(p string) string { return dutch.Platform(objection.Platform(p)) }

func accounts(n string) string {
	if n == "1" {
		return "1 account"
	}
	return n + " accounts"
}
