package meta

import (
	"strings"
)

// Kind is what a mail from Meta says.
type Kind string

// The kinds of mail; only KindHonoured confirms an objection.
const (
	KindHonoured     Kind = "honoured"
	KindReceived     Kind = "received"
	KindVerification Kind = "verification"
	KindUnknown      Kind = "unknown"
)

// Phrases are the wordings that classify a mail, in Dutch and English. They are configuration:
// Meta's exact wording is not public, so they match on first-person outcomes only ("we will
// honour your objection"), never on conditionals such as "if your objection is honoured".
type Phrases struct {
	Honoured     []string
	Received     []string
	Verification []string
}

// DefaultPhrases cover the wordings the connector knows (notes/meta.md), lower-case.
func DefaultPhrases() Phrases {
	return Phrases{
		Honoured: []string{
			"we will honour your objection", "we'll honour your objection", "we will honor your objection",
			"we'll honor your objection", "we have honoured your objection", "we've honoured your objection",
			"we zullen je bezwaar honoreren", "we zullen uw bezwaar honoreren", "we honoreren je bezwaar",
			"we honoreren uw bezwaar", "we hebben je bezwaar gehonoreerd", "we hebben uw bezwaar gehonoreerd",
		},
		Received: []string{
			"we have received your objection", "we've received your objection", "we received your objection",
			"we hebben je bezwaar ontvangen", "we hebben uw bezwaar ontvangen",
		},
		Verification: []string{"confirmation code", "verification code", "bevestigingscode", "verificatiecode"},
	}
}

// Classify says what a mail is, from its subject and text.
func Classify(msg *Message, p Phrases) Kind {
	text := normalise(msg.Subject + "\n" + msg.Text)
	for _, kind := range []struct {
		k       Kind
		phrases []string
	}{{KindHonoured, p.Honoured}, {KindReceived, p.Received}, {KindVerification, p.Verification}} {
		for _, ph := range kind.phrases {
			if strings.Contains(text, normalise(ph)) {
				return kind.k
			}
		}
	}
	return KindUnknown
}

// normalise lower-cases, straightens apostrophes and collapses white space, so that line
// breaks and typography do not defeat a phrase.
func normalise(s string) string {
	s = strings.NewReplacer("’", "'", "‘", "'", "\u00a0", " ").Replace(strings.ToLower(s))
	return strings.Join(strings.Fields(s), " ")
}
