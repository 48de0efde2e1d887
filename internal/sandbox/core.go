package sandbox

import (
	"context"
	"net/http"
	"sync"
	"time"
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

// Server is a running sandbox zaaksysteem. Its handler is safe for concurrent use.
type Server struct {
	cfg   Config
	db    *store
	files string

	// writes serialises the check-then-write of every mutating request, so that the rules
	// (unique pairs, one resultaat, identificatie uniqueness) hold under concurrency.
	writes sync.Mutex

	// The deliverer of notifications: woken by a publish, stopped by Close.
	notifier     *http.Client
	fetcher      *http.Client // looks at other systems' URLs given in requests
	wakeUp       chan struct{}
	stopDelivery context.CancelFunc
	delivered    chan struct{}
}

// write runs a mutating handler under the write lock.
func (s *Server) write(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.writes.Lock()
		defer s.writes.Unlock()
		h(w, r)
	}
}
