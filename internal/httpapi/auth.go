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

// Require wraps h so that only clients with one of the roles reach it. A refused request is
// answered before its body is read, and its connection closed: the server does not wait for a
// body it will not use (a slow sender would hold the connection otherwise).
func (a *Auth) Require(h http.HandlerFunc, roles ...config.Role) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		client, err := a.authenticate(r.Header.Get("Authorization"))
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="connector"`)
			refuse(w, r, err)
			return
		}
		if !slices.ContainsFunc(roles, client.Has) {
			refuse(w, r, objection.Errorf(objection.CodeForbidden, "client %q lacks the role for this (needs %s)", client.ID, join(roles, " or ")))
			return
		}
		ctx := objection.WithActor(context.WithValue(r.Context(), clientKey{}, client), client.ID)
		h(w, r.WithContext(ctx))
	}
}

// refuse answers an unauthenticated or unauthorised request without reading its body. Go's
// server would otherwise read up to 256 KiB of an unread body after the answer, to reuse the
// connection; a read deadline now stops that, and the connection is closed after the answer.
func refuse(w http.ResponseWriter, r *http.Request, err error) {
	w.Header().Set("Connection", "close")
	writeError(w, r, err)
	_ = http.NewResponseController(w).SetReadDeadline(time.Now()) // not every writer has deadlines
}

func (a *Auth) authenticate(header string) (config.Client, error) {
	// The scheme is case-insensitive (RFC 7235 §2.1).
	scheme, raw, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(raw) == "" {
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
	// exp and nbf are optional (the ZGW convention relies on iat), but honoured when present.
	for _, c := range []struct {
		name    string
		refused func(at time.Time) bool
		why     string
	}{
		{"exp", func(at time.Time) bool { return now.After(at.Add(leeway)) }, "the token has expired (exp)"},
		{"nbf", func(at time.Time) bool { return now.Add(leeway).Before(at) }, "the token is not valid yet (nbf)"},
	} {
		v, present := claims[c.name]
		if !present {
			continue
		}
		at, ok := v.(float64)
		if !ok {
			return config.Client{}, objection.Errorf(objection.CodeUnauthorized, "the token's %s is not a number", c.name)
		}
		if c.refused(time.Unix(int64(at), 0)) {
			return config.Client{}, objection.Errorf(objection.CodeUnauthorized, "%s", c.why)
		}
	}
	return client, nil
}

// join lists named values (roles, states) for a message.
func join[T ~string](values []T, sep string) string {
	s := make([]string, len(values))
	for i, v := range values {
		s[i] = string(v)
	}
	return strings.Join(s, sep)
}
