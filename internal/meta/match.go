package meta

import (
	"fmt"
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
}

// accountsCentre phrases say that an objection covers the other accounts in the same Accounts
// Centre (Meta's 2025 confirmation does).
var accountsCentre = []string{"accounts centre", "accounts center", "accountcentrum", "accountscentrum"}

// MatchAccounts finds the accounts of a decision a mail from platform concerns: the account whose
// e-mail address is the signed recipient on that platform, and, when the mail says it covers the
// whole Accounts Centre, the other accounts registered with the same address. Accounts only named
// in the text are listed apart (Named) and never matched. msg must be the signed reading (Check).
func MatchAccounts(msg *Message, platform objection.Platform, accounts []objection.Account) Match {
	var m Match
	add := func(i int, why string) {
		if !slices.Contains(m.Accounts, i) {
			m.Accounts = append(m.Accounts, i)
			m.Reasons = append(m.Reasons, why)
		}
	}
	for i, a := range accounts {
		if a.Platform == platform && slices.Contains(msg.Recipients, strings.ToLower(a.Email)) {
			add(i, fmt.Sprintf("%s account %q: sent to its address %s", a.Platform, a.Name, a.Email))
		}
	}
	if len(m.Accounts) == 0 {
		text := normalise(msg.Subject + " " + msg.Text)
		for i, a := range accounts {
			if a.Platform == platform && strings.Contains(text, normalise(a.Name)) {
				m.Named = append(m.Named, i)
			}
		}
	}
	if len(m.Accounts) > 0 && mentionsAccountsCentre(msg) {
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

func mentionsAccountsCentre(msg *Message) bool {
	text := normalise(msg.Text)
	for _, p := range accountsCentre {
		if strings.Contains(text, p) {
			return true
		}
	}
	return false
}
