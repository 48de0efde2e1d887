package objection

import "context"

type actorKey struct{}

// System is the actor of what the connector does by itself.
const System = "connector"

// WithActor says who acts in ctx: an API client, a signed-in person, the mailbox. Events and
// records name them.
func WithActor(ctx context.Context, actor string) context.Context {
	return context.WithValue(ctx, actorKey{}, actor)
}

// ActorOf is who acts in ctx; System when nobody was named.
func ActorOf(ctx context.Context) string {
	if a, ok := ctx.Value(actorKey{}).(string); ok && a != "" {
		return a
	}
	return System
}
