package meta

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kind is what a mail from Meta says.
type Kind string

// The kinds of mail; only KindHonoured confirms an objection. KindAmbiguous is a mail whose
// words point two ways (cues of two kinds, or an honour sentence that is negated or
// conditional): a person decides over it, never the connector.
const (
	KindHonoured     Kind = "honoured"
	KindReceived     Kind = "received"
	KindRejected     Kind = "rejected"
	KindVerification Kind = "verification"
	KindAmbiguous    Kind = "ambiguous"
	KindUnknown      Kind = "unknown"
)

// Phrases are the wordings that classify a mail, in Dutch and English. They are configuration:
// Meta's exact wording is not public, so they match on first-person outcomes only ("we will
// honour your objection"), never on conditionals such as "if your objection is honoured".
type Phrases struct {
	Honoured     []string
	Received     []string
	Rejected     []string
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
		Rejected: []string{
			"we couldn't process your objection", "we could not process your objection", "we were unable to process your objection",
			"we can't honour your objection", "we cannot honour your objection", "we won't honour your objection",
			"we will not honour your objection", "we can't honor your objection", "we cannot honor your objection",
			"we've declined your objection", "we have declined your objection",
			"we konden je bezwaar niet verwerken", "we konden uw bezwaar niet verwerken", "we hebben je bezwaar niet kunnen verwerken",
			"we hebben uw bezwaar niet kunnen verwerken", "we kunnen je bezwaar niet honoreren", "we kunnen uw bezwaar niet honoreren",
			"we honoreren je bezwaar niet", "we honoreren uw bezwaar niet", "we hebben je bezwaar afgewezen", "we hebben uw bezwaar afgewezen",
		},
		Verification: []string{"your confirmation code", "your verification code", "je bevestigingscode", "uw bevestigingscode", "je verificatiecode", "uw verificatiecode"},
	}
}

// Cue is one phrase of a kind found in a sentence of Meta's template: the evidence of a reading.
type Cue struct {
	Kind   Kind   `json:"kind"`
	In     string `json:"in"` // subject or body
	Phrase string `json:"phrase"`
	// Negated: the sentence also holds a negation or a condition, so it does not say the phrase.
	Negated bool `json:"negated,omitempty"`
}

// Reading is what a mail says, read from Meta's template, and the cues that say it.
type Reading struct {
	Kind Kind
	Cues []Cue
	// Doubt says why the reading is ambiguous ("" when it is not).
	Doubt string
	// CoversLogin: the mail says the objection covers every account of the same login (Meta's
	// Accounts Centre sentence, not negated).
	CoversLogin bool
}

// accountsCentre phrases say that an objection covers the other accounts in the same Accounts
// Centre (Meta's 2025 confirmation does). They are written normalised (lower case, one space).
var accountsCentre = []string{"accounts centre", "accounts center", "accountcentrum", "accountscentrum"}

// Classify reads what a mail says from Meta's template: the signed Subject and the sentences of
// the body, after the text Meta echoes is taken out — the greeting (it carries the person's
// name), quoted lines, and echoes (the case's page and account names, URLs, addresses, its
// objection text). A phrase counts only where it begins a sentence, so that a name such as
// "Hi We'll honour your objection" is never read as Meta's words. Cues of two kinds, or an
// honour sentence with a negation or condition, make the mail ambiguous.
func Classify(msg *Message, p Phrases, echoes ...string) Reading {
	var r Reading
	rejected := normaliseAll(p.Rejected)
	kinds := []struct {
		k       Kind
		phrases []string
	}{{KindHonoured, normaliseAll(p.Honoured)}, {KindReceived, normaliseAll(p.Received)},
		{KindRejected, rejected}, {KindVerification, normaliseAll(p.Verification)}}
	parts := []struct{ in, text string }{{"subject", msg.Subject}, {"body", templateText(msg.Text)}}
	for _, part := range parts {
		for _, s := range sentences(maskEchoes(normalise(part.text), echoes)) {
			rejection, negation := startsAny(s, rejected), negated(s)
			for _, kind := range kinds {
				for _, ph := range kind.phrases {
					if ph == "" {
						continue
					}
					cue := Cue{Kind: kind.k, In: part.in, Phrase: ph}
					switch {
					// A rejection says its own negation ("we honoreren je bezwaar niet"): an honour
					// phrase inside it is part of the rejection, not a second cue.
					case kind.k == KindHonoured && rejection:
						continue
					// An honour phrase anywhere in a sentence with a negation or condition ("we
					// can't say that we'll honour your objection unless …") is doubt.
					case kind.k == KindHonoured && negation && indexWord(s, ph) >= 0:
						cue.Negated = true
					case !strings.HasPrefix(s, ph):
						continue
					}
					r.Cues = append(r.Cues, cue)
				}
			}
			if part.in == "body" && !negation && containsAny(s, accountsCentre) {
				r.CoversLogin = true
			}
		}
	}
	r.Kind, r.Doubt = decide(r.Cues)
	if r.Kind == KindAmbiguous {
		r.CoversLogin = false
	}
	return r
}

