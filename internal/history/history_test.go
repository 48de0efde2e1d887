package history

import (
	"testing"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

func TestTell(t *testing.T) {
	const zaak = "https://zaken.example.nl/zaken/api/v1/zaken/u-1"
	for _, tc := range []struct {
		typ, detail string
		what, link  string
		note, lang  string
	}{
		{objection.EventRegistered, "decision B&W-2025-0412 registered with 2 accounts", "Besluit B&W-2025-0412 vastgelegd, met 2 accounts", "", "", ""},
		{objection.EventRegistered, "decision B&W-1 registered with 1 accounts; its deadline 2025-05-27 had passed, registered on purpose",
			"Besluit B&W-1 vastgelegd, met 1 account; de uiterste datum 27-05-2025 was al voorbij en is bewust toch vastgelegd", "", "", ""},
		{objection.EventZaakCreated, "zaak created: " + zaak, "Zaak aangemaakt in het zaaksysteem", "de zaak", "", ""},
		{objection.EventStatusSet, "status set (status-eind): https://z/statussen/1", "Eindstatus gezet in het zaaksysteem", "de status", "", ""},
		{objection.EventDocumentStored, "objection letter stored: https://d/1", "Bezwaarbrief opgeslagen in het zaaksysteem", "de brief", "", ""},
		{objection.EventDocumentStored, "Meta's e-mail stored, byte for byte: https://d/2", "E-mail van Meta ongewijzigd opgeslagen in het zaaksysteem", "de e-mail", "", ""},
		{objection.EventFiled, `instagram account "@voorbeeldstad" filed at Meta on 2025-05-14 10:30 via app: alleen een melding`,
			"Instagram-account @voorbeeldstad ingediend bij Meta op 14-05-2025 10:30 via App", "", "alleen een melding", ""},
		{objection.EventMailAccepted, "e-mail m1 from Meta accepted (honoured: true) for accounts [0]", "E-mail van Meta aanvaard: Meta bevestigt het bezwaar", "", "", ""},
		{objection.EventMailQuarantined, "e-mail m2 kept in quarantine: the DKIM signature does not verify", "E-mail in quarantaine gezet; een medewerker beoordeelt hem", "", "the DKIM signature does not verify", "en"},
		{objection.EventClosing, "closing the zaak (not_confirmed): Meta antwoordt niet", "Zaak wordt afgesloten: niet door Meta bevestigd", "", "Meta antwoordt niet", ""},
		{objection.EventClosed, "zaak ZAAK-1 closed (confirmed)", "Zaak ZAAK-1 afgesloten: door Meta bevestigd", "", "", ""},
		{objection.EventNotified, "e-mail sent: reminder", "Bericht per e-mail verstuurd: herinnering", "", "", ""},
		{objection.EventFailed, "gave up after 10 attempts: timeout", "Mislukt; een beheerder moet kijken", "", "gave up after 10 attempts: timeout", "en"},
		{objection.EventClosedElsewhere, "de zaak is in het zaaksysteem door een ander afgesloten: einddatum 2025-06-01, resultaat https://z/r/1, status https://z/s/1",
			"Zaak in het zaaksysteem door een ander afgesloten (einddatum 01-06-2025); de connector stopt met deze zaak", "", "", ""},
		{objection.EventClosedElsewhere, "the zaak was closed in the zaaksysteem by someone else: einddatum 2025-06-01, resultaat https://z/r/1, status https://z/s/1",
			"Zaak in het zaaksysteem door een ander afgesloten (einddatum 01-06-2025); de connector stopt met deze zaak", "", "", ""},
		{objection.EventPublicationRegistered, "registered as a concept at the publicatiebank: https://gpp.example.nl/publicaties/p-1",
			"Besluit als concept klaargezet in het publicatieplatform (Woo); de communicatieadviseur publiceert het daar", "de publicatie in het publicatieplatform", "", ""},
		{objection.EventPublicationRegistered, "registered as a concept at the publicatiebank",
			"Besluit als concept klaargezet in het publicatieplatform (Woo); de communicatieadviseur publiceert het daar", "", "", ""},
		{objection.EventPublished, "published on 2026-12-07: https://open.example.nl/p-1", "Besluit gepubliceerd op het publicatieplatform (Woo) op 07-12-2026", "de openbare pagina", "", ""},
		{objection.EventPublicationWithdrawn, "withdrawn on 2026-12-08", "Publicatie ingetrokken op 08-12-2026", "", "", ""},
		{objection.EventPublicationRefused, "Niet gepubliceerd: het publicatieplatform kent geen informatiecategorie “x”.", "Niet gepubliceerd", "",
			"Niet gepubliceerd: het publicatieplatform kent geen informatiecategorie “x”.", ""},
		{objection.EventPublicatiedatum, "besluit publicatiedatum set to 2026-12-07: https://b/besluiten/1", "Publicatiedatum van het besluit vastgelegd in het zaaksysteem: 07-12-2026", "het besluit", "", ""},
		{"something_new", "x happened", "something_new", "", "x happened", "en"},
	} {
		l := Tell(objection.Event{Type: tc.typ, Detail: tc.detail, Actor: "connector"})
		if l.What != tc.what || l.LinkLabel != tc.link || l.Note != tc.note || l.NoteLang != tc.lang {
			t.Errorf("%s %q:\n got %q [%s] %q (%s)\nwant %q [%s] %q (%s)", tc.typ, tc.detail, l.What, l.LinkLabel, l.Note, l.NoteLang, tc.what, tc.link, tc.note, tc.lang)
		}
		if tc.link != "" && l.Link == "" {
			t.Errorf("%s: no link", tc.typ)
		}
	}
}
