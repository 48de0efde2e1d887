package httpapi

import (
	"crypto/subtle"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/config"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgwtoken"
)

// Auth checks the bearer JWTs of API clients: HS256, signed with the client's secret, carrying
// client_id and an iat no older than MaxAge (the ZGW convention).
type Auth struct {
	Clients []config.Client
	MaxAge  time.Duration
	Now     func() time.Time
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
		ctx := objection.WithPrincipal(r.Context(), objection.Principal{ID: client.ID, Roles: client.Roles, Via: objection.ViaToken})
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
	var client config.Client
	rules := zgwtoken.Rules{MaxAge: a.MaxAge, Leeway: time.Minute, SecretOf: func(id string) (string, bool) {
		for _, c := range a.Clients {
			if subtle.ConstantTimeCompare([]byte(c.ID), []byte(id)) == 1 {
				client = c
				return c.Secret, true
			}
		}
		return "", false
	}}
	if _, err := rules.Check(header, a.Now()); err != nil {
		return config.Client{}, objection.Errorf(objection.CodeUnauthorized, "%s", err.Error())
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
