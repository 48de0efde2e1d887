package httpapi

import (
	"context"
	"crypto/subtle"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/gemeenten/meta-bezwaar-connector/internal/config"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// Auth checks the bearer JWTs of API clients: HS256, signed with the client's secret, carrying
// client_id and an iat no older than MaxAge (the ZGW convention).
type Auth struct {
	Clients []config.Client
	MaxAge  time.Duration
	Now     func() time.Time
}

type clientKey struct{}

// ClientOf returns the authenticated client of a request.
func ClientOf(ctx context.Context) (config.Client, bool) {
	c, ok := ctx.Value(clientKey{}).(config.Client)
	return c, ok
}

// Require wraps h so that only clients with one of the roles reach it.
func (a *Auth) Require(h http.HandlerFunc, roles ...config.Role) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		client, err := a.authenticate(r.Header.Get("Authorization"))
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="connector"`)
			writeError(w, r, err)
			return
		}
		if !slices.ContainsFunc(roles, client.Has) {
			writeError(w, r, objection.Errorf(objection.CodeForbidden, "client %q lacks the role for this (needs %s)", client.ID, joinRoles(roles)))
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), clientKey{}, client)))
	}
}

func (a *Auth) authenticate(header string) (config.Client, error) {
	raw, ok := strings.CutPrefix(header, "Bearer ")
	if !ok || strings.TrimSpace(raw) == "" {
		return config.Client{}, objection.Errorf(objection.CodeUnauthorized, "an Authorization: Bearer <JWT> header is required")
	}
	var client config.Client
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(strings.TrimSpace(raw), claims, func(t *jwt.Token) (any, error) {
		id, _ := t.Claims.(jwt.MapClaims)["client_id"].(string)
		for _, c := range a.Clients {
			if subtle.ConstantTimeCompare([]byte(c.ID), []byte(id)) == 1 {
				client = c
				return []byte(c.Secret), nil
			}
		}
		return nil, jwt.ErrTokenUnverifiable
	}, jwt.WithValidMethods([]string{"HS256"}), jwt.WithoutClaimsValidation())
	if err != nil {
		return config.Client{}, objection.Errorf(objection.CodeUnauthorized, "the token is not valid for any configured client")
	}
	iat, ok := claims["iat"].(float64)
	if !ok {
		return config.Client{}, objection.Errorf(objection.CodeUnauthorized, "the token has no iat")
	}
	now := a.Now()
	issued := time.Unix(int64(iat), 0)
	const leeway = time.Minute
	if issued.After(now.Add(leeway)) || now.Sub(issued) > a.MaxAge+leeway {
		return config.Client{}, objection.Errorf(objection.CodeUnauthorized, "the token has expired or is not yet valid (iat must be within %s)", a.MaxAge)
	}
	if exp, ok := claims["exp"].(float64); ok && now.After(time.Unix(int64(exp), 0).Add(leeway)) {
		return config.Client{}, objection.Errorf(objection.CodeUnauthorized, "the token has expired")
	}
	return client, nil
}

func joinRoles(roles []config.Role) string {
	s := make([]string, len(roles))
	for i, r := range roles {
		s[i] = string(r)
	}
	return strings.Join(s, " or ")
}
