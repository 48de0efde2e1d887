// Package objection is the domain of the connector: a college decision to object to Meta's use
// of public content for AI training, the case that carries it through the zaaksysteem, and the
// confirmations that close it. It imports no infrastructure.
package objection

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/mail"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Platform is one of Meta's platforms an account lives on.
type Platform string

// The platforms an objection can be filed for.
const (
	Facebook  Platform = "facebook"
	Instagram Platform = "instagram"
)

// MaxAccounts bounds a decision: a municipality has a handful of accounts, not thousands.
const MaxAccounts = 50

// Decision is what the college decided, as registered through the API.
type Decision struct {
	Reference     string    `json:"reference"`
	Title         string    `json:"title"`
	DecidedOn     string    `json:"decidedOn"`
	Deadline      string    `json:"deadline,omitempty"`
	Accounts      []Account `json:"accounts"`
	ObjectionText string    `json:"objectionText,omitempty"`
	// DocumentURL is an informatieobject already in the zaaksysteem that holds the decision (the
	// college's proposal and besluit); it is linked to the besluit and the zaak.
	DocumentURL string `json:"documentUrl,omitempty"`
	// AcceptPastDeadline registers a decision whose deadline has already passed: said on purpose
	// by whoever registers it (and recorded), never assumed.
	AcceptPastDeadline bool `json:"acceptPastDeadline,omitempty"`
}

// Account is one social-media account of the municipality.
type Account struct {
	Platform Platform `json:"platform"`
	Name     string   `json:"name"`
	URL      string   `json:"url,omitempty"`
	Email    string   `json:"email"`
}

