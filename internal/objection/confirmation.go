package objection

import (
	"encoding/json"
	"time"
)

// ConfirmationState is what became of a received e-mail.
type ConfirmationState string

// The states of a confirmation.
const (
	// ConfirmationAccepted: verified and matched; it is being stored in the zaaksysteem.
	ConfirmationAccepted ConfirmationState = "accepted"
	// ConfirmationAttached: stored as an informatieobject of the zaak.
	ConfirmationAttached ConfirmationState = "attached"
	// ConfirmationQuarantined: refused (not authentic, not matched, unreadable); kept for review.
	ConfirmationQuarantined ConfirmationState = "quarantined"
	// ConfirmationDismissed: reviewed in quarantine and set aside by a person, with a reason;
	// kept as it came, never stored in a zaak.
	ConfirmationDismissed ConfirmationState = "dismissed"
)

// Confirmation is one e-mail received for a case (or, quarantined, for none yet).
type Confirmation struct {
	ID          string            `json:"id"`
	CaseID      string            `json:"caseId,omitempty"`
	Key         string            `json:"-"` // Message-ID or hash: duplicates share it
	State       ConfirmationState `json:"state"`
	Honoured    bool              `json:"honoured"` // counts as confirmation of its accounts
	Accounts    []int             `json:"accounts"`
	Reason      string            `json:"reason,omitempty"`
	Verdict     json.RawMessage   `json:"verdict"`
	DocumentURL string            `json:"documentUrl,omitempty"`
	// AssignedBy and Note record the registrar who assigned (or dismissed) a quarantined e-mail,
	// and why.
	AssignedBy string    `json:"assignedBy,omitempty"`
	Note       string    `json:"note,omitempty"`
	Size       int       `json:"size"`
	ReceivedAt time.Time `json:"receivedAt"`
	CreatedAt  time.Time `json:"createdAt"`
}

// Page is one page of a list: Number from 1, Size items.
type Page struct {
	Number int
	Size   int
}

// Offset is how many items come before the page.
func (p Page) Offset() int { return (p.Number - 1) * p.Size }

// Assignment is a registrar's decision over a quarantined e-mail.
type Assignment struct {
	CaseID   string `json:"caseId"`
	Accounts []int  `json:"accounts"` // indexes of the decision's accounts it concerns
	Confirms bool   `json:"confirms"` // it counts as Meta's confirmation of those accounts
	Note     string `json:"note"`     // why: recorded with the document
}
