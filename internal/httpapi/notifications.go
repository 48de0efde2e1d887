package httpapi

import (
	"crypto/subtle"
	"encoding/json"
	"net/http"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// notification is a message of the Notificaties API.
type notification struct {
	Kanaal       string            `json:"kanaal"`
	HoofdObject  string            `json:"hoofdObject"`
	Resource     string            `json:"resource"`
	ResourceURL  string            `json:"resourceUrl"`
	Actie        string            `json:"actie"`
	AanmaakDatum string            `json:"aanmaakdatum"`
	Kenmerken    map[string]string `json:"kenmerken"`
}

// postNotification is the Notificaties API's callback. It authenticates with the value the
// abonnement registered (not a client JWT), records a created besluit durably and answers 204
// at once; everything else is acknowledged and ignored. Repeats are harmless.
func (a *API) postNotification(w http.ResponseWriter, r *http.Request) {
	if a.NotificationsAuth == "" || subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), []byte(a.NotificationsAuth)) != 1 {
		w.Header().Set("WWW-Authenticate", `Bearer realm="notifications"`)
		refuse(w, r, objection.Errorf(objection.CodeUnauthorized, "not the Authorization this connector's abonnement registered"))
		return
	}
	var n notification
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&n); err != nil {
		writeError(w, r, decodeError(err))
		return
	}
	var v objection.Invalid
	for _, f := range []struct{ name, value string }{{"kanaal", n.Kanaal}, {"resource", n.Resource}, {"resourceUrl", n.ResourceURL}, {"actie", n.Actie}} {
		if f.value == "" {
			v.Add(f.name, "required", "required in a notification")
		}
	}
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	if n.Kanaal == "besluiten" && n.Resource == "besluit" && n.Actie == "create" {
		if err := a.Service.Notified(r.Context(), n.ResourceURL); err != nil {
			writeError(w, r, err)
			return
		}
	}
	w.WriteHeader(http.StatusNoContent)
}
