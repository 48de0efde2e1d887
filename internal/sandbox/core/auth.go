package core

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gemeenten/meta-bezwaar-connector/internal/zgwtoken"
)

// Authenticate accepts a request only with an HS256 JWT signed with the sandbox's secret, with a
// client_id and an iat neither too old nor in the future (Open Zaak's JWT_EXPIRY and
// TIME_LEEWAY), checked as zgwtoken does. Any client signed with the secret is authenticated;
// what it may do is its applicatie's (grants.go), as in Open Zaak.
func (s *Server) Authenticate(next http.Handler) http.Handler {
	ops := newOperations(operationScopes)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rules := zgwtoken.Rules{SecretOf: func(string) (string, bool) { return s.Cfg.Secret, true }, MaxAge: s.Cfg.JWTExpiry, Leeway: s.Cfg.Leeway}
		claims, err := rules.Check(r.Header.Get("Authorization"), s.Cfg.Now())
		if err != nil {
			status, reason := http.StatusForbidden, err.Error()
			if errors.Is(err, zgwtoken.ErrMissing) {
				status, reason = http.StatusUnauthorized, "missing"
			}
			WriteProblem(w, r, status, "not_authenticated", "Authenticatiegegevens zijn niet opgegeven of ongeldig.", reason, nil)
			return
		}
		g, err := s.grantFor(r.Context(), claims)
		if err != nil {
			WriteError(w, r, err)
			return
		}
		component, scopes, known := ops.scopesFor(r)
		switch {
		case !known:
			WriteNotFound(w, r)
			return
		case len(scopes) == 0 && !g.all:
			Forbidden(w, r, fmt.Sprintf("%s %s is geen operatie van de standaard.", r.Method, r.URL.Path))
			return
		case !g.May(component, scopes, "", ""):
			Forbidden(w, r, fmt.Sprintf("De applicatie van deze client heeft geen van de scopes %s voor %s.", strings.Join(scopes, ", "), component))
			return
		}
		ctx := context.WithValue(context.WithValue(r.Context(), claimsKey{}, claims), grantKey{}, g)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

type claimsKey struct{}

// claimsOf returns the acting user of a request, for the audit trail.
func claimsOf(r *http.Request) (userID, representation string) {
	c, _ := r.Context().Value(claimsKey{}).(zgwtoken.Claims)
	return c.UserID, c.UserRepresentation
}
