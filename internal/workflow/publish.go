package workflow

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/riverqueue/river"

	"github.com/gemeenten/meta-bezwaar-connector/internal/dutch"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/woo"
)

// The decision is public: once its besluit and document are in the zaaksysteem, it is
// registered at the municipality's publicatiebank (GPP-publicatiebank) — a publicatie with the
// decision's document — as a concept for the communication advisor to publish, or published at
// once. Each effect is a recorded step, looked up (by the decision's reference as kenmerk) before
// it is made again. The publication runs as a job of its own: a publicatiebank that is down
// delays it, a refusal is recorded on the case in words, and neither touches the case's own
// course (letters, filing, confirmation, closing).

// Publishing configures the publication on the Woo platform.
type Publishing struct {
	Client *woo.Client
	// Publisher and Category name the publishing organisation and the informatiecategorie, by
	// name or uuid.
	Publisher, Category string
	// Directly publishes at once instead of leaving a concept for the communication advisor.
	Directly bool
	// Fetch lets the publicatiebank fetch the document from the Documenten API (aanlevering
	// "ophalen"); otherwise its content is uploaded in parts.
	Fetch bool
	// Municipality names the college in the publication's description.
	Municipality string
	// LookEvery is how often a concept or published publication is looked at again (default 15
	// minutes): published, withdrawn?
	LookEvery time.Duration
}

// PublishArgs is the job that registers the decision at the publicatiebank.
type PublishArgs struct {
	CaseID string `json:"case_id"`
	// By and ByName are who registered the decision (or asked again): the publicatiebank's audit
	// log names them.
	By     string `json:"by,omitempty"`
	ByName string `json:"by_name,omitempty"`
	// Again counts the times someone asked again after a refusal: each is a job of its own.
	Again int `json:"again,omitempty"`
}

// Kind implements river.JobArgs.
func (PublishArgs) Kind() string { return "publish_decision" }

// publishAttempts bounds the attempts of a publication: with the usual backoff (capped at
// CONNECTOR_RETRY_CAP, 10 minutes by default) about a week of a publicatiebank that is down,
// after which the publication is recorded as not done and a registrar can ask again.
const publishAttempts = 1000

// InsertOpts implements river.JobArgsWithInsertOpts: a publication outlasts a publicatiebank's
// long outage rather than giving up with the case's usual attempts.
func (PublishArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: publishAttempts}
}

type publishWorker struct {
	river.WorkerDefaults[PublishArgs]
	e *Engine
}

func (w *publishWorker) Work(ctx context.Context, job *river.Job[PublishArgs]) error {
	e := w.e
	if e.cfg.Woo == nil {
		return nil // publication was configured when the job was made, and is no longer
	}
	if job.Args.Again > 0 {
		// Asked again after a refusal, which may have followed requests whose outcome was never
		// known (the last attempt's): what is not recorded is looked up.
		ctx = withAttempt(ctx, &attempt{})
	}
	return e.withCaseLock(ctx, job.Args.CaseID, func() error {
		err := e.publish(ctx, job.Args)
		return e.publicationFailed(ctx, job.Args.CaseID, err, job.Attempt >= job.MaxAttempts)
	})
}

// publicationTo begins the publication of a case just registered, in its transaction, when
// publication is configured.
func (e *Engine) publicationTo(ctx context.Context, tx *sql.Tx, c *objection.Case, by objection.Principal) error {
	if e.cfg.Woo == nil || c.Publication != nil {
		return nil
	}
	c.Publication = &objection.Publication{State: objection.PublicationPending}
	return e.enqueue(ctx, tx, publishArgs(c.ID, by, 0), unique)
}

// publishArgs is the publication job of a case, made for by (its again-th asking after refusals).
func publishArgs(caseID string, by objection.Principal, again int) PublishArgs {
	return PublishArgs{CaseID: caseID, By: by.ID, ByName: by.Name, Again: again}
}

