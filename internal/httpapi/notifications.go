package httpapi

import (
	"crypto/subtle"
	"encoding/json"
	"net/http"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// postNotification is the Notificaties API's callback. It authenticates with the value the
// abonnement registered (not a client JWT), records what the notification asks for (a created
// besluit, a change to a zaak of the connector's) durably and answers 204 at once; everything else
// is acknowledged and ignored. Repeats are harmless.
func (a *API) postNotification(w http.ResponseWriter, r *http.Request) {
	if a.NotificationsAuth == "" || subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), []byte(a.NotificationsAuth)) != 1 {
		w.Header().Set("WWW-Authenticate", `Bearer realm="notifications"`)
		refuse(w, r, objection.Errorf(objection.CodeUnauthorized, "not the Authorization this connector's abonnement registered"))
		return
	}
	var n zgw.Notificatie
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
	if err := a.Service.Notification(r.Context(), n); err != nil {
		writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
