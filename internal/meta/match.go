package meta

import (
	"cmp"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// Match is which accounts of a decision a mail concerns, and why.
type Match struct {
	Accounts []int    `json:"accounts"` // indexes into the decision's accounts
	Reasons  []string `json:"reasons"`
	// Named are accounts whose name the text mentions while the signed recipient is not their
	// address. A page name is no proof (anyone can name a page so): they only help a person review.
	Named []int `json:"named,omitempty"`
	// Shared are the accounts at the signed recipient when several share it and the mail neither
	// names one of them nor says it covers every account of the login: a person decides.
	Shared []int `json:"shared,omitempty"`
}

// MatchAccounts finds the accounts of a decision a mail from platform concerns. The account whose
// e-mail address is the signed recipient on that platform is matched; when several accounts of
// the platform share that address, only those the signed text names (by name or URL) are — or
// all of them, with every other account at that address, when the mail says it covers the whole
// Accounts Centre (r.CoversLogin). Accounts only named in the text are listed apart (Named) and
// never matched. msg must be the signed reading (Check) and r its reading for this decision.
func MatchAccounts(msg *Message, r Reading, platform objection.Platform, accounts []objection.Account) Match {
	var m Match
	add := func(i int, why string) {
		if !slices.Contains(m.Accounts, i) {
			m.Accounts = append(m.Accounts, i)
			m.Reasons = append(m.Reasons, why)
		}
	}
	var atRecipient []int
	for i, a := range accounts {
		if a.Platform == platform && slices.Contains(msg.Recipients, strings.ToLower(a.Email)) {
			atRecipient = append(atRecipient, i)
		}
	}
	switch {
	case len(atRecipient) == 0:
		m.Named = NamedAccounts(msg, accounts, byPlatform(accounts, platform))
	case len(atRecipient) == 1 || r.CoversLogin:
		for _, i := range atRecipient {
			add(i, fmt.Sprintf("%s account %q: sent to its address %s", accounts[i].Platform, accounts[i].Name, accounts[i].Email))
		}
	default:
		for _, i := range NamedAccounts(msg, accounts, atRecipient) {
			add(i, fmt.Sprintf("%s account %q: sent to its address %s, which it shares with other accounts, and named in the signed text", accounts[i].Platform, accounts[i].Name, accounts[i].Email))
		}
		if len(m.Accounts) == 0 {
			m.Shared = atRecipient
		}
	}
	if len(m.Accounts) > 0 && r.CoversLogin {
		for _, first := range slices.Clone(m.Accounts) {
			for i, a := range accounts {
				if strings.EqualFold(a.Email, accounts[first].Email) {
					add(i, fmt.Sprintf("%s account %q: same Accounts Centre address %s, which the mail says it covers", a.Platform, a.Name, a.Email))
				}
			}
		}
	}
	slices.Sort(m.Accounts)
	return m
}

func byPlatform(accounts []objection.Account, p objection.Platform) []int {
	var out []int
	for i, a := range accounts {
		if a.Platform == p {
			out = append(out, i)
		}
	}
	return out
}

// NamedAccounts are the accounts among candidates whose name or URL the signed text (subject
// and body) names, each on word boundaries. Where one name holds another ("Gemeente X" and
// "Gemeente X Jeugd"), a place the longer one names is not also read as the shorter one.
func NamedAccounts(msg *Message, accounts []objection.Account, candidates []int) []int {
	text := normalise(msg.Subject + " \n " + msg.Text)
	type label struct {
		account int
		text    string
	}
	var labels []label
	for _, i := range candidates {
		for _, l := range accountLabels(accounts[i]) {
			if len([]rune(l)) >= 3 {
				labels = append(labels, label{i, l})
			}
		}
	}
	slices.SortStableFunc(labels, func(a, b label) int { return cmp.Compare(len(b.text), len(a.text)) })
	var named []int
	for _, l := range labels {
		// What a label read is blanked out, so that a shorter name inside it is not read too.
		blanked := replaceWords(text, l.text, strings.Repeat(" ", len(l.text)))
		if blanked != text && !slices.Contains(named, l.account) {
			named = append(named, l.account)
		}
		text = blanked
	}
	slices.Sort(named)
	return named
}

// accountLabels are the ways Meta may name an account in its text: its name (with and without
// an @), and its URL without scheme and www.
func accountLabels(a objection.Account) []string {
	out := []string{normalise(a.Name)}
	if strings.HasPrefix(a.Name, "@") {
		out = append(out, normalise(strings.TrimPrefix(a.Name, "@")))
	}
	if u, err := url.Parse(a.URL); err == nil && u.Host != "" {
		out = append(out, normalise(strings.TrimPrefix(u.Host, "www.")+strings.TrimSuffix(u.Path, "/")))
	}
	return out
}
