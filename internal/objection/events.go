package objection

// The types of a case's events: what happened, as the history tells it (package history says
// it in words).
const (
	EventRegistered      = "registered"
	EventZaakCreated     = "zaak_created"
	EventStatusSet       = "status_set"
	EventBesluit         = "besluit_registered"
	EventDocumentStored  = "document_stored"
	EventFiled           = "filed"
	EventReminder        = "reminder"
	EventOverdue         = "overdue"
	EventMailAccepted    = "mail_accepted"
	EventMailQuarantined = "mail_quarantined"
	EventMailAssigned    = "mail_assigned"
	EventConfirmed       = "confirmed_by_evidence"
	EventClosing         = "closing"
	EventResultaat       = "resultaat_set"
	EventClosed          = "closed"
	EventClosedElsewhere = "closed_elsewhere"
	EventFailed          = "failed"
	EventNotified        = "notification_sent"
	// The decision's publication on the Woo platform.
	EventPublicationRegistered = "publication_registered"
	EventPublished             = "published"
	EventPublicationWithdrawn  = "publication_withdrawn"
	EventPublicationRefused    = "publication_refused"
	EventPublicationAgain      = "publication_again"
	EventPublicatiedatum       = "publicatiedatum_set"
)
