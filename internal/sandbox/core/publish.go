package core

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
)

// The sandbox is its own notification service, as Open Zaak is with Open Notificaties: every
// change it audits is published on the kanaal of its API to each abonnement whose kanaal and
// filters match. Publishing writes the notification and one delivery per abonnement to the
// database after the change itself; the deliverer (delivery.go) sends them from there, so none is
// sent before the change is stored, and none is lost while a callback is down.

// kanaalOf is the kanaal each API publishes on, by its audit bron.
var kanaalOf = map[string]string{"zrc": "zaken", "drc": "documenten", "brc": "besluiten"}

// hoofdKind is the resource kind of each kanaal's hoofdobject, where its kenmerken come from.
var hoofdKind = map[string]string{"zaken": "zaak", "documenten": "eio", "besluiten": "besluit"}

// message is a notification (the Notificaties API's Message).
type message struct {
	Kanaal       string            `json:"kanaal"`
	HoofdObject  string            `json:"hoofdObject"`
	Resource     string            `json:"resource"`
	ResourceURL  string            `json:"resourceUrl"`
	Actie        string            `json:"actie"`
	AanmaakDatum string            `json:"aanmaakdatum"`
	Kenmerken    map[string]string `json:"kenmerken"`
}

// PublishChange publishes an audited change. hoofdDoc is the hoofdobject as it is after the
// change (nil: read it from the store). The links inside a notification are absolute URLs of
// this sandbox, as the request reached it.
func (s *Server) PublishChange(r *http.Request, bron, hoofd, resource, resourceURL, actie string, hoofdDoc Doc) error {
	kanaal, ok := kanaalOf[bron]
	if !ok || resource == "zaakbesluit" { // a zaakbesluit is the besluit's own change, told on besluiten
		return nil
	}
	if hoofdDoc == nil {
		d, err := s.DB.Get(r.Context(), hoofdKind[kanaal], LastSegment(hoofd))
		if err != nil && err != ErrNotFound {
			return err
		}
		hoofdDoc = d
	}
	origin := Base(r)
	m := message{Kanaal: kanaal, HoofdObject: origin + hoofd, Resource: resource, ResourceURL: origin + resourceURL,
		Actie: actie, AanmaakDatum: Timestamp(s.Now()), Kenmerken: map[string]string{}}
	for _, k := range KanaalFilters(kanaal) {
		if v, ok := absolute(hoofdDoc[k], origin).(string); ok && v != "" {
			m.Kenmerken[k] = v
		}
	}
	return s.publish(r.Context(), m, origin)
}

func KanaalFilters(naam string) []string {
	for _, k := range Kanalen {
		if k.Naam == naam {
			return strings.Split(k.Filters, ",")
		}
	}
	return nil
}

// publish stores a notification with a delivery for every abonnement it matches, and wakes the
// deliverer. origin is the sandbox's address as the publishing request reached it (filters on
// the sandbox's own resources are stored as paths).
func (s *Server) publish(ctx context.Context, m message, origin string) error {
	abonnementen, err := s.DB.Query(ctx, "abonnement", "", "")
	if err != nil {
		return err
	}
	var targets []Doc
	for _, a := range abonnementen {
		if matches(a, m, origin) {
			targets = append(targets, a)
		}
	}
	body, err := json.Marshal(m)
	if err != nil {
		return err
	}
	if err := s.DB.addNotification(ctx, string(body), targets, s.Now()); err != nil {
		return err
	}
	s.wake()
	return nil
}

// matches reports whether an abonnement takes a notification: one of its kanalen has the
// notification's kanaal, and every filter of that kanaal equals the notification's kenmerk.
func matches(abonnement Doc, m message, origin string) bool {
	kl, _ := abonnement["kanalen"].([]any)
	for _, k := range kl {
		km, _ := k.(map[string]any)
		if Str(km, "naam") != m.Kanaal {
			continue
		}
		filters, _ := km["filters"].(map[string]any)
		all := true
		for key, want := range filters {
			w, _ := absolute(want, origin).(string)
			all = all && m.Kenmerken[key] == w
		}
		if all {
			return true
		}
	}
	return false
}

// PostNotificatie takes a notification from another client (POST /notificaties) and publishes
// it like one of its own.
func (s *Server) PostNotificatie(w http.ResponseWriter, r *http.Request) {
	d, ok := ReadJSON(w, r)
	if !ok {
		return
	}
	d = absolute(d, Base(r)).(Doc) // a notification carries URLs as they were sent
	v := &Validation{}
	v.Required(d, "kanaal", "hoofdObject", "resource", "resourceUrl", "actie", "aanmaakdatum")
	if KanaalFilters(Str(d, "kanaal")) == nil && Str(d, "kanaal") != "" {
		v.Add("kanaal", "kanaal-does-not-exist", "Kanaal "+Str(d, "kanaal")+" bestaat niet.")
	}
	m := message{Kanaal: Str(d, "kanaal"), HoofdObject: Str(d, "hoofdObject"), Resource: Str(d, "resource"),
		ResourceURL: Str(d, "resourceUrl"), Actie: Str(d, "actie"), AanmaakDatum: Str(d, "aanmaakdatum"), Kenmerken: map[string]string{}}
	if km, ok := d["kenmerken"].(map[string]any); ok {
		for k, x := range km {
			if sv, ok := x.(string); ok {
				m.Kenmerken[k] = sv
			} else {
				v.Add("kenmerken", "invalid", "Kenmerk "+k+" is geen tekst.")
			}
		}
	}
	if v.Failed() {
		WriteInvalid(w, r, v)
		return
	}
	if err := s.publish(r.Context(), m, Base(r)); err != nil {
		WriteError(w, r, err)
		return
	}
	b, _ := json.Marshal(m)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}

// Kanalen are the channels the sandbox offers, as an NRC next to Open Zaak would.
var Kanalen = []struct{ Naam, Filters string }{
	{"zaken", "bronorganisatie,zaaktype,vertrouwelijkheidaanduiding"},
	{"documenten", "bronorganisatie,informatieobjecttype,vertrouwelijkheidaanduiding"},
	{"besluiten", "verantwoordelijkeOrganisatie,besluittype"},
}

// WithoutAuth is an abonnement as it is shown: its auth is write-only (the spec's writeOnly), a
// secret the callback checks, never told to any client.
func WithoutAuth(d Doc) Doc {
	out := make(Doc, len(d))
	for k, v := range d {
		if k != "auth" {
			out[k] = v
		}
	}
	return out
}
