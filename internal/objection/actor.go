package objection

import (
	"context"
	"slices"
)

// Role is what a principal may do.
type Role string

const (
	// RoleRegistrar registers decisions and carries cases: filings, e-mails, closing.
	RoleRegistrar Role = "registrar"
	// RoleAuditor reads cases and takes their dossiers.
	RoleAuditor Role = "auditor"
	// RoleOperator sees health and the job queue in the web console.
	RoleOperator Role = "operator"
)

// How a principal was authenticated.
const (
	ViaToken        = "token"        // an API client's JWT
	ViaSession      = "session"      // a person signed in to the web console
	ViaNotification = "notification" // the Notificaties API, by the abonnement's auth
	ViaMailbox      = "mailbox"      // the connector's own mailbox intake
	ViaSystem       = "system"       // the connector itself (the clock, its jobs)
)

// Principal is who acts, however they came in: an API client, a person in the console, the
// Notificaties API, the mailbox, or the connector itself. Events name it (Name), and the
// zaaksysteem's and the publicatiebank's audit trails show it (ID and Name).
type Principal struct {
	// ID identifies it for good: a client id, the sign-in's subject, "notificaties".
	ID string
	// Name is what people read: a person's name, else the ID.
	Name  string
	Roles []Role
	Via   string
}

// System is the connector acting by itself.
var System = Principal{ID: "connector", Name: "connector", Via: ViaSystem}

// Has reports whether the principal has the role.
func (p Principal) Has(r Role) bool { return slices.Contains(p.Roles, r) }

// Is is Has for templates ({{if .Person.Is "registrar"}}).
func (p *Principal) Is(role string) bool { return p != nil && p.Has(Role(role)) }

// IsSystem reports whether p is the connector itself.
func (p Principal) IsSystem() bool { return p.ID == "" || p.ID == System.ID }

type principalKey struct{}

// WithPrincipal says who acts in ctx.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	if p.Name == "" {
		p.Name = p.ID
	}
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalOf is who acts in ctx; System when nobody was named.
func PrincipalOf(ctx context.Context) Principal {
	if p, ok := ctx.Value(principalKey{}).(Principal); ok && p.ID != "" {
		return p
	}
	return System
}

// ActorOf is the name events give who acts in ctx.
func ActorOf(ctx context.Context) string { return PrincipalOf(ctx).Name }