// PublishAgain asks again for the publication of a decision the publicatiebank refused (once
// its settings or the decision's document are put right). What was done before stays done.
func (e *Engine) PublishAgain(ctx context.Context, caseID string) (*objection.Case, error) {
	if e.cfg.Woo == nil {
		return nil, objection.Errorf(objection.CodeConflict, "publication on the Woo platform is not configured (WOO_PUBLICATIEBANK_URL)")
	}
	c, err := e.updateCase(ctx, caseID, func(tx *sql.Tx, c *objection.Case) error {
		p := c.Publication
		if p == nil || p.State != objection.PublicationRefused {
			return objection.Errorf(objection.CodeConflict, "case %s: only a refused publication can be asked again", c.ID)
		}
		p.State, p.Problem, p.Again = objection.PublicationPending, "", p.Again+1
		if err := e.record(ctx, tx, c.ID, "", objection.EventPublicationAgain, "asked to publish again"); err != nil {
			return err
		}
		return e.enqueue(ctx, tx, publishArgs(c.ID, objection.PrincipalOf(ctx), p.Again), unique)
	})
	if err != nil {
		return nil, e.notFound(err, caseID)
	}
	return c, nil
}

// wooAs is the publicatiebank's client acting for by (the connector itself when nobody).
func (e *Engine) wooAs(by objection.Principal) *woo.Client {
	if by.IsSystem() {
		return e.cfg.Woo.Client
	}
	return e.cfg.Woo.Client.As(woo.User{ID: by.ID, Representation: cmp.Or(by.Name, by.ID)})
}

func (e *Engine) publish(ctx context.Context, args PublishArgs) error {
	c, err := e.store.GetCase(ctx, args.CaseID)
	if err != nil {
		return err
	}
	if c.Publication == nil || c.Publication.State != objection.PublicationPending {
		// Registered before; an attempt that stopped after that may have left the besluit's
		// publicatiedatum to do.
		return e.recordPublicatiedatum(ctx, c)
	}
	if c.DecisionDocumentURL == "" {
		return &notPublishable{"het besluit heeft geen document in het zaaksysteem, dus er is niets te publiceren"}
	}
	pb, d := e.wooAs(byOf(args.By, args.ByName)), c.Decision
	publisher, err := pb.Organisatie(ctx, e.cfg.Woo.Publisher)
	if err != nil {
		return err
	}
	category, err := pb.Categorie(ctx, e.cfg.Woo.Category)
	if err != nil {
		return err
	}
	kenmerk := woo.Kenmerk{Kenmerk: d.Reference, Bron: kenmerkBron}
	// pub is the publicatie as last answered by a step; read at the end only when no step did
	// (all recorded by an earlier attempt).
	var pub *woo.Publicatie
	pubID, err := e.step(ctx, c.ID, "woo-publicatie",
		func(ctx context.Context) (string, bool, error) {
			p, err := pb.FindPublicatie(ctx, kenmerk)
			if p == nil || err != nil {
				return "", false, err
			}
			pub = p
			return p.UUID, true, nil
		},
		func(ctx context.Context) (string, error) {
			p, err := pb.CreatePublicatie(ctx, woo.NewPublicatie{Publicatiestatus: woo.StatusConcept,
				OfficieleTitel: truncate("Collegebesluit "+d.Reference+": "+d.Title, 255),
				Omschrijving:   fmt.Sprintf("Besluit van het college van %s van %s: %s", e.cfg.Woo.Municipality, dutch.Day(d.DecidedOn), d.Title),
				Publisher:      publisher, Verantwoordelijke: publisher, InformatieCategorieen: []string{category},
				Kenmerken: []woo.Kenmerk{kenmerk}})
			if err != nil {
				return "", err
			}
			pub = p
			return p.UUID, nil
		})
	if err != nil {
		return err
	}
	docID, err := e.step(ctx, c.ID, "woo-document",
		func(ctx context.Context) (string, bool, error) {
			return e.findPublishedDocument(ctx, pb, pubID, kenmerk)
		},
		func(ctx context.Context) (string, error) { return e.publishDocument(ctx, pb, c, pubID, kenmerk) })
	if err != nil {
		return err
	}
	if e.cfg.Woo.Directly {
		if _, err := e.step(ctx, c.ID, "woo-publish",
			func(ctx context.Context) (string, bool, error) {
				p, err := pb.GetPublicatie(ctx, pubID)
				if err != nil || p.Publicatiestatus == woo.StatusConcept {
					return "", false, err
				}
				pub = p
				return p.Publicatiestatus, true, nil
			},
			func(ctx context.Context) (string, error) {
				p, err := pb.GetPublicatie(ctx, pubID)
				if err != nil {
					return "", err
				}
				if p, err = pb.Publish(ctx, p); err != nil {
					return "", err
				}
				pub = p
				return p.Publicatiestatus, nil
			}); err != nil {
			return err
		}
	}
	if pub == nil {
		if pub, err = pb.GetPublicatie(ctx, pubID); err != nil {
			return err
		}
	}
	c, err = e.updateCase(ctx, c.ID, func(tx *sql.Tx, c *objection.Case) error {
		p := c.Publication
		p.UUID, p.DocumentUUID, p.Problem = pubID, docID, ""
		p.URL = pub.URLPublicatieIntern
		p.State = objection.PublicationConcept
		detail := "registered as a concept at the publicatiebank"
		if pub.URLPublicatieIntern != "" {
			detail += ": " + pub.URLPublicatieIntern
		}
		if err := e.record(objection.WithPrincipal(ctx, objection.System), tx, c.ID, "publication:registered", objection.EventPublicationRegistered, detail); err != nil {
			return err
		}
		return e.followPublication(ctx, tx, c, pub)
	})
	if err != nil {
		return err
	}
	return e.recordPublicatiedatum(ctx, c)
}

