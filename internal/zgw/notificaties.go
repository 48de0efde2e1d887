package zgw

import (
	"context"
	"errors"
	"net/http"
	"net/url"
)

// NotificatiesService is the Notificaties API (subscribing to kanalen).
type NotificatiesService struct {
	c    *Client
	base string
}

var errNoNotificaties = errors.New("zgw: no Notificaties API configured")

func (s *NotificatiesService) svc() (*service, error) {
	if s.base == "" {
		return nil, errNoNotificaties
	}
	return &service{c: s.c, base: s.base}, nil
}

// ListKanalen lists the kanalen, optionally only the one with a name.
func (s *NotificatiesService) ListKanalen(ctx context.Context, naam string) ([]Kanaal, error) {
	svc, err := s.svc()
	if err != nil {
		return nil, err
	}
	q := url.Values{}
	setIf(q, "naam", naam)
	return listUnpaged[Kanaal](ctx, svc, svc.url("/kanaal", q))
}

// ListAbonnementen lists the subscriptions this client can see.
func (s *NotificatiesService) ListAbonnementen(ctx context.Context) ([]Abonnement, error) {
	svc, err := s.svc()
	if err != nil {
		return nil, err
	}
	return listUnpaged[Abonnement](ctx, svc, svc.url("/abonnement", nil))
}

// CreateAbonnement subscribes a callback to kanalen.
func (s *NotificatiesService) CreateAbonnement(ctx context.Context, a Abonnement) (*Abonnement, error) {
	svc, err := s.svc()
	if err != nil {
		return nil, err
	}
	var out Abonnement
	return &out, svc.post(ctx, svc.base+"/abonnement", a, &out)
}

// GetAbonnement reads one subscription.
func (s *NotificatiesService) GetAbonnement(ctx context.Context, u string) (*Abonnement, error) {
	svc, err := s.svc()
	if err != nil {
		return nil, err
	}
	var out Abonnement
	return &out, svc.get(ctx, u, &out)
}

// UpdateAbonnement replaces a subscription's callback, auth and kanalen (PUT).
func (s *NotificatiesService) UpdateAbonnement(ctx context.Context, u string, a Abonnement) (*Abonnement, error) {
	svc, err := s.svc()
	if err != nil {
		return nil, err
	}
	a.URL = ""
	var out Abonnement
	return &out, svc.send(ctx, http.MethodPut, u, a, &out)
}

// DeleteAbonnement ends a subscription.
func (s *NotificatiesService) DeleteAbonnement(ctx context.Context, u string) error {
	svc, err := s.svc()
	if err != nil {
		return err
	}
	return svc.send(ctx, http.MethodDelete, u, nil, nil)
}

// Publish sends a notification to the Notificaties API, as a publishing API does.
func (s *NotificatiesService) Publish(ctx context.Context, m Notificatie) error {
	svc, err := s.svc()
	if err != nil {
		return err
	}
	return svc.post(ctx, svc.base+"/notificaties", m, nil)
}
