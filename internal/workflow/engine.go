// Package workflow carries cases through the zaaksysteem as durable River jobs: registering a
// decision, attaching each confirmation, closing the zaak. Every ZGW effect is one recorded step
// (see steps.go), so that a retry — after a crash, a timeout or a 5xx — does only what is
// missing, and looks up an effect whose answer was lost before it would create it again.
package workflow

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/gemeenten/meta-bezwaar-connector/internal/documents"
	"github.com/gemeenten/meta-bezwaar-connector/internal/meta"
	"github.com/gemeenten/meta-bezwaar-connector/internal/notify"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/store"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// Config configures the engine.
type Config struct {
	RSIN      string
	Catalogue zgw.CatalogueSpec
	// LetterType and ConfirmationType are the informatieobjecttype omschrijvingen (also in
	// Catalogue.InformatieObjectTypen).
	LetterType, ConfirmationType string
	Forms                        meta.FormLinks
	// Workers is the number of jobs worked at once (default 4).
	Workers int
	// RetryBase is the first retry delay; it doubles per attempt up to RetryCap (defaults 2s, 10m).
	RetryBase, RetryCap time.Duration
	// RequestTimeout is the ZGW client's timeout. A retry after an uncertain failure (a timeout,
	// a connection lost after sending: zgw.Uncertain) waits at least twice as long, so that a
	// request still on its way reaches the zaaksysteem before the retry looks for its effect
	// (else the lookup misses it and the retry makes a second one). A failure that proves nothing
	// was done (a 503, a refused connection) is retried on the usual backoff.
	RequestTimeout time.Duration
	// PollInterval is how often idle workers look for jobs (default 50ms: the longest a job
	// waits after the one before it ended; SQLite and River's database/sql driver have no
	// LISTEN/NOTIFY to wake a worker at once, and a poll that finds nothing writes nothing).
	PollInterval time.Duration
	// InlineLimit is the largest document sent inline (base64 in JSON); larger ones go through
	// bestandsdelen (default 1 MiB: some gateways cap bodies near 2 MB).
	InlineLimit int
	// MaxAttempts bounds the retries of one job (default 25).
	MaxAttempts int
	Now         func() time.Time
	// Fault, when set, is called at every fault-injection point: "sent:<step>" after a ZGW
	// effect succeeded but before it is recorded, "done:<step>" after it is recorded (steps:
	// zaak, status-first, besluit, letter, letter-zio, confirmation, confirmation-zio, resultaat,
	// status-eind), "accepted:decision" and "accepted:mail" after an acceptance committed, before
	// it is answered. Crash tests kill the process there.
	Fault func(point string)
	// RescueAfter is how long a job may run (default one hour: a large document must be through
	// by then) before River hands it to another replica — one that died. The case lock keeps two
	// replicas from working on one case at once.
	RescueAfter time.Duration
	// Accounts are the municipality's accounts, for decisions that arrive as a besluit
	// notification.
	Accounts []objection.Account
	// RemindBefore is how long before the deadline a reminder goes out for accounts not filed
	// (0: none). ConfirmationWait is how long after the last filing a case without every
	// account confirmed is closed as not confirmed (0: never by itself). SweepInterval is how
	// often the clock's work is looked for (default one minute).
	RemindBefore, ConfirmationWait, SweepInterval time.Duration
	// Notifier tells people by e-mail (nil: nobody is told).
	Notifier *notify.Notifier
	// EvidenceType is the informatieobjecttype omschrijving of evidence (a receipt of a filing,
	// or what confirms an account besides Meta's mail); MaxEvidence bounds its size (bytes).
	EvidenceType string
	MaxEvidence  int64
	// DecisionType is the informatieobjecttype omschrijving of a decision's own document;
	// MaxDocument bounds its size (bytes).
	DecisionType string
	// Confidentiality is the vertrouwelijkheidaanduiding to give the documents of an
	// informatieobjecttype (by its omschrijving); absent or "": none is sent, and the Documenten
	// API gives the one the beheerder set on the type.
	Confidentiality map[string]string
	MaxDocument     int64
	// Subscription is the abonnement to make at the Notificaties API (nil: none).
	Subscription *Subscription
	// Woo publishes each decision on the municipality's Woo platform (nil: not configured).
	Woo *Publishing
	// RejectUnverified refuses mail that is not authentic without keeping it (META_UNVERIFIED_POLICY
	// reject); by default it is kept in quarantine for review.
	RejectUnverified bool
}

// Engine registers decisions and confirmations and works their jobs.
type Engine struct {
	cfg     Config
	store   *store.Store
	zgw     *zgw.Client
	letters *documents.Letters
	checker *meta.Checker
	log     *slog.Logger
	river   *river.Client[*sql.Tx]
	metrics *Metrics
	// held are step results a job has not recorded yet (steps.go).
	held heldSteps
	// now works jobs just committed at once (runnow.go).
	now *runNow
	// closeFallbacks are the close jobs this process made for later when a job went on to close
	// the zaak itself (startClosing): case ID → job ID, until closeHere takes it.
	closeFallbacks sync.Map
}