// decide turns the cues into one kind, or into doubt.
func decide(cues []Cue) (Kind, string) {
	var found []Kind
	for _, c := range cues {
		if c.Negated {
			return KindAmbiguous, fmt.Sprintf("the honour sentence in the %s holds a negation or a condition (%q)", c.In, c.Phrase)
		}
		if !slices.Contains(found, c.Kind) {
			found = append(found, c.Kind)
		}
	}
	switch len(found) {
	case 0:
		return KindUnknown, ""
	case 1:
		return found[0], ""
	}
	var names []string
	for _, k := range found {
		names = append(names, string(k))
	}
	return KindAmbiguous, "the mail says two things at once: it has the words of more than one kind of mail (" + strings.Join(names, " and ") + ")"
}

// greetings begin the line Meta addresses the person with; that line echoes the person's (or
// page's) name, which anyone can choose.
var greetings = []string{"hi", "hello", "hey", "dear", "hallo", "beste", "geachte", "dag", "goedendag", "goedemorgen", "goedemiddag"}

// templateText is the body without what Meta echoes from outside its template: the greeting
// line and quoted lines. Paragraphs end sentences (a paragraph break is a full stop).
func templateText(text string) string {
	var b strings.Builder
	greeted := false
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "":
			b.WriteString(" .\n")
			continue
		case strings.HasPrefix(trimmed, ">"):
			continue
		case !greeted && isGreeting(trimmed):
			greeted = true
			b.WriteString(" .\n")
			continue
		}
		greeted = true // only the first line of text can be the greeting
		b.WriteString(line)
		b.WriteString("\n")
	}
	return b.String()
}

func isGreeting(line string) bool {
	words := strings.FieldsFunc(line, func(r rune) bool { return !unicode.IsLetter(r) })
	return len(words) > 0 && slices.Contains(greetings, strings.ToLower(words[0]))
}

// maskEchoes replaces every echo in normalised text by a mark that no phrase matches.
func maskEchoes(text string, echoes []string) string {
	for _, e := range echoes {
		if e = normalise(e); len([]rune(e)) >= 3 {
			text = replaceWords(text, e, " ⟨…⟩ ")
		}
	}
	return text
}

// replaceWords replaces the occurrences of word in s that stand on word boundaries.
func replaceWords(s, word, with string) string {
	var b strings.Builder
	for {
		i := indexWord(s, word)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString(with)
		s = s[i+len(word):]
	}
}

// indexWord finds word in s where it is not part of a longer word; -1 when it is not there.
func indexWord(s, word string) int {
	for from := 0; from <= len(s); {
		i := strings.Index(s[from:], word)
		if i < 0 {
			return -1
		}
		i += from
		before, _ := utf8.DecodeLastRuneInString(s[:i])
		after, _ := utf8.DecodeRuneInString(s[i+len(word):])
		if (i == 0 || !isWordRune(before)) && (i+len(word) == len(s) || !isWordRune(after)) {
			return i
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		from = i + size
	}
	return -1
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// sentences splits normalised text at full stops, question and exclamation marks, colons and
// semicolons (templateText turns paragraph breaks into full stops), trimmed of spaces and opening punctuation.
func sentences(text string) []string {
	var out []string
	for _, s := range strings.FieldsFunc(text, func(r rune) bool { return strings.ContainsRune(".!?:;", r) }) {
		if s = strings.TrimLeft(s, " ,:-–—\"'()*•"); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// negations and conditions that, in the sentence of an honour phrase, stop it from saying that
// Meta honours the objection: English and Dutch.
var negations = []string{
	"not", "no", "never", "cannot", "unable", "unless", "if", "whether", "neither", "nor", "without",
	"niet", "geen", "nooit", "tenzij", "indien", "mits", "als", "noch", "zonder", "onmogelijk",
}

// negated reports whether a sentence holds a negation or condition word (or a contraction in
// n't: can't, won't, couldn't, don't).
func negated(sentence string) bool {
	for _, w := range strings.FieldsFunc(sentence, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' }) {
		w = strings.Trim(w, "'")
		if slices.Contains(negations, w) || strings.HasSuffix(w, "n't") {
			return true
		}
	}
	return false
}

// normaliseAll normalises every phrase of a list.
func normaliseAll(phrases []string) []string {
	out := make([]string, len(phrases))
	for i, p := range phrases {
		out[i] = normalise(p)
	}
	return out
}

// startsAny reports whether s begins with one of the (normalised) phrases.
func startsAny(s string, phrases []string) bool {
	for _, p := range phrases {
		if p != "" && strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// containsAny reports whether s holds one of the (normalised) phrases.
func containsAny(s string, phrases []string) bool {
	for _, p := range phrases {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

// normalise lower-cases, straightens apostrophes and collapses white space (line breaks too), so
// that typography and wrapped lines do not defeat a phrase.
func normalise(s string) string {
	s = typography.Replace(strings.ToLower(s))
	return strings.Join(strings.Fields(s), " ")
}

// typography straightens apostrophes and makes a no-break space a space (built once: a
// Replacer is costly to make and safe to share).
var typography = strings.NewReplacer("’", "'", "‘", "'", "\u00a0", " ")
