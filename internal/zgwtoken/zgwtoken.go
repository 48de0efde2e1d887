// Package zgwtoken is the JWT of the ZGW convention, in one place: HS256, signed with the
// client's secret, carrying client_id, iat and the acting user (user_id, user_representation).
// The ZGW client makes them for the zaaksysteem, API clients send them to the connector, and the
// sandbox checks them as Open Zaak does.
package zgwtoken

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Claims are what a checked token says.
type Claims struct {
	ClientID           string
	UserID             string
	UserRepresentation string
	IssuedAt           time.Time
}

// Sign makes a token for clientID acting for a user (both may be empty). exp is set a minute
// after lifetime (some vendors require one), so that a token reused until the end of its
// lifetime still passes.
func Sign(clientID, secret, userID, userRepresentation string, now time.Time, lifetime time.Duration) (string, error) {
	claims := jwt.MapClaims{
		"iss":                 clientID,
		"iat":                 now.Unix(),
		"exp":                 now.Add(lifetime + time.Minute).Unix(),
		"client_id":           clientID,
		"user_id":             userID,
		"user_representation": userRepresentation,
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(secret))
	if err != nil {
		// The secret is never part of the message.
		return "", fmt.Errorf("zgwtoken: signing: %w", err)
	}
	return s, nil
}

// ErrMissing is an Authorization header without a bearer token.
var ErrMissing = errors.New("an Authorization: Bearer <JWT> header is required")

// Refused says why a token was refused; its message names no secret.
type Refused struct{ Reason string }

func (r *Refused) Error() string { return r.Reason }

// Rules say which tokens pass: the secret of a client (false: no such client), how old an iat
// may be, and the leeway for the clocks of both sides.
type Rules struct {
	SecretOf func(clientID string) (string, bool)
	MaxAge   time.Duration
	Leeway   time.Duration
}

// Check reads the Authorization header (the scheme in any case, RFC 7235) and checks its token
// at now: an HS256 signature with the secret of its client_id, an iat neither in the future nor
// older than MaxAge, and exp and nbf when it has them. It returns ErrMissing, a *Refused, or the
// token's claims.
func (r Rules) Check(header string, now time.Time) (Claims, error) {
	scheme, raw, ok := strings.Cut(strings.TrimSpace(header), " ")
	raw = strings.TrimSpace(raw)
	if !ok || !strings.EqualFold(scheme, "Bearer") || raw == "" {
		return Claims{}, ErrMissing
	}
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(raw, claims, func(t *jwt.Token) (any, error) {
		id, _ := t.Claims.(jwt.MapClaims)["client_id"].(string)
		if id == "" {
			return nil, jwt.ErrTokenUnverifiable
		}
		secret, ok := r.SecretOf(id)
		if !ok {
			return nil, jwt.ErrTokenUnverifiable
		}
		return []byte(secret), nil
	}, jwt.WithValidMethods([]string{"HS256"}), jwt.WithoutClaimsValidation())
	if err != nil {
		return Claims{}, &Refused{"the token's signature does not verify for any known client"}
	}
	c := Claims{}
	c.ClientID, _ = claims["client_id"].(string)
	c.UserID, _ = claims["user_id"].(string)
	c.UserRepresentation, _ = claims["user_representation"].(string)
	iat, ok := claims["iat"].(float64)
	if !ok {
		return Claims{}, &Refused{"the token has no iat"}
	}
	c.IssuedAt = time.Unix(int64(iat), 0)
	switch {
	case c.IssuedAt.After(now.Add(r.Leeway)):
		return Claims{}, &Refused{"the token was issued in the future"}
	case now.Sub(c.IssuedAt) > r.MaxAge+r.Leeway:
		return Claims{}, &Refused{fmt.Sprintf("the token has expired (its iat must be within %s)", r.MaxAge)}
	}
	// exp and nbf are optional (the convention relies on iat), but honoured when present.
	for _, t := range []struct {
		name    string
		refused func(at time.Time) bool
		why     string
	}{
		{"exp", func(at time.Time) bool { return now.After(at.Add(r.Leeway)) }, "the token has expired (exp)"},
		{"nbf", func(at time.Time) bool { return now.Add(r.Leeway).Before(at) }, "the token is not valid yet (nbf)"},
	} {
		v, present := claims[t.name]
		if !present {
			continue
		}
		at, ok := v.(float64)
		if !ok {
			return Claims{}, &Refused{"the token's " + t.name + " is not a number"}
		}
		if t.refused(time.Unix(int64(at), 0)) {
			return Claims{}, &Refused{t.why}
		}
	}
	return c, nil
}
