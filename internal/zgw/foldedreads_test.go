package zgw_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/gemeenten/meta-bezwaar-connector/internal/documents"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// requestLog records the requests a zaaksysteem received, as "METHOD path?query".
type requestLog struct {
	mu   sync.Mutex
	seen []string
}

func (l *requestLog) add(r *http.Request) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.seen = append(l.seen, r.Method+" "+r.URL.RequestURI())
}

func (l *requestLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.seen
	l.seen = nil
	return out
}

// TestReadsBeforeClosingAreFolded reads a zaak with its three documents — two in its own
// Documenten API, one in another — from zaaksysteems of three kinds: one of Zaken 1.5 and
// Documenten 1.5, which answers in two requests; an older one that refuses expand and has no
// _zoek, which is read link by link, and only once asks what it cannot; one that ignores
// expand. All give the same answer, document for document, and a document the search does not
// return gets its own answer (404).
func TestReadsBeforeClosingAreFolded(t *testing.T) {
	env := sandboxtest.Start(t)
	ctx := context.Background()
	cat := resolve(t, env)
	z, err := env.Client.Zaken.CreateZaak(ctx, zgw.Zaak{Bronorganisatie: sandboxtest.RSIN, VerantwoordelijkeOrganisatie: sandboxtest.RSIN,
		ZaakType: cat.ZaakType.URL, Startdatum: "2025-05-13"})
	if err != nil {
		t.Fatal(err)
	}
	var docs []string
	for i := range 2 {
		content := fmt.Appendf(nil, "document %d", i)
		d, err := env.Client.Documenten.Create(ctx, zgw.InformatieObject{Bronorganisatie: sandboxtest.RSIN, CreatieDatum: "2025-05-13",
			Titel: fmt.Sprint("Document ", i), Auteur: "Test", Taal: "dut", Inhoud: ptrTo(base64.StdEncoding.EncodeToString(content)),
			Integriteit: documents.Integriteit(content, "2025-05-13"), InformatieObjectType: cat.InformatieObjectTypen["Bezwaarschrift"].URL})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := env.Client.Zaken.CreateZaakInformatieObject(ctx, zgw.ZaakInformatieObject{Zaak: z.URL, InformatieObject: d.URL}); err != nil {
			t.Fatal(err)
		}
		docs = append(docs, d.URL)
	}
	foreign := "https://documenten.elders.example/api/v1/enkelvoudiginformatieobjecten/0b7d4c4e-2f5c-4a7e-9a39-0d7a52d0d001"
	gone := env.URL + "/documenten/api/v1/enkelvoudiginformatieobjecten/0b7d4c4e-2f5c-4a7e-9a39-0d7a52d0d002"
	asked := append(append([]string{}, docs...), foreign, gone)

	// Each kind of zaaksysteem is the sandbox (validated) behind what it changes.
	older := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch {
			case r.URL.Query().Has("expand"):
				w.Header().Set("Content-Type", "application/problem+json")
				w.WriteHeader(http.StatusBadRequest)
				fmt.Fprint(w, `{"code":"invalid","title":"Onbekende query parameters: expand","status":400}`)
			case strings.HasSuffix(r.URL.Path, "/_zoek"):
				w.Header().Set("Content-Type", "application/problem+json")
				w.WriteHeader(http.StatusNotFound)
				fmt.Fprint(w, `{"code":"not_found","title":"Niet gevonden.","status":404}`)
			default:
				next.ServeHTTP(w, r)
			}
		})
	}
	ignoresExpand := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			q := r.URL.Query()
			q.Del("expand")
			r.URL.RawQuery = q.Encode()
			next.ServeHTTP(w, r)
		})
	}
	for _, tc := range []struct {
		name          string
		change        func(http.Handler) http.Handler
		first, second []string // the requests of the first read and of the next
	}{
		{"Zaken 1.5, Documenten 1.5", nil,
			[]string{"GET zaak?expand", "POST _zoek", "GET gone"},
			[]string{"GET zaak?expand", "POST _zoek", "GET gone"}},
		{"older: expand refused, no _zoek", older,
			[]string{"GET zaak?expand", "GET zaak", "GET zaakinformatieobjecten", "POST _zoek", "GET doc", "GET doc", "GET gone"},
			[]string{"GET zaak", "GET zaakinformatieobjecten", "GET doc", "GET doc", "GET gone"}},
		{"expand ignored", ignoresExpand,
			[]string{"GET zaak?expand", "GET zaakinformatieobjecten", "POST _zoek", "GET gone"},
			[]string{"GET zaak?expand", "GET zaakinformatieobjecten", "POST _zoek", "GET gone"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			log := &requestLog{}
			h := env.Spec.Middleware(env.Sandbox.Handler())
			if tc.change != nil {
				h = tc.change(h)
			}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { log.add(r); h.ServeHTTP(w, r) }))
			defer srv.Close()
			c, err := zgw.New(sandboxtest.ClientConfig(srv.URL))
			if err != nil {
				t.Fatal(err)
			}
			here := func(u string) string { return strings.Replace(u, env.URL, srv.URL, 1) }
			for round, want := range [][]string{tc.first, tc.second} {
				got, zios, err := c.Zaken.GetZaakWithDocuments(ctx, here(z.URL))
				if err != nil {
					t.Fatal(err)
				}
				if got.URL != here(z.URL) || len(zios) != 2 || zios[0].InformatieObject != here(docs[0]) || zios[1].InformatieObject != here(docs[1]) {
					t.Fatalf("round %d: zaak %s with links %+v, want %s with %v", round, got.URL, zios, here(z.URL), docs)
				}
				urls := []string{here(asked[0]), here(asked[1]), asked[2], here(asked[3])}
				read, errs := c.Documenten.GetAll(ctx, urls)
				for i := range 2 {
					if errs[i] != nil || read[i].URL != urls[i] || read[i].Titel != fmt.Sprint("Document ", i) {
						t.Errorf("round %d: document %d = %+v, %v; want %s", round, i, read[i], errs[i], urls[i])
					}
				}
				var foreignErr *zgw.ForeignURLError
				var notFound *zgw.Problem
				if !errors.As(errs[2], &foreignErr) {
					t.Errorf("round %d: the document elsewhere: %v, want a ForeignURLError (nothing sent)", round, errs[2])
				}
				if !errors.As(errs[3], &notFound) || notFound.Status != http.StatusNotFound {
					t.Errorf("round %d: the document that is gone: %v, want its own 404", round, errs[3])
				}
				if got := kinds(log.take(), z.URL, docs, gone); fmt.Sprint(got) != fmt.Sprint(slices.Sorted(slices.Values(want))) {
					t.Errorf("round %d: requests %q, want %q", round, got, want)
				}
			}
		})
	}
}

// kinds names each request — which zaak, document or list it asked for — sorted: the documents
// are read several at a time.
func kinds(seen []string, zaak string, docs []string, gone string) []string {
	var out []string
	for _, s := range seen {
		method, uri, _ := strings.Cut(s, " ")
		name := uri
		switch {
		case strings.HasSuffix(zaak, strings.SplitN(uri, "?", 2)[0]) && strings.Contains(uri, "expand="):
			name = "zaak?expand"
		case strings.HasSuffix(zaak, uri):
			name = "zaak"
		case strings.Contains(uri, "/zaakinformatieobjecten?"):
			name = "zaakinformatieobjecten"
		case strings.HasSuffix(uri, "/_zoek"):
			name = "_zoek"
		case strings.HasSuffix(gone, uri):
			name = "gone"
		case strings.HasSuffix(docs[0], uri), strings.HasSuffix(docs[1], uri):
			name = "doc"
		}
		out = append(out, method+" "+name)
	}
	slices.Sort(out)
	return out
}

func ptrTo[T any](v T) *T { return &v }
