package workflow_test

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/documents"
	"github.com/gemeenten/meta-bezwaar-connector/internal/meta"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/store"
	"github.com/gemeenten/meta-bezwaar-connector/internal/store/storetest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/workflow"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// counter counts the requests the connector sends to the zaaksysteem, by method and path kind.
type counter struct {
	mu    sync.Mutex
	calls []string
	next  http.RoundTripper
}

func (c *counter) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.calls = append(c.calls, r.Method+" "+collection(r.URL.Path))
	c.mu.Unlock()
	return c.next.RoundTrip(r)
}

func (c *counter) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.calls
	c.calls = nil
	return out
}

// collection is the API collection of a path: /zaken/api/v1/zaken/<uuid> → zaken; a search
// keeps its name: …/enkelvoudiginformatieobjecten/_zoek → enkelvoudiginformatieobjecten/_zoek.
func collection(p string) string {
	parts := strings.Split(strings.Trim(p, "/"), "/")
	switch {
	case len(parts) == 5 && parts[4] == "_zoek":
		return parts[3] + "/_zoek"
	case len(parts) >= 4:
		return parts[3]
	}
	return p
}

type harness struct {
	env    *sandboxtest.Env
	engine *workflow.Engine
	signer *meta.SampleSigner
	calls  *counter
	store  *store.Store
	cat    *zgw.Catalogue
	// patience is how long waitState waits (default 20s).
	patience time.Duration
	changes  *caseChanges
}

// caseChanges wakes whoever waits for a case when the store writes it (store.WatchCases), so
// that waiting costs no reads of cases that did not change (in the benchmarks, polling took a
// sixth of the CPU the connector was measured on).
type caseChanges struct {
	mu      sync.Mutex
	waiters map[string][]chan objection.State
}

// written hands each waiter of the case its latest state (a waiter that has not taken the one
// before gets this one instead).
func (w *caseChanges) written(caseID string, state objection.State) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, ch := range w.waiters[caseID] {
		select {
		case <-ch:
		default:
		}
		ch <- state
	}
}

// watch tells of the case's state at each of its writes from now on, until stop.
func (w *caseChanges) watch(caseID string) (states <-chan objection.State, stop func()) {
	w.mu.Lock()
	defer w.mu.Unlock()
	ch := make(chan objection.State, 1)
	w.waiters[caseID] = append(w.waiters[caseID], ch)
	return ch, func() {
		w.mu.Lock()
		defer w.mu.Unlock()
		w.waiters[caseID] = slices.DeleteFunc(w.waiters[caseID], func(c chan objection.State) bool { return c == ch })
		if len(w.waiters[caseID]) == 0 {
			delete(w.waiters, caseID)
		}
	}
}

func newHarness(t *testing.T, opts ...sandboxtest.Option) *harness {
	t.Helper()
	return newHarnessOn(t, sqliteStore(t), opts...)
}

func newHarnessOn(t *testing.T, st *store.Store, opts ...sandboxtest.Option) *harness {
	t.Helper()
	return harnessWith(t, sandboxtest.StartForConnector(t, opts...), st, 20*time.Millisecond, nil)
}

// harnessWith builds the engine on a running sandbox (benchmarks use an unvalidated one and a
// shorter poll interval).
func harnessWith(t testing.TB, env *sandboxtest.Env, st *store.Store, poll time.Duration, configure func(*workflow.Config)) *harness {
	t.Helper()
	return replicaOf(t, nil, env, st, poll, configure)
}

