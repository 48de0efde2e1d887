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
	// StateClosedElsewhere: someone closed the zaak in the zaaksysteem; the connector stopped.
	StateClosedElsewhere State = "closed_elsewhere"
)

// States are all the states, in the order a case passes them.
var States = []State{StateReceived, StateRegistering, StateAwaitingConfirmation, StateClosing, StateClosed, StateClosedElsewhere, StateFailed}

// Open reports whether the case still has work ahead.
func (s State) Open() bool {
	return s != StateClosed && s != StateFailed && s != StateClosedElsewhere
}

// OpenStates are the states of a case with work ahead.
var OpenStates = []State{StateReceived, StateRegistering, StateAwaitingConfirmation, StateClosing}

// Outcome is how a case closes.
type Outcome string

// The outcomes: every account confirmed (by Meta's mail or by other evidence), or not.
const (
	OutcomeConfirmed    Outcome = "confirmed"
	OutcomeNotConfirmed Outcome = "not_confirmed"
)

// The channels through which an objection is filed at Meta.
var Channels = []string{"web-form", "app", "e-mail", "letter"}

// How an account's objection was confirmed.
const (
	ConfirmedByMail     = "mail"
	ConfirmedByEvidence = "evidence"
)

// Case is a decision on its way through the zaaksysteem.
type Case struct {
	ID                string   `json:"id"`
	state             State    // set by NewCase, Enter and UnmarshalJSON only (lifecycle.go)
	Decision          Decision `json:"decision"`
	ZaakURL           string   `json:"zaakUrl,omitempty"`
	ZaakIdentificatie string   `json:"zaakIdentificatie,omitempty"`
	BesluitURL        string   `json:"besluitUrl,omitempty"`
	// DecisionDocument is the decision's own document received with it (kept until it is in the
	// zaaksysteem); DecisionDocumentURL the informatieobject it is there.
	DecisionDocument    *Attachment    `json:"decisionDocument,omitempty"`
	DecisionDocumentURL string         `json:"decisionDocumentUrl,omitempty"`
	Accounts            []AccountState `json:"accounts"`
	// Publication is the decision's publication on the Woo platform (nil: not configured).
	Publication   *Publication `json:"publication,omitempty"`
	Attempts      int          `json:"attempts"`
	LastError     string       `json:"lastError,omitempty"`
	FailureReason string       `json:"failureReason,omitempty"`
	// DueAt is the end of the decision's deadline day (Europe/Amsterdam); Overdue is worked out
	// when the case is read: an account not filed after it.
	DueAt   *time.Time `json:"dueAt,omitempty"`
	Overdue bool       `json:"overdue"`
	// Outcome and CloseReason say how the case closes (set when closing begins), and ClosedBy
	// who decided it (a registrar, or "connector" when the wait for Meta ran out).
	Outcome     Outcome `json:"outcome,omitempty"`
	CloseReason string  `json:"closeReason,omitempty"`
	ClosedBy    string  `json:"closedBy,omitempty"`
	// RemindedAt and OverdueAt record that the reminder and the overdue notice went out, once.
	RemindedAt *time.Time `json:"remindedAt,omitempty"`
	OverdueAt  *time.Time `json:"overdueAt,omitempty"`
	CreatedAt  time.Time  `json:"createdAt"`
	UpdatedAt  time.Time  `json:"updatedAt"`
	ClosedAt   *time.Time `json:"closedAt,omitempty"`
}

// AccountState is one account of a case: its letter, where to file it and its confirmation.
type AccountState struct {
	Account
	FormURL         string     `json:"formUrl"`
	LetterURL       string     `json:"letterUrl,omitempty"`
	ConfirmationURL string     `json:"confirmationUrl,omitempty"`
	ConfirmedAt     *time.Time `json:"confirmedAt,omitempty"`
	ConfirmedBy     string     `json:"confirmedBy,omitempty"`  // the confirmation's id (mail) or the evidence's
	ConfirmedHow    string     `json:"confirmedHow,omitempty"` // mail or evidence
	FiledAt         *time.Time `json:"filedAt,omitempty"`
	Filing          *Filing    `json:"filing,omitempty"`
	// PendingEvidence is evidence that confirms the account once it is in the zaak (its id).
	PendingEvidence string `json:"pendingEvidence,omitempty"`
}

// Storing reports whether evidence received for the case is still on its way into the zaak:
// the zaak does not close before it is there.
func (c *Case) Storing() bool {
	for _, a := range c.Accounts {
		if a.PendingEvidence != "" || (a.Filing != nil && a.Filing.Evidence != "" && a.Filing.EvidenceURL == "") {
			return true
		}
	}
	return false
}

// Filing records that a person filed the objection of one account at Meta.
type Filing struct {
	At      time.Time `json:"at"`
	Channel string    `json:"channel"` // one of Channels
	Note    string    `json:"note,omitempty"`
	By      string    `json:"by"` // who, from the token or the sign-in
	// Evidence is the attachment kept of Meta's receipt (a screenshot or PDF); EvidenceURL the
	// informatieobject it became.
	Evidence    string `json:"evidence,omitempty"`
	EvidenceURL string `json:"evidenceUrl,omitempty"`
}

// AllFiled reports whether every account's objection was filed at Meta.
func (c *Case) AllFiled() bool {
	for _, a := range c.Accounts {
		if a.FiledAt == nil {
			return false
		}
	}
	return len(c.Accounts) > 0
}

// MayCloseUnconfirmed reports whether the case may be closed as not confirmed at now: while it
// awaits confirmation, once every account is filed (Meta had its chance) or its deadline has
// passed. Before that, closing would give up an objection that was never made.
func (c *Case) MayCloseUnconfirmed(now time.Time) bool {
	if c.State() != StateAwaitingConfirmation {
		return false
	}
	return c.AllFiled() || c.DueAt != nil && !now.Before(*c.DueAt)
}

// LastFiledAt is when the last account was filed (zero when not all are).
func (c *Case) LastFiledAt() time.Time {
	var last time.Time
	for _, a := range c.Accounts {
		if a.FiledAt == nil {
			return time.Time{}
		}
		if a.FiledAt.After(last) {
			last = *a.FiledAt
		}
	}
	return last
}

// UpdateOverdue works out Overdue at now: an open case with an account not filed after DueAt.
func (c *Case) UpdateOverdue(now time.Time) {
	c.Overdue = c.State().Open() && c.DueAt != nil && now.After(*c.DueAt) && !c.AllFiled()
}

// CaseFilter narrows a list of cases; zero values do not filter.
type CaseFilter struct {
	States  []State
	Overdue *bool
}

// Event is one thing that happened to a case: a transition or an action, with who did it.
type Event struct {
	Seq    int64     `json:"seq"`
	CaseID string    `json:"caseId"`
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Type   string    `json:"type"`
	Detail string    `json:"detail"`
}

// Attachment is a file received with a request (a decision's document, evidence), kept in the
// store until it is in the zaaksysteem.
type Attachment struct {
	ID          string `json:"id"`
	CaseID      string `json:"caseId"`
	Name        string `json:"name"`
	ContentType string `json:"contentType"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
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
