package autorisaties

// Applicatie is what a client may do (Applicatie in autorisaties-1.0.0.yaml), stored as its JSON
// under the kind "applicatie". An autorisatie has the fields of its component's schema (zrc,
// drc, brc, …), kept as sent and checked by checkApplicatie.
type Applicatie struct {
	URL                   string           `json:"url"`
	ClientIds             []string         `json:"clientIds"`
	Label                 string           `json:"label"`
	HeeftAlleAutorisaties bool             `json:"heeftAlleAutorisaties"`
	Autorisaties          []map[string]any `json:"autorisaties"`
}
