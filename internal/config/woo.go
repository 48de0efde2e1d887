package config

import "time"

// validateWoo checks the publication settings; none are needed while nothing is published.
func (c *Config) validateWoo(bad func(name, format string, args ...any)) {
	w := c.Woo
	if w.Publish != "concept" && w.Publish != "direct" {
		bad("WOO_PUBLISH", "%q is neither concept nor direct", w.Publish)
	}
	switch w.Delivery {
	case "", "fetch", "upload":
	default:
		bad("WOO_DOCUMENT_DELIVERY", "%q is neither fetch nor upload", w.Delivery)
	}
	if !w.Configured() {
		return
	}
	if !httpURL(w.APIRoot) {
		bad("WOO_PUBLICATIEBANK_URL", "%q is not an http(s) URL (or none)", w.APIRoot)
	}
	if w.Token == "" {
		bad("WOO_TOKEN", "required with WOO_PUBLICATIEBANK_URL")
	}
	if w.LookEvery.err == nil && w.LookEvery.Duration < time.Second {
		bad("WOO_LOOK_INTERVAL", "shorter than 1s: the publicatiebank would be asked too often")
	}
}
