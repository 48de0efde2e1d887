// Package cases names what the people and systems around a case may ask of the connector: one
// service (the workflow's engine provides it) that the API and the console both serve.
package cases

import (
	"context"
	"io"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/workflow"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// Service is what the API and the console ask of the workflow.
type Service interface {
	// Decisions and cases.
	Register(ctx context.Context, d objection.Decision, document *objection.Upload) (*objection.Case, bool, error)
	Case(ctx context.Context, id string) (*objection.Case, error)
	Cases(ctx context.Context, f objection.CaseFilter, p objection.Page) ([]*objection.Case, int, error)
	Events(ctx context.Context, caseID string) ([]objection.Event, error)
	Letter(ctx context.Context, caseID string, n int) (io.ReadCloser, string, error)
	File(ctx context.Context, caseID string, n int, f objection.FilingRequest) (*objection.Case, error)
	ConfirmByEvidence(ctx context.Context, caseID string, n int, r objection.EvidenceRequest) (*objection.Case, error)
	CloseNotConfirmed(ctx context.Context, caseID, reason string) (*objection.Case, error)
	PublishAgain(ctx context.Context, caseID string) (*objection.Case, error)

	// Meta's e-mails and the quarantine.
	Confirm(ctx context.Context, caseID string, raw []byte) (*objection.Confirmation, bool, error)
	Confirmations(ctx context.Context, caseID string) ([]*objection.Confirmation, error)
	Confirmation(ctx context.Context, id string) (*objection.Confirmation, error)
	Quarantine(ctx context.Context, p objection.Page) ([]*objection.Confirmation, int, error)
	EML(ctx context.Context, id string) ([]byte, error)
	Assign(ctx context.Context, id string, a objection.Assignment, by string) (*objection.Confirmation, error)
	Dismiss(ctx context.Context, id, reason string) (*objection.Confirmation, error)
	Recheck(ctx context.Context, id string) (*objection.Confirmation, error)

	// The zaaksysteem's notifications, and the queue for operators.
	Notification(ctx context.Context, n zgw.Notificatie) error
	Jobs(ctx context.Context, limit int) ([]workflow.Job, error)
}

// Dossiers writes the dossier of a zaak, from the zaaksysteem (dossier.ZipExporter).
type Dossiers interface {
	Export(ctx context.Context, zaakURL string, w io.Writer) (problems []string, err error)
}

// The engine is the service.
var _ Service = (*workflow.Engine)(nil)