// New builds an engine on a store (whose database also holds River's tables).
func New(cfg Config, st *store.Store, client *zgw.Client, letters *documents.Letters, checker *meta.Checker, log *slog.Logger, metrics *Metrics) (*Engine, error) {
	if cfg.Workers <= 0 {
		cfg.Workers = 4
	}
	if cfg.RetryBase <= 0 {
		cfg.RetryBase = 2 * time.Second
	}
	if cfg.RetryCap <= 0 {
		cfg.RetryCap = 10 * time.Minute
	}
	cfg.RetryCap = max(cfg.RetryCap, cfg.RetryBase, 2*cfg.RequestTimeout)
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = 50 * time.Millisecond
	}
	if cfg.InlineLimit <= 0 {
		cfg.InlineLimit = 1 << 20
	}
	if cfg.RescueAfter <= 0 {
		cfg.RescueAfter = time.Hour
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 25
	}
	if cfg.SweepInterval <= 0 {
		cfg.SweepInterval = time.Minute
	}
	if cfg.MaxDocument <= 0 {
		cfg.MaxDocument = 100 << 20
	}
	if cfg.MaxEvidence <= 0 {
		cfg.MaxEvidence = 25 << 20
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if metrics == nil {
		metrics = NewMetrics(nil)
	}
	e := &Engine{cfg: cfg, store: st, zgw: client, letters: letters, checker: checker, log: log, metrics: metrics, now: newRunNow(cfg.Workers)}
	workers := river.NewWorkers()
	river.AddWorker(workers, &registerWorker{e: e})
	river.AddWorker(workers, &attachWorker{e: e})
	river.AddWorker(workers, &closeWorker{e: e})
	river.AddWorker(workers, &besluitWorker{e: e})
	river.AddWorker(workers, &zaakChangedWorker{e: e})
	river.AddWorker(workers, &subscribeWorker{e: e})
	river.AddWorker(workers, &evidenceWorker{e: e})
	river.AddWorker(workers, &filedWorker{e: e})
	river.AddWorker(workers, &publishWorker{e: e})
	river.AddWorker(workers, &lookWorker{e: e})
	if cfg.Notifier != nil {
		river.AddWorker(workers, &notifyWorker{e: e})
	}
	rc, err := river.NewClient(st.RiverDriver(), &river.Config{
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Workers}},
		Workers:           workers,
		FetchPollInterval: cfg.PollInterval,
		FetchCooldown:     min(cfg.PollInterval, 5*time.Millisecond), // how soon after a fetch a woken worker may fetch again
		MaxAttempts:       cfg.MaxAttempts,
		RetryPolicy:       &backoff{base: cfg.RetryBase, cap: cfg.RetryCap, uncertain: 2 * cfg.RequestTimeout},
		Middleware:        []rivertype.Middleware{river.WorkerMiddlewareFunc(markUncertain), river.WorkerMiddlewareFunc(markAttempt)},
		// A job may run for RescueAfter; then its context ends, and River may hand it to another
		// replica once what it sent has surely arrived (twice the request timeout).
		JobTimeout:           cfg.RescueAfter,
		RescueStuckJobsAfter: cfg.RescueAfter + 2*cfg.RequestTimeout,
		Logger:               log.With("component", "river"),
		ErrorHandler:         &errorHandler{log: log},
	})
	if err != nil {
		return nil, err
	}
	e.river = rc
	return e, nil
}

// Start begins working jobs. With SQLite only this process uses the database, so jobs left
// running by a process that died are made available again at once instead of after River's
// rescue delay, and so are the jobs of work it was doing itself (runNow), due later.
func (e *Engine) Start(ctx context.Context) error {
	// Not at once: a request the dead process sent may still be on its way to the zaaksysteem,
	// and must land before the resumed step looks for its effect.
	if err := e.store.ResumeInterrupted(ctx, e.inFlight(), tagHere); err != nil {
		return fmt.Errorf("workflow: resuming interrupted jobs: %w", err)
	}
	if err := e.river.Start(ctx); err != nil {
		return err
	}
	e.now.start(ctx)
	if e.cfg.Subscription != nil {
		// Made (or renewed) in the background: a notification service that is down delays it,
		// with the usual retries, and never stops the service.
		if _, err := e.river.Insert(ctx, SubscribeArgs{}, whileNotDone); err != nil {
			return fmt.Errorf("workflow: the notification subscription: %w", err)
		}
	}
	go e.sweepEvery(ctx, e.cfg.SweepInterval)
	if e.store.Dialect().Shared() {
		go e.rescueOrphansEvery(ctx)
	}
	return nil
}

