package notificaties

// The Notificaties API's resources as typed values (notificaties-1.0.0.yaml). An abonnement is
// stored as its JSON under the kind "abonnement"; the kanalen are the sandbox's fixed ones.

// Abonnement is a subscription of a callback to kanalen (Abonnement). Its auth is write-only:
// stored, never answered (core.WithoutAuth).
type Abonnement struct {
	URL         string        `json:"url"`
	CallbackURL string        `json:"callbackUrl"`
	Auth        string        `json:"auth"`
	Kanalen     []FilterGroup `json:"kanalen"`
}

// FilterGroup is a kanaal an abonnement listens to, with the kenmerken it filters on.
type FilterGroup struct {
	Naam    string            `json:"naam"`
	Filters map[string]string `json:"filters"`
}

// Kanaal is a channel notifications are sent on (Kanaal).
type Kanaal struct {
	URL              string   `json:"url"`
	Naam             string   `json:"naam"`
	DocumentatieLink string   `json:"documentatieLink"`
	Filters          []string `json:"filters"`
}
