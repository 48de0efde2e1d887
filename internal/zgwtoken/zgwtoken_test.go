package zgwtoken

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// What Sign makes, Check takes back with its claims; what breaks a rule is refused with a
// reason that names no secret.
func TestSignAndCheck(t *testing.T) {
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	const secret = "a-secret-of-at-least-thirty-two-bytes"
	rules := Rules{MaxAge: time.Hour, Leeway: 5 * time.Second, SecretOf: func(id string) (string, bool) { return secret, id == "connector" }}
	sign := func(claims jwt.MapClaims, method jwt.SigningMethod, key any) string {
		s, err := jwt.NewWithClaims(method, claims).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	good, err := Sign("connector", secret, "a.adviseur", "A. Adviseur", now.Add(-time.Minute), 5*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	c, err := rules.Check("bearer "+good, now)
	if err != nil || c.ClientID != "connector" || c.UserID != "a.adviseur" || c.UserRepresentation != "A. Adviseur" || !c.IssuedAt.Equal(now.Add(-time.Minute)) {
		t.Fatalf("a token Sign made: %+v, %v", c, err)
	}
	hs := func(extra jwt.MapClaims) string {
		claims := jwt.MapClaims{"client_id": "connector", "iat": now.Unix()}
		for k, v := range extra {
			claims[k] = v
		}
		return "Bearer " + sign(claims, jwt.SigningMethodHS256, []byte(secret))
	}
	for _, tc := range []struct {
		name, header string
		missing      bool
	}{
		{"no header", "", true},
		{"another scheme", "Basic " + good, true},
		{"no token", "Bearer ", true},
		{"an unknown client", hs(jwt.MapClaims{"client_id": "stranger"}), false},
		{"no client_id", hs(jwt.MapClaims{"client_id": nil}), false},
		{"another secret", "Bearer " + sign(jwt.MapClaims{"client_id": "connector", "iat": now.Unix()}, jwt.SigningMethodHS256, []byte("another")), false},
		{"alg none", "Bearer " + sign(jwt.MapClaims{"client_id": "connector", "iat": now.Unix()}, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType), false},
		{"no iat", hs(jwt.MapClaims{"iat": nil}), false},
		{"iat too old", hs(jwt.MapClaims{"iat": now.Add(-2 * time.Hour).Unix()}), false},
		{"iat ahead", hs(jwt.MapClaims{"iat": now.Add(time.Minute).Unix()}), false},
		{"exp passed", hs(jwt.MapClaims{"exp": now.Add(-time.Minute).Unix()}), false},
		{"nbf ahead", hs(jwt.MapClaims{"nbf": now.Add(time.Minute).Unix()}), false},
		{"exp not a number", hs(jwt.MapClaims{"exp": "soon"}), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := rules.Check(tc.header, now)
			var refused *Refused
			switch {
			case tc.missing && !errors.Is(err, ErrMissing):
				t.Errorf("%v, want ErrMissing", err)
			case !tc.missing && !errors.As(err, &refused):
				t.Errorf("%v, want a refusal", err)
			case err != nil && strings.Contains(err.Error(), secret):
				t.Errorf("the reason names the secret: %v", err)
			}
		})
	}
	if _, err := rules.Check(hs(jwt.MapClaims{"iat": now.Add(3 * time.Second).Unix()}), now); err != nil {
		t.Errorf("an iat within the leeway was refused: %v", err)
	}
}