// findPublishedDocument looks for the decision's document in a publicatie. One whose upload never
// completed (an attempt that stopped halfway) is removed, so that it is made again whole; one the
// publicatiebank fetches itself counts as soon as it is there.
func (e *Engine) findPublishedDocument(ctx context.Context, pb *woo.Client, pubID string, k woo.Kenmerk) (string, bool, error) {
	docs, err := pb.Documenten(ctx, pubID)
	if err != nil {
		return "", false, err
	}
	i := slices.IndexFunc(docs, func(d woo.Document) bool { return slices.Contains(d.Kenmerken, k) })
	switch {
	case i < 0:
		return "", false, nil
	case docs[i].UploadVoltooid || e.cfg.Woo.Fetch:
		return docs[i].UUID, true, nil
	}
	return "", false, pb.DeleteDocument(ctx, docs[i].UUID)
}

// publishDocument adds the decision's document to the publicatie: fetched by the publicatiebank
// from the Documenten API, or uploaded in the parts it asks for.
func (e *Engine) publishDocument(ctx context.Context, pb *woo.Client, c *objection.Case, pubID string, k woo.Kenmerk) (string, error) {
	eio, err := e.zgw.Documenten.Get(ctx, c.DecisionDocumentURL)
	if err != nil {
		return "", err
	}
	nd := woo.NewDocument{Publicatie: pubID, OfficieleTitel: truncate(eio.Titel, 255), Kenmerken: []woo.Kenmerk{k},
		Creatiedatum: eio.CreatieDatum, Bestandsformaat: eio.Formaat, Bestandsnaam: eio.Bestandsnaam}
	if e.cfg.Woo.Fetch {
		nd.AanleveringBestand, nd.DocumentURL = "ophalen", c.DecisionDocumentURL
		if eio.Bestandsomvang != nil {
			nd.Bestandsomvang = *eio.Bestandsomvang
		}
		doc, err := pb.CreateDocument(ctx, nd)
		if err != nil {
			return "", err
		}
		return doc.UUID, nil
	}
	content, err := e.decisionContent(ctx, c.DecisionDocumentURL)
	if err != nil {
		return "", err
	}
	nd.AanleveringBestand, nd.Bestandsomvang = "ontvangen", int64(len(content))
	doc, err := pb.CreateDocument(ctx, nd)
	if err != nil {
		return "", err
	}
	if err := pb.Upload(ctx, doc, content); err != nil {
		return "", &incompleteDocument{err}
	}
	return doc.UUID, nil
}