// replicaOf is harnessWith for a second replica of first (nil: none) on the same database: it
// trusts first's Meta key, and its store tells first's waiters of the cases it writes.
func replicaOf(t testing.TB, first *harness, env *sandboxtest.Env, st *store.Store, poll time.Duration, configure func(*workflow.Config)) *harness {
	t.Helper()
	var signer *meta.SampleSigner
	changes := &caseChanges{waiters: map[string][]chan objection.State{}}
	if first != nil {
		signer, changes = first.signer, first.changes
	} else {
		var err error
		if signer, err = meta.NewSampleSigner("test"); err != nil {
			t.Fatal(err)
		}
	}
	keysFile := filepath.Join(t.TempDir(), "keys")
	os.WriteFile(keysFile, []byte(signer.KeyLines(meta.DefaultSenders())), 0o600)
	keys, err := meta.FileKeys(keysFile)
	if err != nil {
		t.Fatal(err)
	}
	st.WatchCases(changes.written)
	calls := &counter{next: http.DefaultTransport}
	zc := env.ZGW
	zc.Transport = calls
	client, err := zgw.New(zc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	letters, err := documents.NewLetters("Gemeente Voorbeeldstad", "")
	if err != nil {
		t.Fatal(err)
	}
	spec := sandboxtest.Spec()
	cfg := workflow.Config{
		RSIN: sandboxtest.RSIN, Catalogue: spec, LetterType: sandbox.IOTypeLetter, ConfirmationType: sandbox.IOTypeConfirmation,
		EvidenceType: sandbox.IOTypeEvidence, DecisionType: sandbox.IOTypeBesluit,
		Forms: meta.DefaultFormLinks(), RetryBase: 20 * time.Millisecond, PollInterval: poll, Workers: 8,
	}
	if configure != nil {
		configure(&cfg)
	}
	engine, err := workflow.New(cfg, st, client, letters, &meta.Checker{Limits: meta.DefaultLimits(), Senders: meta.DefaultSenders(), Phrases: meta.DefaultPhrases(), Keys: keys},
		slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := engine.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stopCtx, c := context.WithTimeout(context.Background(), 10*time.Second)
		defer c()
		engine.Stop(stopCtx)
		cancel()
	})
	// The catalogue as the tests read it; nil when the client may not read it (TestLeastPrivilege).
	cat, _ := env.Client.Catalogi.Resolve(context.Background(), spec, "2025-05-13")
	return &harness{env: env, engine: engine, signer: signer, calls: calls, store: st, cat: cat, changes: changes}
}

func decision(ref string, platforms ...objection.Platform) objection.Decision {
	d := objection.Decision{Reference: ref, Title: "Bezwaar tegen gebruik van openbare content voor AI-training door Meta",
		DecidedOn: "2025-05-13", Deadline: "2025-05-27", AcceptPastDeadline: true}
	for _, p := range platforms {
		name := map[objection.Platform]string{objection.Facebook: "Gemeente Voorbeeldstad", objection.Instagram: "@voorbeeldstad"}[p]
		d.Accounts = append(d.Accounts, objection.Account{Platform: p, Name: name, URL: "https://www." + string(p) + ".com/voorbeeldstad",
			Email: "communicatie+" + string(p) + "@voorbeeldstad.nl"})
	}
	return d
}

func (h *harness) waitState(t testing.TB, id string, want objection.State) *objection.Case {
	t.Helper()
	return h.waitEither(t, id, want)
}

