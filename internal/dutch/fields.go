package dutch

import "strings"

// fieldLabels name the fields a check can refuse, as the forms call them.
var fieldLabels = map[string]string{
	"reference": "het kenmerk van het besluit", "title": "de titel", "decidedOn": "de datum van het besluit",
	"deadline": "de uiterste datum", "objectionText": "de tekst van het bezwaar", "documentUrl": "het adres van het document",
	"accounts": "de accounts", "name": "de naam van het account", "email": "het e-mailadres van het account",
	"url": "het adres van het account", "platform": "het platform", "filedAt": "de datum van indiening",
	"channel": "hoe het is ingediend", "note": "de opmerking", "reason": "de reden", "evidence": "het bewijs", "file": "het bestand",
}

// FieldProblem says in plain Dutch what is wrong with a field and how to put it right.
func FieldProblem(field, code string) string {
	label := fieldLabels[field]
	if label == "" {
		label = field
	}
	switch code {
	case "required":
		switch field {
		case "evidence", "file":
			return "Kies " + label + "."
		case "accounts":
			return "Vul ten minste één account in."
		}
		return "Vul " + label + " in."
	case "blank":
		return "Vul " + label + " in."
	case "max_length":
		return capital(label) + " is te lang."
	case "max_items":
		return "Er zijn te veel accounts."
	case "invalid_choice":
		return "Kies bij " + label + " een van de mogelijkheden."
	case "invalid_characters":
		return capital(label) + " bevat een onzichtbaar teken, zoals een regeleinde of een teken dat de leesrichting omdraait. Typ het opnieuw."
	case "duplicate":
		return "Dit account staat er twee keer in."
	case "before_decision":
		return capital(label) + " ligt vóór de datum van het besluit."
	case "in_future":
		return capital(label) + " ligt in de toekomst."
	case "passed":
		return "Deze datum is al voorbij. Wilt u het besluit toch vastleggen? Vink dan het vakje onder de datum aan."
	case "empty":
		return "Het bestand is leeg."
	case "too_large":
		return "Het bestand is te groot."
	case "invalid_type":
		return "Kies een PNG- of JPEG-afbeelding, een PDF of een e-mail (.eml)."
	case "invalid":
		switch field {
		case "decidedOn", "deadline", "filedAt":
			return "Vul bij " + label + " een bestaande datum in."
		case "email":
			return "Vul een gewoon e-mailadres in, zoals communicatie@gemeente.nl: Meta schrijft daarheen."
		case "url", "documentUrl":
			return "Vul bij " + label + " een adres in dat begint met https://."
		}
	}
	return capital(label) + " klopt niet."
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