// withCaseLock runs a job's work holding the case's lock; when another replica holds it the job
// waits (snooze) rather than work on the case at the same time.
func (e *Engine) withCaseLock(ctx context.Context, caseID string, work func() error) error {
	unlock, ok, err := e.store.LockCase(ctx, caseID)
	if err != nil {
		return err
	}
	if !ok {
		return river.JobSnooze(time.Second)
	}
	defer unlock()
	err = work()
	// What the attempt made is recorded before it ends (and before the lock is let go), also
	// when a later step failed.
	if ferr := e.flushSteps(context.WithoutCancel(ctx), caseID); ferr != nil {
		err = ferr
	}
	return err
}

// unrecordedError is a failure to record what an attempt made: the next attempt looks its
// effects up (uncertain).
type unrecordedError struct{ err error }

func (u *unrecordedError) Error() string { return "recording what was done: " + u.err.Error() }
func (u *unrecordedError) Unwrap() error { return u.err }

// insertDueLater inserts, in tx, a unique job marked as the record of work this process goes on
// to do itself (a run here: tagHere), due when that run has surely ended and its requests have
// arrived. It returns the new job's ID, or 0 when an earlier job of the same work was found
// instead.
func (e *Engine) insertDueLater(ctx context.Context, tx *sql.Tx, args river.JobArgs) (int64, error) {
	res, err := e.river.InsertTx(ctx, tx, args, &river.InsertOpts{UniqueOpts: unique.UniqueOpts, Tags: []string{tagHere},
		ScheduledAt: time.Now().Add(e.cfg.RescueAfter + e.inFlight())})
	if err != nil || res.UniqueSkippedAsDuplicate {
		return 0, err
	}
	return res.Job.ID, nil
}

// Stop lets running jobs finish (until ctx ends) and stops.
func (e *Engine) Stop(ctx context.Context) error {
	e.now.stopAll(ctx)
	return e.river.Stop(ctx)
}

// enqueue inserts a job in a transaction and, once that commits, has it worked at once: a
// registration or an e-mail to attach by this process (startNow), another job by a woken worker.
func (e *Engine) enqueue(ctx context.Context, tx *sql.Tx, args river.JobArgs, opts *river.InsertOpts) error {
	// Work to do here at once takes its slot before the commit. Without a free one the job is
	// inserted due now for River's workers, below.
	work := e.workHere(args)
	runHere := work != nil && opts == unique
	if runHere && e.now.reserve() {
		// The job is the durable record of the work done here (runNow). The run ends it when
		// it does all of the work, else leaves it to River (leaveToRiver).
		jobID, err := e.insertDueLater(ctx, tx, args)
		if err != nil {
			e.now.release()
			return err
		}
		// In the background: whoever committed (an API request, a job) does not wait for it.
		e.store.AfterEnd(tx, func(committed bool) {
			if !committed || jobID == 0 { // (0: an earlier job of the same work runs at its time)
				e.now.release()
				return
			}
			go e.startNow(context.WithoutCancel(ctx), work, jobID)
		})
		return nil
	}
	if _, err := e.river.InsertTx(ctx, tx, args, opts); err != nil {
		return err
	}
	// Only jobs unique whatever their state: waking re-inserts the job, which for the others
	// (whileNotDone) would add a second one once the first has run. Nor a job to run here that
	// found every slot busy: a worker's next poll is soon enough, and the wake — a write of its
	// own — would wait for SQLite's one writer behind the acceptances.
	if opts == unique && !runHere && !e.river.Driver().SupportsListener() {
		e.store.AfterCommit(tx, func() { go e.wake(context.WithoutCancel(ctx), args) })
	}
	return nil
}

// wake has a worker take a job just committed now instead of at its next poll. Without
// LISTEN/NOTIFY (SQLite, River's database/sql driver) River wakes its workers only on an insert
// made outside a transaction; inserting the same unique job again finds the committed one and
// inserts nothing — also when it already ran, as completed jobs count for uniqueness.
func (e *Engine) wake(ctx context.Context, args river.JobArgs) {
	if _, err := e.river.Insert(ctx, args, unique); err != nil {
		e.log.Debug("waking a worker", "kind", args.Kind(), "error", err)
	}
}

// unique: one job per case or confirmation and kind, whatever its state.
var unique = &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}

// backoff doubles the delay per attempt up to a cap, plus up to 50% jitter. After an uncertain
// failure (the attempt's error says so, see outcomeUnknown) the delay is at least uncertain:
// twice the request timeout. The jitter only adds.
type backoff struct{ base, cap, uncertain time.Duration }

func (b *backoff) NextRetry(job *rivertype.JobRow) time.Time {
	return time.Now().Add(b.delay(job))
}

