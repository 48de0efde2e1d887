package main

import (
	"cmp"
	"fmt"

	"github.com/gemeenten/meta-bezwaar-connector/internal/config"
	"github.com/gemeenten/meta-bezwaar-connector/internal/woo"
	"github.com/gemeenten/meta-bezwaar-connector/internal/workflow"
)

// publishingOf is the publication on the Woo platform as configured (nil: none).
func publishingOf(cfg *config.Config) (*workflow.Publishing, error) {
	w := cfg.Woo
	if !w.Configured() {
		return nil, nil
	}
	client, err := woo.New(woo.Config{APIRoot: w.APIRoot, Token: w.Token, Timeout: w.Timeout.Duration, ReadRetries: 2})
	if err != nil {
		return nil, fmt.Errorf("WOO_API_ROOT: %w", err)
	}
	return &workflow.Publishing{Client: client, Publisher: cmp.Or(w.Publisher, cfg.Municipality), Category: w.Category,
		Directly: w.Directly, Fetch: w.Delivery == "fetch", LookEvery: w.LookEvery.Duration, Municipality: cfg.Municipality}, nil
}
