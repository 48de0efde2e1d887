package console

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gemeenten/meta-bezwaar-connector/internal/config"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// nextStep says what a case waits for.
func nextStep(c *objection.Case) string {
	switch c.State() {
	case objection.StateReceived, objection.StateRegistering:
		return "Het zaaksysteem wordt bijgewerkt"
	case objection.StateClosing:
		return "De zaak wordt afgesloten"
	case objection.StateClosed, objection.StateClosedElsewhere:
		return "Niets meer"
	case objection.StateFailed:
		return "Mislukt: een beheerder moet kijken (de melding staat bij de zaak)"
	}
	open, waiting := 0, 0
	for _, a := range c.Accounts {
		switch {
		case a.FiledAt == nil:
			open++
		case a.ConfirmedAt == nil:
			waiting++
		}
	}
	switch {
	case open > 0:
		return plural(open, "account indienen bij Meta", "accounts indienen bij Meta")
	case waiting > 0:
		return plural(waiting, "bevestiging van Meta afwachten", "bevestigingen van Meta afwachten")
	}
	return "De zaak wordt afgesloten"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func joinRoles(roles []config.Role) string {
	s := make([]string, len(roles))
	for i, r := range roles {
		s[i] = string(r)
	}
	return strings.Join(s, " of ")
}

// pathOnly keeps the path (and query) of a URL of this site.
func pathOnly(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "/"
	}
	return returnTo(u.Path)
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// statusTitle names an error page.
func statusTitle(status int) string {
	switch status {
	case http.StatusBadRequest, http.StatusUnprocessableEntity:
		return "Niet verwerkt"
	case http.StatusUnauthorized:
		return "Niet aangemeld"
	case http.StatusForbidden:
		return "Geweigerd"
	case http.StatusNotFound:
		return "Niet gevonden"
	case http.StatusConflict:
		return "Kan nu niet"
	case http.StatusRequestEntityTooLarge:
		return "Te groot"
	case http.StatusUnsupportedMediaType:
		return "Verkeerd formaat"
	case http.StatusBadGateway, http.StatusServiceUnavailable:
		return "Niet bereikbaar"
	}
	return "Er ging iets mis"
}