// incompleteDocument is a document registered at the publicatiebank whose upload failed: the
// step made something, whatever the last answer says, so its retry looks it up (and removes it).
type incompleteDocument struct{ err error }

func (i *incompleteDocument) Error() string {
	return "the document was registered, but its upload did not complete: " + i.err.Error()
}
func (i *incompleteDocument) Unwrap() error { return i.err }

// decisionContent reads the decision's document from the Documenten API (at most MaxDocument
// bytes): what is published is what the zaaksysteem holds.
func (e *Engine) decisionContent(ctx context.Context, url string) ([]byte, error) {
	rc, err := e.zgw.Documenten.Download(ctx, url)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	var b bytes.Buffer
	if _, err := io.Copy(&b, io.LimitReader(rc, e.cfg.MaxDocument+1)); err != nil {
		return nil, err
	}
	if int64(b.Len()) > e.cfg.MaxDocument {
		return nil, &notPublishable{fmt.Sprintf("het besluitdocument is groter dan %d bytes", e.cfg.MaxDocument)}
	}
	return b.Bytes(), nil
}

// notPublishable says why a decision cannot be published, in Dutch.
type notPublishable struct{ reason string }

func (n *notPublishable) Error() string { return n.reason }

// publicationFailed handles a failed attempt of a publication job: a refusal — or the last
// attempt — is recorded on the case's publication in words and ends the job; anything else is
// noted and retried. The case itself goes on either way.
func (e *Engine) publicationFailed(ctx context.Context, caseID string, err error, lastAttempt bool) error {
	if err == nil {
		return nil
	}
	if inFlight := (*InFlightError)(nil); errors.As(err, &inFlight) {
		return river.JobSnooze(inFlight.Wait)
	}
	var np *notPublishable
	final := woo.Permanent(err) || permanent(err) || errors.As(err, &np) || lastAttempt
	problem := publicationProblem(err)
	if _, uerr := e.updateCase(ctx, caseID, func(tx *sql.Tx, c *objection.Case) error {
		if c.Publication == nil {
			return nil
		}
		c.Publication.Problem = problem
		if !final {
			return nil
		}
		c.Publication.State = objection.PublicationRefused
		return e.record(objection.WithPrincipal(ctx, objection.System), tx, caseID, "", objection.EventPublicationRefused, problem)
	}); uerr != nil {
		e.log.Error("recording a failed publication", "case", caseID, "error", uerr)
	}
	if final {
		e.log.Warn("the decision was not published", "case", caseID, "error", err)
		return nil
	}
	return err
}

// publicationProblem says what went wrong with a publication, in Dutch; the publicatiebank's
// own reasons (Dutch too) are quoted.
func publicationProblem(err error) string {
	var p *woo.Problem
	var nf *woo.NotFoundError
	var np *notPublishable
	switch {
	case errors.As(err, &np):
		return "Niet gepubliceerd: " + np.reason + "."
	case errors.As(err, &nf):
		return fmt.Sprintf("Niet gepubliceerd: het publicatieplatform kent geen %s “%s”. Controleer de instellingen WOO_PUBLISHER en WOO_INFORMATIECATEGORIE.", nf.What, nf.Name)
	case errors.As(err, &p) && p.Permanent():
		return fmt.Sprintf("Het publicatieplatform weigerde de publicatie (%d): %s", p.Status, p.Reasons())
	case errors.As(err, &p):
		return fmt.Sprintf("Het publicatieplatform antwoordde met een fout (%d); de connector probeert het later opnieuw.", p.Status)
	case permanent(err):
		return "Het zaaksysteem weigerde een stap van de publicatie: " + err.Error()
	}
	return "Het publicatieplatform of het zaaksysteem was niet bereikbaar; de connector probeert het later opnieuw."
}
