package documenten_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// POST /enkelvoudiginformatieobjecten/_zoek finds documents by uuid (either spelling of the
// field), only those the client may read, and refuses a request it cannot read unambiguously.
func TestDocumentSearch(t *testing.T) {
	env := sandboxtest.Start(t)
	ctx := context.Background()
	cat, err := env.Client.Catalogi.Resolve(ctx, sandboxtest.Spec(), "2025-05-13")
	if err != nil {
		t.Fatal(err)
	}
	letter := cat.InformatieObjectTypen["Bezwaarschrift"].URL
	open, secret := sandboxtest.NewDocument(t, env.Client, letter, "openbaar"), sandboxtest.NewDocument(t, env.Client, letter, "geheim")
	uuidOf := func(d *zgw.InformatieObject) string { return d.URL[len(d.URL)-36:] }
	admin := sandboxtest.Token(t, sandboxtest.ClientID, sandboxtest.Secret, time.Now())
	if status, d := sandboxtest.Send(t, "POST", env.URL+"/autorisaties/api/v1/applicaties", admin, fmt.Sprintf(
		`{"clientIds":["lezer"],"label":"lezer","autorisaties":[{"component":"drc","scopes":["documenten.lezen"],"informatieobjecttype":%q,"maxVertrouwelijkheidaanduiding":"openbaar"}]}`, letter), nil); status != http.StatusCreated {
		t.Fatalf("applicatie: %d %v", status, d)
	}
	reader := sandboxtest.Token(t, "lezer", sandboxtest.Secret, time.Now())
	search := env.URL + "/documenten/api/v1/enkelvoudiginformatieobjecten/_zoek"
	missing := "0b7d4c4e-2f5c-4a7e-9a39-0d7a52d0d000"
	both := fmt.Sprintf(`[%q,%q,%q]`, uuidOf(open), uuidOf(secret), missing)

	for _, tc := range []struct {
		name, client, body string
		want               []string
		valid              bool // by the VNG specification, which requires uuid_In
	}{
		{"uuid_In, every right", admin, `{"uuid_In":` + both + `}`, []string{open.URL, secret.URL}, true},
		{"both spellings", admin, `{"uuid_In":` + both + `,"uuid__in":` + both + `}`, []string{open.URL, secret.URL}, true},
		{"uuid__in (Open Zaak)", admin, `{"uuid__in":` + both + `}`, []string{open.URL, secret.URL}, false},
		{"a reader of openbaar only", reader, `{"uuid_In":` + both + `}`, []string{open.URL}, true},
	} {
		var status int
		var got map[string]any
		do := func() { status, got = sandboxtest.Send(t, "POST", search, tc.client, tc.body, nil) }
		if tc.valid {
			do()
		} else {
			env.Spec.ExpectInvalidRequests(do)
		}
		results, _ := got["results"].([]any)
		var urls []string
		for _, r := range results {
			urls = append(urls, fmt.Sprint(r.(map[string]any)["url"]))
		}
		if status != http.StatusOK || fmt.Sprint(urls) != fmt.Sprint(tc.want) || got["count"] != float64(len(tc.want)) {
			t.Errorf("%s: %d %v, want %v", tc.name, status, got, tc.want)
		}
	}
	for _, tc := range []struct{ body, field, code string }{
		{`{"uuid_In":["` + uuidOf(open) + `"],"uuid__in":["` + uuidOf(secret) + `"]}`, "uuid__in", "ambiguous"},
		{`{"uuid_In":"` + uuidOf(open) + `"}`, "uuid_In", "required"},
		{`{"uuid_In":["not-a-uuid"]}`, "uuid_In", "invalid"},
		{`{}`, "uuid__in", "required"},
	} {
		var status int
		var got map[string]any
		env.Spec.ExpectInvalidRequests(func() { status, got = sandboxtest.Send(t, "POST", search, admin, tc.body, nil) })
		if status != http.StatusBadRequest || !sandboxtest.HasParam(got, tc.field, tc.code) {
			t.Errorf("%s: %d %v, want 400 %s %s", tc.body, status, got, tc.field, tc.code)
		}
	}
}
