package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/woo"
)

// wooEnv has the connector publish on the sandbox's publicatiebank at root (the sandbox itself,
// or a fault proxy in front of it).
func wooEnv(t *testing.T, root string) {
	t.Setenv("WOO_PUBLICATIEBANK_URL", root+"/publicatiebank/api/v2")
	t.Setenv("WOO_TOKEN", sandboxtest.WooToken)
}

// everyPublicationStep has the connector publish directly and upload the document in parts, so
// that every publication step runs.
func everyPublicationStep(t *testing.T) {
	t.Setenv("WOO_PUBLISH", "direct")
	t.Setenv("WOO_DOCUMENT_DELIVERY", "upload")
}

// onTheSandbox, as WOO_PUBLICATIEBANK_URL given to newWorldWith, publishes on the world's own sandbox.
const onTheSandbox = "the world's sandbox"

// waitPublished waits until the case's decision is published and its besluit has its
// publicatiedatum, reporting whether it came to that.
func waitPublished(t *testing.T, base, caseID string, patience time.Duration) bool {
	t.Helper()
	deadline := time.Now().Add(patience)
	for time.Now().Before(deadline) {
		status, out := call(base, "GET", "/api/v1/cases/"+caseID, bearer(t, "audit", auditorSecret, time.Now()), "", nil)
		if status == http.StatusOK && strings.Contains(out, `"publicatiedatum":"`) {
			return true
		}
		if strings.Contains(out, `"state":"refused"`) {
			t.Errorf("the publication of %s was refused: %s", caseID, out)
			return false
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Errorf("the decision of %s was not published in %s", caseID, patience)
	return false
}

// assertPublishedOnce checks the publicatiebank and the zaaksysteem after everything settled: one
// publicatie with the decision's reference as kenmerk, published, with one complete document,
// and its besluit's publicatiedatum set by exactly one change.
func assertPublishedOnce(t *testing.T, sb *sandboxtest.Env, ref string) {
	t.Helper()
	ctx := context.Background()
	code, body := sandboxtest.Send(t, http.MethodGet, sb.URL+"/publicatiebank/api/v2/publicaties?"+url.Values{"kenmerk": {ref}}.Encode(), "", "",
		map[string]string{"Authorization": "Token " + sandboxtest.WooToken, "Audit-User-ID": "test", "Audit-User-Representation": "Test", "Audit-Remarks": "controle"})
	raw, _ := json.Marshal(body["results"])
	var pubs []woo.Publicatie
	json.Unmarshal(raw, &pubs)
	if code != http.StatusOK || len(pubs) != 1 {
		t.Errorf("%s: %d publicaties at the publicatiebank, want 1 (%d)", ref, len(pubs), code)
		return
	}
	if pubs[0].Publicatiestatus != woo.StatusGepubliceerd {
		t.Errorf("%s: the publicatie is %s", ref, pubs[0].Publicatiestatus)
	}
	docs, err := sb.Woo(t).Documenten(ctx, pubs[0].UUID)
	if err != nil || len(docs) != 1 || !docs[0].UploadVoltooid {
		t.Errorf("%s: the publicatie's documents: %+v, %v; want one, complete", ref, docs, err)
	}
	zaak := zaakOf(t, sb, ref)
	besluiten, err := sb.Client.Besluiten.ListBesluiten(ctx, zaak, "")
	if err != nil || len(besluiten) != 1 || besluiten[0].Publicatiedatum == nil {
		t.Fatalf("%s: besluiten %+v, %v; want one with its publicatiedatum", ref, besluiten, err)
	}
	trail, err := sb.Client.Besluiten.AuditTrail(ctx, besluiten[0].URL)
	if err != nil {
		t.Fatal(err)
	}
	changes := 0
	for _, a := range trail {
		if a.Actie == "partial_update" || a.Actie == "update" {
			changes++
		}
	}
	if changes != 1 {
		t.Errorf("%s: the besluit was changed %d times, want once (its publicatiedatum)", ref, changes)
	}
}
