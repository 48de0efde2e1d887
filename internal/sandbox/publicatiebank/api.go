// Package publicatiebank is the sandbox's stand-in for GPP-publicatiebank, the registration
// component of the Generic Publication Platform Woo: the part of its API v2
// (gpp-publicatiebank-2.1.0.yaml) a client registering publications uses — informatiecategorieën
// and organisaties to read, publicaties and their documenten to create, read and change, the
// content uploaded in parts or fetched from a Documenten API, and downloaded again.
//
// It behaves as the real one where a client relies on it: an API key (`Authorization: Token`)
// and the three audit headers on every request, validation errors as Django REST framework
// words them (a list of reasons per field, 400), a publicatie's status changes only forward
// (concept → gepubliceerd → ingetrokken), a published publicatie needs a publisher that is active
// and at least one informatiecategorie, documents take their publication's status.
package publicatiebank

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/core"
)

// Root is where the API is served in the sandbox; the spec's paths follow it.
const Root = "/publicatiebank"

// PublicRoot is where the public pages of published publicaties are (urlPublicatieExtern): the
// stand-in for the municipality's Woo portal.
const PublicRoot = "/openbaar/publicaties/"

// Config configures the publicatiebank.
type Config struct {
	// Token is the API key clients send (`Authorization: Token <key>`).
	Token string
	// Municipality is the organisation seeded as active (the publisher of the embedded default).
	Municipality string
	// MaxDocumentSize refuses larger documents (default 1 GiB).
	MaxDocumentSize int64
	// DocumentenClientID and DocumentenSecret are the credentials it uses to fetch a document's
	// content from a Documenten API (aanleveringBestand: ophalen); a real publicatiebank has
	// them configured as a service.
	DocumentenClientID, DocumentenSecret string
}

// API serves the publicatiebank.
type API struct {
	*core.Server
	cfg Config
	// writes serialises the check-then-write of mutating requests.
	writes sync.Mutex
}

// New returns the publicatiebank over the sandbox's store and files.
func New(c *core.Server, cfg Config) *API {
	if cfg.MaxDocumentSize <= 0 {
		cfg.MaxDocumentSize = 1 << 30
	}
	return &API{Server: c, cfg: cfg}
}

// Handler serves the API under Root, every route behind the API key and the audit headers; the
// public pages of published publicaties (urlPublicatieExtern) need neither.
func (s *API) Handler() http.Handler {
	api := http.NewServeMux()
	v2 := Root + "/api/v2/"
	api.HandleFunc("GET "+v2+"informatiecategorieen", s.listCategorieen)
	api.HandleFunc("GET "+v2+"informatiecategorieen/{uuid}", getOne[Categorie](s, kindCategorie))
	api.HandleFunc("GET "+v2+"organisaties", s.listOrganisaties)
	api.HandleFunc("GET "+v2+"organisaties/{uuid}", getOne[Organisatie](s, kindOrganisatie))
	api.HandleFunc("GET "+v2+"publicaties", s.listPublicaties)
	api.HandleFunc("POST "+v2+"publicaties", s.write(s.createPublicatie))
	api.HandleFunc("GET "+v2+"publicaties/{uuid}", getOne[Publicatie](s, kindPublicatie))
	api.HandleFunc("PATCH "+v2+"publicaties/{uuid}", s.write(s.updatePublicatie))
	api.HandleFunc("GET "+v2+"documenten", s.listDocumenten)
	api.HandleFunc("POST "+v2+"documenten", s.write(s.createDocument))
	api.HandleFunc("GET "+v2+"documenten/{uuid}", s.getDocument)
	api.HandleFunc("DELETE "+v2+"documenten/{uuid}", s.write(s.deleteDocument))
	api.HandleFunc("PUT "+v2+"documenten/{uuid}/bestandsdelen/{partUuid}", s.write(s.putPart))
	api.HandleFunc("GET "+v2+"documenten/{uuid}/download", s.download)
	api.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeDetail(w, http.StatusNotFound, "Niet gevonden.")
	})
	mux := http.NewServeMux()
	mux.Handle(Root+"/api/", s.authenticate(api))
	mux.HandleFunc("GET "+PublicRoot+"{uuid}", s.publicPage)
	return mux
}

// authenticate requires the API key and the audit headers, as the real publicatiebank does
// for every endpoint.
func (s *API) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Token ")
		if !ok || s.cfg.Token == "" || subtle.ConstantTimeCompare([]byte(key), []byte(s.cfg.Token)) != 1 {
			w.Header().Set("WWW-Authenticate", "Token")
			writeDetail(w, http.StatusUnauthorized, "Authenticatiegegevens zijn niet opgegeven of ongeldig.")
			return
		}
		for _, h := range []string{"Audit-User-ID", "Audit-User-Representation", "Audit-Remarks"} {
			if strings.TrimSpace(r.Header.Get(h)) == "" {
				writeDetail(w, http.StatusBadRequest, "De audit-header "+h+" ontbreekt of is leeg.")
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

func (s *API) write(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.writes.Lock()
		defer s.writes.Unlock()
		h(w, r)
	}
}

// eigenaar is the person the audit headers name.
func eigenaar(r *http.Request) Eigenaar {
	return Eigenaar{Identifier: r.Header.Get("Audit-User-ID"), WeergaveNaam: r.Header.Get("Audit-User-Representation")}
}

func (s *API) now() string { return s.Cfg.Now().UTC().Format(time.RFC3339Nano) }

// getOne answers one typed resource by its uuid.
func getOne[T any](s *API, kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, err := core.GetAs[T](r.Context(), s.DB, kind, r.PathValue("uuid"))
		if !s.found(w, err) {
			return
		}
		writeJSON(w, http.StatusOK, v)
	}
}

// found answers 404 or 500 for a failed read and reports whether there was none.
func (s *API) found(w http.ResponseWriter, err error) bool {
	switch {
	case err == nil:
		return true
	case err == core.ErrNotFound:
		writeDetail(w, http.StatusNotFound, "Niet gevonden.")
	default:
		writeDetail(w, http.StatusInternalServerError, "Er is een serverfout opgetreden.")
	}
	return false
}

// seeded reports whether ctx's store already holds the seed.
func (s *API) seeded(ctx context.Context) (bool, error) {
	cats, err := s.DB.Query(ctx, kindCategorie, "", "")
	return len(cats) > 0, err
}
