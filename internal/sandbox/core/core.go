// Package core is what every API of the sandbox shares: the store of resources (SQLite, one
// table of JSON documents), reading and answering JSON and problem+json the way Open Zaak does,
// authentication and the scopes per operation, the audit trail, and publishing and delivering
// notifications. The API packages (catalogi, zaken, documenten, besluiten, notificaties,
// autorisaties) serve their routes on it; package sandbox wires them together.
package core

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"path/filepath"
	"sync"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/private"
	"github.com/gemeenten/meta-bezwaar-connector/internal/rsin"
)

// Config configures a sandbox.
type Config struct {
	// DataDir holds the SQLite database and the document contents.
	DataDir string
	// ClientID and Secret are the one client the sandbox accepts.
	ClientID string
	Secret   string
	// ClientScopes, when set, gives the sandbox's own client exactly these scopes per component
	// (for every type), instead of every right: to run a client with least privilege.
	ClientScopes map[string][]string
	// RSIN is the catalogue's organisation (default 002220647).
	RSIN string
	// SelectielijstURL is the root of the Selectielijst API whose resources zaaktypen and
	// resultaattypen may name (default: any, as the sandbox serves tests with their own copy).
	SelectielijstURL string
	// PageSize is the page size of paginated lists (default 100, as Open Zaak).
	PageSize int
	// PartSize is the size of one bestandsdeel (default 4 MiB).
	PartSize int64
	// AcceptConceptZaaktypen lets a zaak be created on a zaaktype that is still a concept, as
	// Open Zaak can be configured to (the standard refuses it: not-published, the default).
	AcceptConceptZaaktypen bool
	// ArchiveDateRequired refuses an eindstatus when the archiefactiedatum cannot be derived yet
	// (archiefactiedatum-error), as Open Zaak before 1.24 did; by default the zaak closes with
	// the date open and gets it when the missing fact is recorded.
	ArchiveDateRequired bool
	// SetsInitialStatus makes the sandbox set the first status itself when a zaak is created,
	// as some zaaksystemen do (Open Zaak does not).
	SetsInitialStatus bool
	// SyncCommits makes every write durable before it is answered (SQLite's synchronous(FULL)),
	// as a zaaksysteem on Postgres does; by default the sandbox, a test double, does not wait
	// for the disk. The benchmarks measure against it (the fair yardstick).
	SyncCommits bool
	// WooToken is the API key of the publicatiebank the sandbox also serves (GPP-publicatiebank's
	// API); empty: it answers every request 401. Municipality is the active organisation it
	// has seeded (default "Gemeente Voorbeeldstad").
	WooToken     string
	Municipality string
	// WooMaxDocumentSize is the largest document the publicatiebank takes (default 1 GiB).
	WooMaxDocumentSize int64
	// JWTExpiry is how old a token's iat may be (default 1h); Leeway allows for clock skew
	// (default 5s).
	JWTExpiry time.Duration
	Leeway    time.Duration
	// Now replaces the clock (tests).
	Now func() time.Time

	// Notifications to abonnementen: a failed delivery is retried after NotifyRetryBase,
	// doubling up to NotifyRetryCap, NotifyAttempts times in all (defaults 1s, 1m, 100: about an
	// hour and a half); one attempt waits NotifyTimeout (10s); due retries are looked for every
	// NotifyPoll (1s).
	NotifyRetryBase, NotifyRetryCap, NotifyTimeout, NotifyPoll time.Duration
	NotifyAttempts                                             int
	// Log reports what goes wrong in the background (default: nowhere).
	Log func(format string, args ...any)
}

// Server is the shared state of a running sandbox: its configuration, store and files, the
// write lock and the deliverer of notifications. It is safe for concurrent use.
type Server struct {
	Cfg   Config
	DB    *Store
	Files string

	// Writes serialises the check-then-write of every mutating request, so that the rules
	// (unique pairs, one resultaat, identificatie uniqueness) hold under concurrency.
	Writes sync.Mutex

	// shapes are the typed resources of the kinds, registered by their APIs (Register): what
	// the generic handlers read a stored resource as.
	shapes map[string]Shape

	// The deliverer of notifications: woken by a publish, stopped by Close.
	notifier     *http.Client
	Fetcher      *http.Client // looks at other systems' URLs given in requests
	wakeUp       chan struct{}
	stopDelivery context.CancelFunc
	delivered    chan struct{}
}

