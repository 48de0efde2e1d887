package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/store/storetest"
)

// TestRiverUIForOperators: River's own UI serves the connector's queue to operators, on each
// store — its page, and its API listing the jobs a decision made — and to nobody else.
func TestRiverUIForOperators(t *testing.T) {
	for _, store := range []string{"sqlite", "postgres"} {
		t.Run(store, func(t *testing.T) {
			env := map[string]string{}
			if store == "postgres" {
				env["CONNECTOR_DATABASE_URL"] = storetest.PostgresURL(t)
			}
			w := newWorldWith(t, env)
			id := w.registered(t, "B&W-river-"+store, "facebook")
			w.waitState(t, id, objection.StateAwaitingConfirmation)
			// Filing the one account sets a status: a job of River's own (a registration runs at
			// once and leaves no job behind).
			if status, _, p := w.do(t, "POST", "/api/v1/cases/"+id+"/accounts/0/filing", w.registrar(t), "application/json", []byte(`{"channel":"app"}`)); status != http.StatusOK {
				t.Fatalf("filing: %d %v", status, p)
			}
			for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(30 * time.Millisecond) {
				_, events := call(w.app.URL, "GET", "/api/v1/cases/"+id+"/events", w.auditor(t), "", nil)
				if strings.Contains(events, "status-filed") {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("the filed status was not set: %s", events)
				}
			}

			operator := newPerson(t, w.app.URL)
			operator.devSignIn("Olaf Operator", "operator")
			if resp, body := operator.get("/beheer", true); resp.StatusCode != http.StatusOK || !strings.Contains(body, `href="/beheer/wachtrij/"`) {
				t.Errorf("the operators' page does not link to River's UI: %d", resp.StatusCode)
			}
			if resp, body := operator.get("/beheer/wachtrij/", true); resp.StatusCode != http.StatusOK || !strings.Contains(body, "<title>River</title>") {
				t.Errorf("River's UI: %d %.200s", resp.StatusCode, body)
			}
			// The filing's job, running or done by now.
			kinds := map[string]bool{}
			for _, state := range []string{"running", "completed"} {
				resp, body := operator.get("/beheer/wachtrij/api/jobs?state="+state+"&limit=50", true)
				var jobs struct {
					Data []struct {
						Kind string `json:"kind"`
					} `json:"data"`
				}
				if resp.StatusCode != http.StatusOK || json.Unmarshal([]byte(body), &jobs) != nil {
					t.Fatalf("River's job list: %d %.300s", resp.StatusCode, body)
				}
				for _, j := range jobs.Data {
					kinds[j.Kind] = true
				}
			}
			if !kinds["set_filed_status"] {
				t.Errorf("River's job list lacks the filed status: %v", kinds)
			}

			registrar := newPerson(t, w.app.URL)
			registrar.devSignIn("Rita Registrar", "registrar")
			for _, path := range []string{"/beheer/wachtrij/", "/beheer/wachtrij/api/jobs"} {
				if resp, _ := registrar.get(path, false); resp.StatusCode != http.StatusForbidden {
					t.Errorf("a registrar at %s: %d", path, resp.StatusCode)
				}
			}
			if resp, _ := newPerson(t, w.app.URL).get("/beheer/wachtrij/api/jobs", false); resp.StatusCode != http.StatusSeeOther {
				t.Errorf("nobody signed in at River's API: %d, want a redirect to the sign-in", resp.StatusCode)
			}
		})
	}
}