// waitEither waits until the case is in one of the states. It reads the case only when a write
// told of one of them (and once at first), so that waiting costs the connector nothing that
// benchmarks would count against it.
func (h *harness) waitEither(t testing.TB, id string, states ...objection.State) *objection.Case {
	t.Helper()
	deadline := time.After(cmp.Or(h.patience, 20*time.Second))
	written, stop := h.changes.watch(id) // before the read: a write after it is not missed
	defer stop()
	for {
		c, err := h.engine.Case(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(states, c.State()) {
			return c
		}
		for wanted := false; !wanted; {
			select {
			case s := <-written:
				wanted = slices.Contains(states, s)
			case <-deadline:
				t.Fatalf("case %s is %s (last error %q), want %v", id, c.State(), c.LastError, states)
			}
		}
	}
}

func (h *harness) mail(t testing.TB, a objection.Account, s meta.Sample) []byte {
	t.Helper()
	s.Platform, s.To, s.Account = a.Platform, a.Email, a.Name
	raw, err := h.signer.Make(s)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestFlowAndMinimumCalls(t *testing.T) {
	for _, platforms := range [][]objection.Platform{{objection.Facebook}, {objection.Facebook, objection.Instagram}} {
		t.Run(fmt.Sprintf("%d accounts", len(platforms)), func(t *testing.T) {
			h := newHarness(t)
			flowWithMinimumCalls(t, h, platforms)
		})
	}
}

// TestFlowOnPostgres runs the same flow with the state and River's jobs in Postgres.
func TestFlowOnPostgres(t *testing.T) {
	st, err := store.OpenPostgres(context.Background(), storetest.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	flowWithMinimumCalls(t, newHarnessOn(t, st), []objection.Platform{objection.Facebook, objection.Instagram})
}

// inOrderOfRounds reports whether calls are the rounds one after the other, each round's calls
// in any order.
func inOrderOfRounds(calls []string, rounds ...[]string) bool {
	for _, round := range rounds {
		if len(calls) < len(round) || !slices.Equal(slices.Sorted(slices.Values(calls[:len(round)])), slices.Sorted(slices.Values(round))) {
			return false
		}
		calls = calls[len(round):]
	}
	return len(calls) == 0
}

func flowWithMinimumCalls(t *testing.T, h *harness, platforms []objection.Platform) {
	{
		{
			ctx := context.Background()
			h.calls.take() // the catalogue is resolved and cached by the first flow
			d := decision("B&W-2025-0412", platforms...)
			c, created, err := h.engine.Register(ctx, d, nil)
			if err != nil || !created {
				t.Fatal(err)
			}
			c = h.waitState(t, c.ID, objection.StateAwaitingConfirmation)
			registration := h.calls.take()
			// Minimum (catalogue cached after the first resolve): the catalogue once, then the
			// zaak; then status, besluit and every account's letter, sent at once (in any order);
			// then the letters' links, one by one.
			catalogue := []string{"GET catalogussen", "GET zaaktypen", "GET statustypen", "GET resultaattypen", "GET informatieobjecttypen", "GET besluittypen"}
			together := []string{"POST statussen", "POST besluiten"}
			var links []string
			for range platforms {
				together = append(together, "POST enkelvoudiginformatieobjecten")
				links = append(links, "POST zaakinformatieobjecten")
			}
			if !inOrderOfRounds(registration, catalogue, []string{"POST zaken"}, together, links) {
				t.Errorf("registration calls\n got %v\nwant %v, %v, then %v in any order, then %v", registration, catalogue, "POST zaken", together, links)
			}
			if c.ZaakIdentificatie == "" || c.Accounts[0].LetterURL == "" || c.Accounts[0].FormURL == "" {
				t.Errorf("case after registration: %+v", c)
			}

			// Dutch for the first account, English for the second; a "received" mail first.
			for i, a := range d.Accounts {
				if _, dup, err := h.engine.Confirm(ctx, c.ID, h.mail(t, a, meta.Sample{Dutch: i == 0, Kind: meta.KindReceived})); err != nil || dup {
					t.Fatalf("received mail: %v (dup %v)", err, dup)
				}
				conf, dup, err := h.engine.Confirm(ctx, c.ID, h.mail(t, a, meta.Sample{Dutch: i == 0, Kind: meta.KindHonoured}))
				if err != nil || dup || !conf.Honoured {
					t.Fatalf("honoured mail: %+v %v (dup %v)", conf, err, dup)
				}
			}
			closed := h.waitState(t, c.ID, objection.StateClosed)
			rest := h.calls.take()
			perMail := []string{"POST enkelvoudiginformatieobjecten", "POST zaakinformatieobjecten"}
			var wantRest []string
			for range 2 * len(platforms) {
				wantRest = append(wantRest, perMail...)
			}
			// Closing reads the zaak with its links first (one request: expand) — someone may have
			// closed it in the zaaksysteem: then its resultaat must not be adopted as this case's —
			// checks the documents of the zaak (unlocked, indicatieGebruiksrecht set; one search),
			// then sets resultaat and eindstatus; the reads go out while the last mail is stored
			// (TestClosingReadsAheadWhileTheLastMailIsStored). The archive dates are the
			// zaaksysteem's to derive: no call.
			wantRest = append(wantRest, "GET zaken", "POST enkelvoudiginformatieobjecten/_zoek", "POST resultaten", "POST statussen")
			if !inOrderOfRounds(rest, wantRest) {
				t.Errorf("confirmation and closing calls\n got %v\nwant %v (in some order)", rest, wantRest)
			}
			t.Logf("ZGW calls: registration %d (%d after the catalogue), confirmations and closing %d", len(registration), len(registration)-len(catalogue), len(rest))

			// The zaaksysteem holds exactly what it should.
			zc := h.env.Client
			zaak, err := zc.Zaken.GetZaak(ctx, closed.ZaakURL)
			if err != nil || zaak.Einddatum == nil {
				t.Fatalf("zaak not closed: %+v %v", zaak, err)
			}
			zios, _ := zc.Zaken.ListZaakInformatieObjecten(ctx, closed.ZaakURL)
			if len(zios) != 3*len(platforms) {
				t.Errorf("%d documents on the zaak, want %d (a letter and two mails per account)", len(zios), 3*len(platforms))
			}
			for _, a := range closed.Accounts {
				if a.ConfirmationURL == "" || a.ConfirmedAt == nil {
					t.Errorf("account not confirmed: %+v", a)
				}
			}
		}
	}
}

func TestIdempotentRegistration(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	d := decision("B&W-2025-0001", objection.Facebook)
	c1, created, err := h.engine.Register(ctx, d, nil)
	if err != nil || !created {
		t.Fatal(err)
	}
	c2, created, err := h.engine.Register(ctx, d, nil)
	if err != nil || created || c2.ID != c1.ID {
		t.Fatalf("repeat: %v created=%v", err, created)
	}
	d.Title = "Iets anders"
	if _, _, err := h.engine.Register(ctx, d, nil); objection.CodeOf(err) != objection.CodeConflict {
		t.Fatalf("same reference, other body: %v", err)
	}
}

func TestRefusedConfirmationsAttachNothing(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	d := decision("B&W-2025-0002", objection.Facebook)
	c, _, _ := h.engine.Register(ctx, d, nil)
	h.waitState(t, c.ID, objection.StateAwaitingConfirmation)
	good := h.mail(t, d.Accounts[0], meta.Sample{})
	forged := append([]byte(nil), good...)
	forged = []byte(strings.Replace(string(forged), "We will honour your objection", "We will honour your objection!", 1))
	lookAlike := h.mail(t, d.Accounts[0], meta.Sample{Domain: "faceb00kmail.com"})
	other := h.mail(t, objection.Account{Platform: objection.Facebook, Name: "Someone", Email: "else@elders.nl"}, meta.Sample{})
	for name, raw := range map[string][]byte{"altered": forged, "look-alike": lookAlike, "other account": other, "garbage": []byte("hello")} {
		conf, _, err := h.engine.Confirm(ctx, c.ID, raw)
		if objection.CodeOf(err) != objection.CodeUnprocessable || conf == nil || conf.State != objection.ConfirmationQuarantined {
			t.Errorf("%s: %v %+v", name, err, conf)
		}
	}
	// The genuine one twice: accepted once, then a duplicate with the same record.
	first, dup, err := h.engine.Confirm(ctx, c.ID, good)
	if err != nil || dup {
		t.Fatal(err)
	}
	again, dup, err := h.engine.Confirm(ctx, c.ID, good)
	if err != nil || !dup || again.ID != first.ID {
		t.Fatalf("duplicate: %v dup=%v", err, dup)
	}
	closed := h.waitState(t, c.ID, objection.StateClosed)
	zios, _ := h.env.Client.Zaken.ListZaakInformatieObjecten(ctx, closed.ZaakURL)
	if len(zios) != 2 {
		t.Errorf("%d documents on the zaak, want the letter and one e-mail", len(zios))
	}
}

func TestConfirmWithoutCaseMatchesByRecipient(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	d := decision("B&W-2025-0003", objection.Instagram)
	c, _, _ := h.engine.Register(ctx, d, nil)
	conf, _, err := h.engine.Confirm(ctx, "", h.mail(t, d.Accounts[0], meta.Sample{Dutch: true}))
	if err != nil || conf.CaseID != c.ID {
		t.Fatalf("matched to %q, want %s: %v", conf.CaseID, c.ID, err)
	}
	h.waitState(t, c.ID, objection.StateClosed)
}

// A decision whose deadline has passed is registered only when that is said on purpose, and the
// history records it; one decided in the future never. Repeating a registered decision answers
// its case, also once its deadline has passed, and also without saying so again.
func TestDecisionDatesAreHeldToTheDayOfRegistration(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	today := time.Now().In(objection.Amsterdam)
	day := func(n int) string { return today.AddDate(0, 0, n).Format(time.DateOnly) }
	d := decision("B&W-2025-0015", objection.Facebook)
	d.DecidedOn, d.Deadline, d.AcceptPastDeadline = day(-30), day(-2), false
	if _, _, err := h.engine.Register(ctx, d, nil); !hasParam(err, "deadline") {
		t.Fatalf("a past deadline not said on purpose: %v", err)
	}
	d.AcceptPastDeadline = true
	c, created, err := h.engine.Register(ctx, d, nil)
	if err != nil || !created {
		t.Fatalf("registered on purpose: %v, created %v", err, created)
	}
	events, err := h.engine.Events(ctx, c.ID)
	if err != nil || len(events) == 0 || !strings.Contains(events[0].Detail, "deadline "+day(-2)+" had passed, registered on purpose") {
		t.Errorf("the history does not record the past deadline: %+v %v", events, err)
	}
	d.AcceptPastDeadline = false
	again, created, err := h.engine.Register(ctx, d, nil)
	if err != nil || created || again.ID != c.ID {
		t.Errorf("the repeat: %v, created %v, case %v (want %s)", err, created, again, c.ID)
	}
	future := decision("B&W-2025-0016", objection.Facebook)
	future.DecidedOn, future.Deadline = day(1), day(14)
	if _, _, err := h.engine.Register(ctx, future, nil); !hasParam(err, "decidedOn") {
		t.Errorf("a decision in the future: %v", err)
	}
}

// hasParam reports whether err is a validation error naming the parameter.
func hasParam(err error, name string) bool {
	var e *objection.Error
	if !errors.As(err, &e) {
		return false
	}
	for _, p := range e.Params {
		if p.Name == name {
			return true
		}
	}
	return false
}

func TestPermanentFailureStopsTheCase(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	d := decision("B&W-2025-0004", objection.Facebook)
	d.DecidedOn = "2023-01-01" // no zaaktype version is valid then
	d.Deadline = ""
	c, _, err := h.engine.Register(ctx, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	failed := h.waitState(t, c.ID, objection.StateFailed)
	if !strings.Contains(failed.FailureReason, "no published zaaktype") {
		t.Errorf("reason %q", failed.FailureReason)
	}
}

// A zaaksysteem that refuses the eindstatus (here: one that, as Open Zaak before 1.24, wants the
// archive date at closing and the besluit has no vervaldatum) fails the case with its own reason.
func TestARefusedEindstatusFailsWithTheZaaksysteemsReason(t *testing.T) {
	ctx := context.Background()
	st, err := store.OpenSQLite(ctx, filepath.Join(t.TempDir(), "connector.db"))
	if err != nil {
		t.Fatal(err)
	}
	h := harnessWith(t, sandboxtest.StartForConnector(t, func(c *sandbox.Config) { c.ArchiveDateRequired = true }), st, 20*time.Millisecond,
		func(c *workflow.Config) { c.Catalogue.ResultaatTypeNotConfirmed = sandbox.ResultaatTypeLapsed })
	d := decision("B&W-2025-0014", objection.Facebook)
	c, _, err := h.engine.Register(ctx, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	h.waitState(t, c.ID, objection.StateAwaitingConfirmation)
	if _, err := h.engine.CloseNotConfirmed(ctx, c.ID, "geen bevestiging"); err != nil {
		t.Fatal(err)
	}
	failed := h.waitState(t, c.ID, objection.StateFailed)
	for _, want := range []string{"archiefactiedatum-error", "vervaldatum"} {
		if !strings.Contains(failed.FailureReason, want) {
			t.Errorf("reason %q lacks %q", failed.FailureReason, want)
		}
	}
}

// TestZaaksysteemThatSetsTheFirstStatus: some zaaksystemen set the initial status themselves;
// the connector must then not set it a second time.
func TestZaaksysteemThatSetsTheFirstStatus(t *testing.T) {
	h := newHarness(t, func(c *sandbox.Config) { c.SetsInitialStatus = true })
	ctx := context.Background()
	d := decision("B&W-2025-0005", objection.Facebook)
	c, _, _ := h.engine.Register(ctx, d, nil)
	h.waitState(t, c.ID, objection.StateAwaitingConfirmation)
	if _, _, err := h.engine.Confirm(ctx, c.ID, h.mail(t, d.Accounts[0], meta.Sample{})); err != nil {
		t.Fatal(err)
	}
	closed := h.waitState(t, c.ID, objection.StateClosed)
	sts, err := h.env.Client.Zaken.ListStatussen(ctx, closed.ZaakURL)
	if err != nil || len(sts) != 2 {
		t.Fatalf("%d statussen (%v), want the zaaksysteem's first and the connector's eindstatus", len(sts), err)
	}
	// newest first, as Open Zaak lists them
	if sts[1].StatusType != h.cat.FirstStatus().URL || sts[0].StatusType != h.cat.EindStatus().URL {
		t.Errorf("statussen %+v", sts)
	}
}

// refuseOnce answers the first request of a method to a collection with a 503, as a zaaksysteem
// that cannot take it just then.
type refuseOnce struct {
	method, collection string
	next               http.RoundTripper
	refused            atomic.Int32
}

func (r *refuseOnce) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method == r.method && collection(req.URL.Path) == r.collection && r.refused.CompareAndSwap(0, 1) {
		return &http.Response{StatusCode: http.StatusServiceUnavailable, Header: http.Header{"Content-Type": {"text/plain"}},
			Body: io.NopCloser(strings.NewReader("busy")), Request: req}, nil
	}
	return r.next.RoundTrip(req)
}

// holdMailUntilZaakRead holds the e-mail's document back at the zaaksysteem until the zaak was
// read (or ten seconds passed), and notes whether it was.
type holdMailUntilZaakRead struct {
	next     http.RoundTripper
	zaakRead chan struct{}
	once     sync.Once
	heldFor  atomic.Int32 // mails held until the zaak was read
	notRead  atomic.Int32 // mails let go without
}

func (h *holdMailUntilZaakRead) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method == http.MethodGet && collection(req.URL.Path) == "zaken" && !strings.HasSuffix(req.URL.Path, "/zaken") {
		h.once.Do(func() { close(h.zaakRead) })
	}
	if req.Method == http.MethodPost && collection(req.URL.Path) == "enkelvoudiginformatieobjecten" && req.Body != nil {
		body, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		if bytes.Contains(body, []byte("message/rfc822")) {
			select {
			case <-h.zaakRead:
				h.heldFor.Add(1)
			case <-time.After(10 * time.Second):
				h.notRead.Add(1)
			}
		}
	}
	return h.next.RoundTrip(req)
}

// confirmedAndClosed registers a one-account decision, has Meta's mail confirm it and waits until
// its case is closed; the calls made before the mail are taken.
func confirmedAndClosed(t *testing.T, h *harness, ref string) *objection.Case {
	t.Helper()
	ctx := context.Background()
	d := decision(ref, objection.Facebook)
	c, _, err := h.engine.Register(ctx, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	h.waitState(t, c.ID, objection.StateAwaitingConfirmation)
	h.calls.take()
	if _, _, err := h.engine.Confirm(ctx, c.ID, h.mail(t, d.Accounts[0], meta.Sample{})); err != nil {
		t.Fatal(err)
	}
	return h.waitState(t, c.ID, objection.StateClosed)
}

// The closing's reads of the zaak and its documents go out while the e-mail that confirms the
// last account is being stored, not after: its document waits at the zaaksysteem until the zaak
// was read, and the case still closes, with the verdict on the documents read then.
func TestClosingReadsAheadWhileTheLastMailIsStored(t *testing.T) {
	h := newHarness(t)
	hold := &holdMailUntilZaakRead{next: h.calls.next, zaakRead: make(chan struct{})}
	h.calls.next = hold
	confirmedAndClosed(t, h, "B&W-2025-0007")
	if hold.heldFor.Load() != 1 || hold.notRead.Load() != 0 {
		t.Errorf("the mail's document went out %d time(s) after the zaak was read, %d without: want the zaak read meanwhile", hold.heldFor.Load(), hold.notRead.Load())
	}
	if calls := h.calls.take(); count(calls, "GET zaken") != 1 || count(calls, "GET enkelvoudiginformatieobjecten")+count(calls, "POST enkelvoudiginformatieobjecten/_zoek") != 1 {
		t.Errorf("calls %v: want the zaak read once and its documents once", calls)
	}
}

// The job that confirms the last account closes the zaak itself; when that attempt fails, the
// close job made with the closing takes over and closes it, once, without looking for an effect
// of the refused request.
func TestClosingHandsOverToTheCloseJob(t *testing.T) {
	h := newHarness(t)
	refuse := &refuseOnce{method: http.MethodPost, collection: "resultaten", next: h.calls.next}
	h.calls.next = refuse
	ctx := context.Background()
	closed := confirmedAndClosed(t, h, "B&W-2025-0006")
	if refuse.refused.Load() != 1 {
		t.Fatal("the resultaat was not refused once")
	}
	rs, err := h.env.Client.Zaken.ListResultaten(ctx, closed.ZaakURL)
	if err != nil || len(rs) != 1 {
		t.Fatalf("%d resultaten (%v), want 1", len(rs), err)
	}
	calls := h.calls.take()
	if slices.Contains(calls, "GET resultaten") || count(calls, "POST resultaten") != 2 || count(calls, "POST statussen") != 1 {
		t.Errorf("calls %v: want the resultaat sent twice (refused, then made), no lookup, one eindstatus", calls)
	}
}

// A registration and an e-mail are worked as soon as they are accepted, by the process that
// accepted them, not when a worker fetches their job (here: not for ten minutes). A run that
// does all of its job's work ends the job in its last write (the closing: the close job made as
// its fallback), so no worker fetches one afterwards only to find nothing left to do, and a
// restarted connector has nothing to do again. (A run
// that does not finish leaves its job: TestRunHereHonoursRetryAfter, TestCrashAtEveryStep.)
func TestAcceptedWorkStartsAtOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "connector.db")
	st, err := store.OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	env := sandboxtest.StartForConnector(t)
	h := harnessWith(t, env, st, 10*time.Minute, nil)
	jobStates := func() map[string]string {
		jobs, err := h.engine.Jobs(ctx, 100)
		if err != nil {
			t.Fatal(err)
		}
		states := map[string]string{}
		for _, j := range jobs {
			states[j.Kind] = j.State
		}
		return states
	}
	d := decision("B&W-2025-0413", objection.Facebook)
	c, _, err := h.engine.Register(ctx, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	h.waitState(t, c.ID, objection.StateAwaitingConfirmation)
	if s := jobStates(); s["register_case"] != "" {
		t.Errorf("jobs %v after the registration: its job is still there", s)
	}
	if _, _, err := h.engine.Confirm(ctx, c.ID, h.mail(t, d.Accounts[0], meta.Sample{})); err != nil {
		t.Fatal(err)
	}
	h.waitState(t, c.ID, objection.StateClosed)
	// Closed by the run that attached the e-mail, which ended the close job made as its fallback
	// (startClosing) in the closing's last write: no job is left.
	if s := jobStates(); len(s) != 0 {
		t.Fatalf("jobs %v after the case closed: want none", s)
	}
	h.calls.take()
	stopCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := h.engine.Stop(stopCtx); err != nil {
		t.Fatal(err)
	}

	st2, err := store.OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	restarted := harnessWith(t, env, st2, 20*time.Millisecond, nil)
	time.Sleep(200 * time.Millisecond) // ten polls
	if calls := restarted.calls.take(); len(calls) != 0 {
		t.Errorf("a restarted connector called the zaaksysteem for work done: %v", calls)
	}
	if got, err := restarted.engine.Case(ctx, c.ID); err != nil || got.State() != objection.StateClosed {
		t.Errorf("case after the restart: %v %v", got, err)
	}
}

// tooManyOnce answers the first request for a collection with 429 and a Retry-After, as a
// zaaksysteem under load does, and passes every other on.
type tooManyOnce struct {
	next       http.RoundTripper
	method     string
	collection string
	retryAfter time.Duration
	mu         sync.Mutex
	refusedAt  time.Time
	sentAt     time.Time
}

func (r *tooManyOnce) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	match := req.Method == r.method && collection(req.URL.Path) == r.collection
	refuse := match && r.refusedAt.IsZero()
	switch {
	case refuse:
		r.refusedAt = time.Now()
	case match && r.sentAt.IsZero():
		r.sentAt = time.Now()
	}
	r.mu.Unlock()
	if refuse {
		h := http.Header{"Content-Type": {"application/problem+json"}, "Retry-After": {fmt.Sprint(int(r.retryAfter.Seconds()))}}
		return &http.Response{StatusCode: http.StatusTooManyRequests, Header: h, Request: req,
			Body: io.NopCloser(strings.NewReader(`{"title":"Te veel verzoeken","status":429}`))}, nil
	}
	return r.next.RoundTrip(req)
}

// A registration worked at once that the zaaksysteem turns away (429, Retry-After: 2) is not
// tried again by its job before the Retry-After, though a worker fetches that job within 20ms.
func TestRunHereHonoursRetryAfter(t *testing.T) {
	h := newHarness(t)
	refuse := &tooManyOnce{next: h.calls.next, method: http.MethodPost, collection: "zaken", retryAfter: 2 * time.Second}
	h.calls.next = refuse
	c, _, err := h.engine.Register(context.Background(), decision("B&W-2025-0414", objection.Facebook), nil)
	if err != nil {
		t.Fatal(err)
	}
	h.waitState(t, c.ID, objection.StateAwaitingConfirmation)
	refuse.mu.Lock()
	defer refuse.mu.Unlock()
	if waited := refuse.sentAt.Sub(refuse.refusedAt); refuse.refusedAt.IsZero() || waited < refuse.retryAfter {
		t.Errorf("the zaak was sent again %v after the 429, want at least its Retry-After %v", waited, refuse.retryAfter)
	} else {
		t.Logf("sent again %v after the 429", waited.Round(time.Millisecond))
	}
}
