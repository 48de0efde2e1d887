package woo_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/woo"
)

// The client against the sandbox's publicatiebank (its exchanges validated against the API's
// spec): its errors say what went wrong without ever carrying the API key.
func TestErrorsNeverCarryTheKey(t *testing.T) {
	env := sandboxtest.Start(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		cfg    func(c *woo.Config)
		status int
	}{
		{"a wrong key", func(c *woo.Config) { c.Token = "wrong-key-" + sandboxtest.WooToken }, http.StatusUnauthorized},
		{"nobody listening", func(c *woo.Config) { c.APIRoot = "http://127.0.0.1:1/api/v2" }, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := env.WooConfig()
			tc.cfg(&cfg)
			c, err := woo.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Categorie(ctx, "adviezen")
			var p *woo.Problem
			switch {
			case err == nil:
				t.Fatal("no error")
			case strings.Contains(err.Error(), sandboxtest.WooToken):
				t.Errorf("the error carries the API key: %v", err)
			case tc.status != 0 && (!errors.As(err, &p) || p.Status != tc.status || !woo.Permanent(err)):
				t.Errorf("got %v, want a permanent %d", err, tc.status)
			case tc.status == 0 && woo.Permanent(err):
				t.Errorf("a publicatiebank that does not answer counts as a refusal: %v", err)
			}
		})
	}
	if _, err := woo.New(woo.Config{APIRoot: "ftp://x", Token: "k"}); err == nil {
		t.Error("an ftp API root was accepted")
	}
	if _, err := woo.New(woo.Config{APIRoot: "https://x/api/v2"}); err == nil {
		t.Error("a client without an API key was made")
	}
}