// Open opens (or creates) the sandbox's store and files in cfg.DataDir, with cfg's defaults
// filled in. The deliverer of notifications starts with StartDelivery.
func Open(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.ClientID == "" || cfg.Secret == "" {
		return nil, errors.New("sandbox: a client id and secret are required")
	}
	if cfg.DataDir == "" {
		return nil, errors.New("sandbox: a data directory is required")
	}
	if cfg.RSIN == "" {
		cfg.RSIN = "002220647"
	}
	if !rsin.Valid(cfg.RSIN) {
		return nil, fmt.Errorf("sandbox: RSIN %q fails the elfproef", cfg.RSIN)
	}
	if cfg.Municipality == "" {
		cfg.Municipality = "Gemeente Voorbeeldstad"
	}
	if cfg.PageSize <= 0 {
		cfg.PageSize = 100
	}
	if cfg.PartSize <= 0 {
		cfg.PartSize = 4 << 20
	}
	if cfg.JWTExpiry == 0 {
		cfg.JWTExpiry = time.Hour
	}
	if cfg.Leeway == 0 {
		cfg.Leeway = 5 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	for _, d := range []struct {
		v   *time.Duration
		def time.Duration
	}{{&cfg.NotifyRetryBase, time.Second}, {&cfg.NotifyRetryCap, time.Minute}, {&cfg.NotifyTimeout, 10 * time.Second}, {&cfg.NotifyPoll, time.Second}} {
		if *d.v <= 0 {
			*d.v = d.def
		}
	}
	if cfg.NotifyAttempts <= 0 {
		cfg.NotifyAttempts = 100
	}
	if cfg.Log == nil {
		cfg.Log = func(string, ...any) {}
	}
	files := filepath.Join(cfg.DataDir, "files")
	if err := private.Dir(cfg.DataDir); err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	if err := private.Dir(files); err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	db, err := OpenStore(ctx, filepath.Join(cfg.DataDir, "sandbox.db"), cfg.SyncCommits)
	if err != nil {
		return nil, err
	}
	return &Server{Cfg: cfg, DB: db, Files: files, notifier: &http.Client{},
		Fetcher: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		wakeUp:  make(chan struct{}, 1), delivered: make(chan struct{})}, nil
}

// StartDelivery starts the deliverer of notifications to abonnementen, until Close.
func (s *Server) StartDelivery(ctx context.Context) {
	deliveryCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	s.stopDelivery = stop
	go s.Deliver(deliveryCtx)
}

// Close stops the deliverer (what it has not sent stays for the next start) and releases the
// database.
func (s *Server) Close() error {
	if s.stopDelivery != nil {
		s.stopDelivery()
		<-s.delivered
	}
	return s.DB.Close()
}

// Write runs a mutating handler under the write lock, its changes one transaction: committed
// before the answer goes out (a server error undoes them), so that what was answered is
// durable — one commit per request, as a zaaksysteem makes it.
func (s *Server) Write(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.Writes.Lock()
		defer s.Writes.Unlock()
		ctx, end, err := s.DB.InRequest(r.Context())
		if err != nil {
			WriteError(w, r, err)
			return
		}
		answer := &heldAnswer{header: http.Header{}}
		h(answer, r.WithContext(ctx))
		if err := end(answer.status < http.StatusInternalServerError); err != nil {
			WriteError(w, r, err)
			return
		}
		answer.send(w)
	}
}

// heldAnswer is a handler's answer, held until its changes are committed.
type heldAnswer struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (a *heldAnswer) Header() http.Header { return a.header }

func (a *heldAnswer) WriteHeader(status int) {
	if a.status == 0 {
		a.status = status
	}
}

func (a *heldAnswer) Write(b []byte) (int, error) {
	a.WriteHeader(http.StatusOK)
	return a.body.Write(b)
}

// send writes the held answer to w.
func (a *heldAnswer) send(w http.ResponseWriter) {
	maps.Copy(w.Header(), a.header)
	w.WriteHeader(cmp.Or(a.status, http.StatusOK))
	_, _ = w.Write(a.body.Bytes())
}