func (b *backoff) delay(job *rivertype.JobRow) time.Duration {
	d := b.base << min(max(job.Attempt-1, 0), 20)
	if d > b.cap || d <= 0 {
		d = b.cap
	}
	if n := len(job.Errors); n > 0 && strings.Contains(job.Errors[n-1].Error, outcomeUnknownMark) {
		d = max(d, b.uncertain)
	}
	return d + time.Duration(rand.Int64N(int64(d)/2+1))
}

// outcomeUnknownMark ends the message of an uncertain failure. River keeps a failed attempt's
// error only as text, and the retry policy reads it from there.
const outcomeUnknownMark = "(the zaaksysteem may have done it: looked up before the next try)"

// markUncertain marks the failure of any job as uncertain when the zaaksysteem may still commit
// what it was asked (zgw.Uncertain; uncertain for the publicatiebank too), so that the retry
// policy waits for that.
func markUncertain(ctx context.Context, _ *rivertype.JobRow, work func(context.Context) error) error {
	err := work(ctx)
	if !outcomeUnknownOf(err) {
		return err
	}
	return &outcomeUnknown{err}
}

// outcomeUnknownOf reports whether an attempt that ended with err may have left a request whose
// outcome is unknown: a failure (not a wait asked for, not the case's end) uncertain calls so.
func outcomeUnknownOf(err error) bool {
	var snooze *river.JobSnoozeError
	var cancel *rivertype.JobCancelError
	return err != nil && !errors.As(err, &snooze) && !errors.As(err, &cancel) && uncertain(err)
}

// outcomeUnknown is a failure after which the zaaksysteem may still commit the request.
type outcomeUnknown struct{ err error }

func (o *outcomeUnknown) Error() string { return o.err.Error() + " " + outcomeUnknownMark }
func (o *outcomeUnknown) Unwrap() error { return o.err }

type errorHandler struct{ log *slog.Logger }

func (h *errorHandler) HandleError(ctx context.Context, job *rivertype.JobRow, err error) *river.ErrorHandlerResult {
	h.log.Warn("job failed, will retry", "kind", job.Kind, "attempt", job.Attempt, "error", err)
	return nil
}

func (h *errorHandler) HandlePanic(ctx context.Context, job *rivertype.JobRow, panicVal any, trace string) *river.ErrorHandlerResult {
	h.log.Error("job panicked", "kind", job.Kind, "panic", fmt.Sprint(panicVal))
	return nil
}

// permanent reports whether retrying cannot help: the zaaksysteem refused the request as
// invalid, the catalogue does not fit, or a URL points outside the configured roots.
func permanent(err error) bool {
	var p *zgw.Problem
	var foreign *zgw.ForeignURLError
	var notClosable *NotClosableError
	return errors.As(err, &p) && p.Permanent() || errors.Is(err, zgw.ErrCatalogue) || errors.As(err, &foreign) || errors.As(err, &notClosable)
}

// fail handles a failed attempt of a case's job: a permanent error — or the last attempt —
// fails the case with the reason and cancels the job; any other is recorded on the case and
// retried, not before the zaaksysteem's Retry-After when it sent one.
func (e *Engine) fail(ctx context.Context, caseID string, err error, attempt int) error {
	if inFlight := (*InFlightError)(nil); errors.As(err, &inFlight) {
		return river.JobSnooze(inFlight.Wait)
	}
	perm := permanent(err)
	if !perm && attempt >= e.cfg.MaxAttempts {
		perm, err = true, fmt.Errorf("gave up after %d attempts: %w", attempt, err)
	}
	if perm {
		// A zaak someone closed in the zaaksysteem is no failure of this case: it ends there.
		if c, gerr := e.store.GetCase(ctx, caseID); gerr == nil {
			if ended, cerr := e.endIfClosedElsewhere(ctx, c); cerr == nil && ended {
				return river.JobCancel(fmt.Errorf("the zaak was closed elsewhere: %w", err))
			}
		}
	}
	_, uerr := e.updateCase(ctx, caseID, func(tx *sql.Tx, c *objection.Case) error {
		c.Attempts++
		c.LastError = err.Error()
		if !perm || !c.State().Open() { // a case that ended meanwhile keeps its end
			return nil
		}
		c.FailureReason = err.Error()
		return e.transition(objection.WithPrincipal(ctx, objection.System), tx, c, objection.Fail, c.FailureReason)
	})
	if uerr != nil {
		e.log.Error("recording a failed attempt", "case", caseID, "error", uerr)
	}
	if perm {
		e.metrics.casesFailed.Inc()
		e.log.Error("case failed permanently", "case", caseID, "error", err)
		return river.JobCancel(err)
	}
	var p *zgw.Problem
	if errors.As(err, &p) && p.RetryAfter > 0 {
		return river.JobSnooze(min(p.RetryAfter, e.cfg.RetryCap))
	}
	return err
}
