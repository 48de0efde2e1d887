package objection

import (
	"encoding/json"
	"time"
)

// PublicationState is where the decision's publication on the Woo platform is.
type PublicationState string

const (
	// PublicationPending: to be registered at the publicatiebank once the besluit and its
	// document are in the zaaksysteem (a publicatiebank that is down only delays it).
	PublicationPending PublicationState = "pending"
	// PublicationConcept: registered as a concept, for the communication advisor to publish.
	PublicationConcept PublicationState = "concept"
	// PublicationPublished: public; the besluit's publicatiedatum follows it.
	PublicationPublished PublicationState = "published"
	// PublicationWithdrawn: withdrawn after it was public.
	PublicationWithdrawn PublicationState = "withdrawn"
	// PublicationRefused: the publicatiebank refused it (Problem says why); nothing is retried
	// until someone changes the configuration and asks again.
	PublicationRefused PublicationState = "refused"
)

// PublicationStates are the states of a publication, in their order.
var PublicationStates = []PublicationState{PublicationPending, PublicationConcept, PublicationPublished, PublicationWithdrawn, PublicationRefused}

// Publication is the decision's publication on the municipality's Woo platform
// (GPP-publicatiebank): nil on a case when publication is not configured.
type Publication struct {
	State PublicationState `json:"state"`
	// UUID is the publicatie's identity at the publicatiebank, URL its resource there and
	// PublicURL the page where the public reads it (once published).
	UUID      string `json:"uuid,omitempty"`
	URL       string `json:"url,omitempty"`
	PublicURL string `json:"publicUrl,omitempty"`
	// DocumentUUID is the decision's document in the publication.
	DocumentUUID string     `json:"documentUuid,omitempty"`
	PublishedAt  *time.Time `json:"publishedAt,omitempty"`
	WithdrawnAt  *time.Time `json:"withdrawnAt,omitempty"`
	// Publicatiedatum is the besluit's publicatiedatum recorded in the zaaksysteem (YYYY-MM-DD).
	Publicatiedatum string `json:"publicatiedatum,omitempty"`
	// Problem says, in Dutch, why the publication was refused or is delayed.
	Problem string `json:"problem,omitempty"`
	// LookedAt is when the publicatiebank was last asked about it.
	LookedAt *time.Time `json:"lookedAt,omitempty"`
	// Again counts the times someone asked again after a refusal.
	Again int `json:"again,omitempty"`
}

// Status is the publicatiebank's own word for where the publication stands: concept,
// gepubliceerd or ingetrokken; empty while it is pending or was refused.
func (p Publication) Status() string {
	switch p.State {
	case PublicationConcept:
		return "concept"
	case PublicationPublished:
		return "gepubliceerd"
	case PublicationWithdrawn:
		return "ingetrokken"
	}
	return ""
}

// MarshalJSON writes the publication with its status (derived from its state, never stored
// apart).
func (p Publication) MarshalJSON() ([]byte, error) {
	type plain Publication
	return json.Marshal(struct {
		plain
		Status string `json:"status,omitempty"`
	}{plain(p), p.Status()})
}

// Watched reports whether the publicatiebank is still to be asked about the publication: a
// concept may be published, a publication withdrawn, and a published one's date is to be
// recorded on the besluit.
func (p *Publication) Watched() bool {
	return p != nil && (p.State == PublicationConcept || p.State == PublicationPublished)
}