// Fingerprint identifies the decision's content, with the SHA-256 of the document that came
// with it ("" for none): the same reference with another fingerprint is a conflict, with the
// same one a repeat.
func (d Decision) Fingerprint(document string) string {
	d.AcceptPastDeadline = false // how it was registered, not what was decided
	b, _ := json.Marshal(d)
	if document != "" {
		b = append(b, "\x00document:"+document...)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Validate checks a decision and returns every problem as an invalid parameter.
func (d *Decision) Validate() error {
	var v Invalid
	d.Reference = strings.TrimSpace(d.Reference)
	d.Title = strings.TrimSpace(d.Title)
	switch {
	case d.Reference == "":
		v.Add("reference", "required", "the decision reference is required")
	case utf8.RuneCountInString(d.Reference) > 40:
		v.Add("reference", "max_length", "at most 40 characters (it becomes a kenmerk of the zaak)")
	default:
		plainLine(&v, "reference", d.Reference)
	}
	switch {
	case d.Title == "":
		v.Add("title", "required", "the title is required")
	case utf8.RuneCountInString(d.Title) > 200:
		v.Add("title", "max_length", "at most 200 characters")
	default:
		plainLine(&v, "title", d.Title)
	}
	decided, okDecided := date(&v, "decidedOn", d.DecidedOn, true)
	if deadline, ok := date(&v, "deadline", d.Deadline, false); ok && okDecided && deadline.Before(decided) {
		v.Add("deadline", "before_decision", "the deadline lies before the decision date")
	}
	if d.DocumentURL != "" {
		if u, err := url.Parse(d.DocumentURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			v.Add("documentUrl", "invalid", "the URL of an informatieobject in the zaaksysteem is required")
		}
	}
	if utf8.RuneCountInString(d.ObjectionText) > 20000 {
		v.Add("objectionText", "max_length", "at most 20000 characters")
	} else if i := strings.IndexFunc(d.ObjectionText, func(r rune) bool { return r != '\n' && r != '\t' && r != '\r' && hidden(r) }); i >= 0 {
		v.Add("objectionText", "invalid_characters", fmt.Sprintf("holds %U, a control or text-direction character that would hide or reorder what a reader sees", []rune(d.ObjectionText[i:])[0]))
	}
	switch {
	case len(d.Accounts) == 0:
		v.Add("accounts", "required", "at least one account is required")
	case len(d.Accounts) > MaxAccounts:
		v.Add("accounts", "max_items", fmt.Sprintf("at most %d accounts", MaxAccounts))
	default:
		seen := map[string]bool{}
		for i := range d.Accounts {
			a := &d.Accounts[i]
			a.Name, a.Email, a.URL = strings.TrimSpace(a.Name), strings.TrimSpace(a.Email), strings.TrimSpace(a.URL)
			at := fmt.Sprintf("accounts[%d]", i)
			if a.Platform != Facebook && a.Platform != Instagram {
				v.Add(at+".platform", "invalid_choice", "platform must be facebook or instagram")
			}
			if a.Name == "" {
				v.Add(at+".name", "required", "the account name is required")
			} else if utf8.RuneCountInString(a.Name) > 100 {
				v.Add(at+".name", "max_length", "at most 100 characters")
			} else {
				plainLine(&v, at+".name", a.Name)
			}
			if addr, err := mail.ParseAddress(a.Email); err != nil || addr.Address != a.Email {
				v.Add(at+".email", "invalid", "a plain e-mail address is required (Meta writes to it)")
			}
			if a.URL != "" {
				if u, err := url.Parse(a.URL); err != nil || u.Scheme != "https" || u.Host == "" {
					v.Add(at+".url", "invalid", "an https URL is required")
				}
			}
			key := string(a.Platform) + "\x00" + strings.ToLower(a.Name)
			if seen[key] {
				v.Add(at, "duplicate", "the same account appears twice")
			}
			seen[key] = true
		}
	}
	return v.Err()
}

// CheckDates applies the rules on a new decision's dates that depend on the day it is
// registered (now, in Amsterdam): it cannot be decided in the future, and a deadline already
// past is taken only with AcceptPastDeadline. A decision registered before is not held to them
// again: repeating it answers the case it made.
func (d *Decision) CheckDates(now time.Time) error {
	var v Invalid
	today := now.In(Amsterdam).Format(time.DateOnly)
	if d.DecidedOn > today {
		v.Add("decidedOn", "in_future", "the decision date "+d.DecidedOn+" lies in the future (today is "+today+")")
	}
	if d.Deadline != "" && d.Deadline < today && !d.AcceptPastDeadline {
		v.Add("deadline", "passed", "the deadline "+d.Deadline+" has passed (today is "+today+"); register it anyway with acceptPastDeadline")
	}
	return v.Err()
}

// hidden reports a character that does not show as itself: a control character (NUL, line
// breaks, escapes) or a bidirectional formatting character, with which "Gemeente\u202Edlohcaab"
// reads as another name than the one stored.
func hidden(r rune) bool {
	switch {
	case unicode.IsControl(r):
		return true
	case r >= '\u202A' && r <= '\u202E', r >= '\u2066' && r <= '\u2069', r == '\u200E', r == '\u200F', r == '\u061C':
		return true
	}
	return false
}

// plainLine refuses a one-line text that holds a hidden character, naming the field.
func plainLine(v *Invalid, name, value string) {
	if i := strings.IndexFunc(value, hidden); i >= 0 {
		v.Add(name, "invalid_characters", fmt.Sprintf("holds %U, a control or text-direction character that would hide or reorder what a reader sees", []rune(value[i:])[0]))
	}
}

func date(v *Invalid, name, value string, required bool) (time.Time, bool) {
	if value == "" {
		if required {
			v.Add(name, "required", "a date (YYYY-MM-DD) is required")
		}
		return time.Time{}, false
	}
	t, err := time.Parse(time.DateOnly, value)
	if err != nil {
		v.Add(name, "invalid", "not a date in the form YYYY-MM-DD")
		return time.Time{}, false
	}
	if t.Year() < 2000 || t.Year() > 2100 {
		v.Add(name, "invalid", "the date is out of range")
		return time.Time{}, false
	}
	return t, true
}
