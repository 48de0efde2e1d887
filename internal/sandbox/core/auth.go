package core

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Authenticate accepts a request only with an HS256 JWT signed with the sandbox's secret, with a
// client_id and an iat is neither too old nor in the future (Open Zaak's
// JWT_EXPIRY and TIME_LEEWAY).
func (s *Server) Authenticate(next http.Handler) http.Handler {
	ops := newOperations(operationScopes)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		claims, reason := s.checkToken(r.Header.Get("Authorization"))
		if reason != "" {
			status := http.StatusForbidden
			if reason == "missing" {
				status = http.StatusUnauthorized
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
	c, _ := r.Context().Value(claimsKey{}).(jwt.MapClaims)
	userID, _ = c["user_id"].(string)
	representation, _ = c["user_representation"].(string)
	return userID, representation
}

// checkToken returns the token's claims, or the reason it is refused.
func (s *Server) checkToken(header string) (jwt.MapClaims, string) {
	raw, ok := strings.CutPrefix(header, "Bearer ")
	if !ok || raw == "" {
		return nil, "missing"
	}
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(raw, claims, func(t *jwt.Token) (any, error) {
		return []byte(s.Cfg.Secret), nil
	}, jwt.WithValidMethods([]string{"HS256"}), jwt.WithoutClaimsValidation())
	if err != nil {
		return nil, "the JWT signature does not verify"
	}
	// Any client signed with the secret is authenticated; what it may do is its applicatie's
	// (autorisaties.go), as in Open Zaak.
	if id, _ := claims["client_id"].(string); id == "" {
		return nil, "the JWT has no client_id"
	}
	iat, ok := claims["iat"].(float64)
	if !ok {
		return nil, "the JWT has no iat"
	}
	issued := time.Unix(int64(iat), 0)
	now := s.Cfg.Now()
	if issued.After(now.Add(s.Cfg.Leeway)) {
		return nil, "the JWT was issued in the future"
	}
	if now.Sub(issued) > s.Cfg.JWTExpiry+s.Cfg.Leeway {
		return nil, "the JWT has expired"
	}
	if exp, ok := claims["exp"].(float64); ok && now.After(time.Unix(int64(exp), 0).Add(s.Cfg.Leeway)) {
		return nil, "the JWT has expired"
	}
	return claims, ""
}
