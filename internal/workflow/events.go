package workflow

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// record adds an event of a case, in tx when given (so that it commits with the change it
// describes). A key makes it idempotent; "" records it anew.
func (e *Engine) record(ctx context.Context, tx *sql.Tx, caseID, key, typ, detail string) error {
	if key == "" {
		key = newID()
	}
	return e.store.AddEvent(ctx, tx, key, objection.Event{CaseID: caseID, At: e.cfg.Now().UTC(), Actor: objection.ActorOf(ctx), Type: typ, Detail: detail})
}

// stepEvent is the event that tells what a step did, recorded with the step's result; nil for
// a step that tells nothing of its own.
func (e *Engine) stepEvent(caseID, name, result string) *objection.Event {
	typ, what := objection.EventDocumentStored, ""
	switch stepKind(name) {
	case "zaak":
		typ, what = objection.EventZaakCreated, "zaak created"
	case "status-first", "status-filed", "status-eind":
		typ, what = objection.EventStatusSet, "status set ("+stepKind(name)+")"
	case "besluit":
		typ, what = objection.EventBesluit, "besluit registered and linked to the zaak"
	case "letter":
		what = "objection letter stored"
	case "confirmation":
		what = "Meta's e-mail stored, byte for byte"
	case "evidence":
		what = "evidence stored"
	case "decision-document":
		what = "the decision's document stored"
	case "resultaat":
		typ, what = objection.EventResultaat, "resultaat set"
	default:
		return nil // links (zaakinformatieobjecten) are part of storing their document
	}
	return &objection.Event{CaseID: caseID, At: e.cfg.Now().UTC(), Actor: objection.System.Name, Type: typ, Detail: fmt.Sprintf("%s: %s", what, result)}
}

// Events is the history of a case.
func (e *Engine) Events(ctx context.Context, caseID string) ([]objection.Event, error) {
	if _, err := e.Case(ctx, caseID); err != nil {
		return nil, err
	}
	return e.store.Events(ctx, caseID)
}

// actingFor makes the ZGW requests of a job act for the principal who caused it, so that the
// zaaksysteem's audit trail names them (user_id, user_representation); what the connector does
// by itself keeps the connector's own identity.
func actingFor(ctx context.Context, p objection.Principal) context.Context {
	if p.IsSystem() {
		return ctx
	}
	return zgw.AsUser(ctx, zgw.User{ID: p.ID, Representation: cmp.Or(p.Name, p.ID)})
}

// named is a principal a case or an e-mail records by its name only (who closed it, who assigned
// it): its name serves as its identity.
func named(name string) objection.Principal { return objection.Principal{ID: name, Name: name} }

// byOf is the principal a job carries (its ID and name), for the audit trails of its requests.
func byOf(id, name string) objection.Principal {
	return objection.Principal{ID: id, Name: cmp.Or(name, id)}
}
