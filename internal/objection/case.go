package objection

import "time"

// State is where a case is in its life.
type State string

// The states of DESIGN §4: received → registering → awaiting_confirmation → closing → closed;
// failed only for what retrying cannot fix.
const (
	StateReceived             State = "received"
	StateRegistering          State = "registering"
	StateAwaitingConfirmation State = "awaiting_confirmation"
	StateClosing              State = "closing"
	StateClosed               State = "closed"
	StateFailed               State = "failed"
)

// Case is a decision on its way through the zaaksysteem.
type Case struct {
	ID                string         `json:"id"`
	State             State          `json:"state"`
	Decision          Decision       `json:"decision"`
	ZaakURL           string         `json:"zaakUrl,omitempty"`
	ZaakIdentificatie string         `json:"zaakIdentificatie,omitempty"`
	BesluitURL        string         `json:"besluitUrl,omitempty"`
	Accounts          []AccountState `json:"accounts"`
	Attempts          int            `json:"attempts"`
	LastError         string         `json:"lastError,omitempty"`
	FailureReason     string         `json:"failureReason,omitempty"`
	CreatedAt         time.Time      `json:"createdAt"`
	UpdatedAt         time.Time      `json:"updatedAt"`
	ClosedAt          *time.Time     `json:"closedAt,omitempty"`
}

// AccountState is one account of a case: its letter, where to file it and its confirmation.
type AccountState struct {
	Account
	FormURL         string     `json:"formUrl"`
	LetterURL       string     `json:"letterUrl,omitempty"`
	ConfirmationURL string     `json:"confirmationUrl,omitempty"`
	ConfirmedAt     *time.Time `json:"confirmedAt,omitempty"`
	ConfirmedBy     string     `json:"confirmedBy,omitempty"` // the confirmation's id
}

// AllConfirmed reports whether every account has a verified, honoured confirmation.
func (c *Case) AllConfirmed() bool {
	for _, a := range c.Accounts {
		if a.ConfirmedBy == "" {
			return false
		}
	}
	return len(c.Accounts) > 0
}
