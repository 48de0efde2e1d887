package workflow

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// Subscription is the connector's abonnement at the Notificaties API: where the notifications
// go and the Authorization they carry.
type Subscription struct {
	CallbackURL string
	Auth        string
}

// Settings keys of the abonnement: its URL, and the configuration it was made for.
const (
	settingAbonnement  = "notificaties.abonnement"
	settingSubscribed  = "notificaties.subscribed"
	subscriptionFormat = "1" // the shape of the abonnement; a change makes every connector renew it
)

// SubscribeArgs is the job that makes the connector's abonnement what the configuration says.
// It runs at every start; one at a time, whichever replica takes it.
type SubscribeArgs struct{}

// Kind implements river.JobArgs.
func (SubscribeArgs) Kind() string { return "subscribe_notifications" }

// whileNotDone: one such job waiting or running at a time, a new one after it completed.
var whileNotDone = &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning, rivertype.JobStateRetryable, rivertype.JobStateScheduled}}}

type subscribeWorker struct {
	river.WorkerDefaults[SubscribeArgs]
	e *Engine
}

// configured is a fingerprint of what the abonnement is made of in the configuration (not of
// the zaaksysteem's URLs, so that it is known without asking the zaaksysteem).
func (e *Engine) configured() string {
	s := e.cfg.Subscription
	sum := sha256.Sum256([]byte(strings.Join([]string{subscriptionFormat, s.CallbackURL, s.Auth, e.cfg.Catalogue.Catalogus,
		e.cfg.Catalogue.ZaakType, e.cfg.Catalogue.BesluitType}, "\x00")))
	return hex.EncodeToString(sum[:])
}

// Subscribed reports whether the abonnement is in place for the configuration in use (true
// without a subscription to make).
func (e *Engine) Subscribed(ctx context.Context) (bool, error) {
	if e.cfg.Subscription == nil {
		return true, nil
	}
	v, err := e.store.Setting(ctx, settingSubscribed)
	return v == e.configured(), err
}

// ErrNotSubscribed says the abonnement at the Notificaties API is not (yet) in place.
var ErrNotSubscribed = errors.New("the abonnement at the Notificaties API is not in place yet")

func (w *subscribeWorker) Work(ctx context.Context, _ *river.Job[SubscribeArgs]) error {
	e := w.e
	unlock, ok, err := e.store.LockCase(ctx, "notificaties-abonnement")
	if err != nil {
		return err
	}
	if !ok {
		return river.JobSnooze(e.cfg.RetryBase)
	}
	defer unlock()
	want, err := e.wantedAbonnement(ctx)
	if err != nil {
		return err
	}
	url, err := e.ensureAbonnement(ctx, want)
	if err != nil {
		return err
	}
	if err := e.store.PutSetting(ctx, settingAbonnement, url); err != nil {
		return err
	}
	e.log.Info("subscribed to notifications", "abonnement", url, "callback", want.CallbackURL)
	return e.store.PutSetting(ctx, settingSubscribed, e.configured())
}

// wantedAbonnement is the abonnement the configuration asks for: besluiten of the configured
// besluittype (decisions that start themselves), zaken of the zaaktype (closed elsewhere).
func (e *Engine) wantedAbonnement(ctx context.Context) (zgw.Abonnement, error) {
	cat, err := e.zgw.Catalogi.Resolve(ctx, e.cfg.Catalogue, e.cfg.Now().In(objection.Amsterdam).Format(time.DateOnly))
	if err != nil {
		return zgw.Abonnement{}, err
	}
	a := zgw.Abonnement{CallbackURL: e.cfg.Subscription.CallbackURL, Auth: e.cfg.Subscription.Auth,
		Kanalen: []zgw.FilterGroup{{Naam: "zaken", Filters: map[string]string{"zaaktype": cat.ZaakType.URL}}}}
	if cat.BesluitType != nil {
		a.Kanalen = append(a.Kanalen, zgw.FilterGroup{Naam: "besluiten", Filters: map[string]string{"besluittype": cat.BesluitType.URL}})
	}
	return a, nil
}

// ensureAbonnement finds the connector's earlier abonnement (by the URL it kept, else by its
// callback), replaces it when it differs from want, and makes one only when there is none: a
// restart never adds a second.
func (e *Engine) ensureAbonnement(ctx context.Context, want zgw.Abonnement) (string, error) {
	n := e.zgw.Notificaties
	var have *zgw.Abonnement
	if url, err := e.store.Setting(ctx, settingAbonnement); err != nil {
		return "", err
	} else if url != "" {
		cur, err := n.GetAbonnement(ctx, url)
		switch {
		case zgw.IsNotFound(err): // removed by someone: look again
		case err != nil:
			return "", err
		default:
			have = cur
		}
	}
	if have == nil {
		list, err := n.ListAbonnementen(ctx)
		if err != nil {
			return "", err
		}
		for i := range list {
			if list[i].CallbackURL == want.CallbackURL {
				have = &list[i]
				break
			}
		}
	}
	if have == nil {
		made, err := n.CreateAbonnement(ctx, want)
		if err != nil {
			return "", err
		}
		return made.URL, nil
	}
	if sameAbonnement(*have, want) {
		return have.URL, nil
	}
	if _, err := n.UpdateAbonnement(ctx, have.URL, want); err != nil {
		return "", err
	}
	return have.URL, nil
}

// sameAbonnement compares callback, auth (when the API shows it) and kanalen with their filters.
func sameAbonnement(have, want zgw.Abonnement) bool {
	if have.CallbackURL != want.CallbackURL || (have.Auth != "" && have.Auth != want.Auth) || len(have.Kanalen) != len(want.Kanalen) {
		return false
	}
	for _, w := range want.Kanalen {
		if !slices.ContainsFunc(have.Kanalen, func(h zgw.FilterGroup) bool { return h.Naam == w.Naam && maps.Equal(h.Filters, w.Filters) }) {
			return false
		}
	}
	return true
}
