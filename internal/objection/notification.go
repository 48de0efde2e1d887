package objection

// Notification is a message of the Notificaties API, as the zaaksysteem sends it: what changed
// (resource, resourceUrl), under which hoofdobject, how (actie), on which kanaal.
type Notification struct {
	Kanaal       string            `json:"kanaal"`
	HoofdObject  string            `json:"hoofdObject"`
	Resource     string            `json:"resource"`
	ResourceURL  string            `json:"resourceUrl"`
	Actie        string            `json:"actie"`
	AanmaakDatum string            `json:"aanmaakdatum"`
	Kenmerken    map[string]string `json:"kenmerken"`
}
