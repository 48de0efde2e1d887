package zgw

import (
	"context"
	"sync"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/zgwtoken"
)

// tokenSource makes the HS256 JWT of the ZGW convention and reuses it for a few minutes: servers
// refuse tokens whose iat is too old, so it is renewed well before that.
type tokenSource struct {
	cfg Config

	mu      sync.Mutex
	current string
	made    time.Time
}

func newTokenSource(cfg Config) *tokenSource { return &tokenSource{cfg: cfg} }

func (ts *tokenSource) token() (string, error) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	now := ts.cfg.Now()
	if ts.current != "" && now.Sub(ts.made) < ts.cfg.TokenLifetime && !now.Before(ts.made) {
		return ts.current, nil
	}
	tok, err := zgwtoken.Sign(ts.cfg.ClientID, ts.cfg.Secret, ts.cfg.UserID, ts.cfg.UserRepresentation, now, ts.cfg.TokenLifetime)
	if err != nil {
		return "", err
	}
	ts.current, ts.made = tok, now
	return tok, nil
}

// User is the person a request acts for: the zaaksysteem's audit trail names them
// (user_id, user_representation) instead of the connector.
type User struct{ ID, Representation string }

type userKey struct{}

// AsUser makes the ZGW requests made with ctx act for u (no effect for an empty u).
func AsUser(ctx context.Context, u User) context.Context {
	if u.ID == "" {
		return ctx
	}
	if u.Representation == "" {
		u.Representation = u.ID
	}
	return context.WithValue(ctx, userKey{}, u)
}

// tokenFor is the token of a request made with ctx: a person's own when it acts for one (signed
// for that request: such requests are few), else the connector's reused one.
func (ts *tokenSource) tokenFor(ctx context.Context) (string, error) {
	u, ok := ctx.Value(userKey{}).(User)
	if !ok {
		return ts.token()
	}
	return zgwtoken.Sign(ts.cfg.ClientID, ts.cfg.Secret, u.ID, u.Representation, ts.cfg.Now(), ts.cfg.TokenLifetime)
}
