package workflow

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// gauges report the state of the cases at each scrape, from the store (so every replica reports
// the same): cases per state, accounts not filed, filings overdue, and confirmations awaited
// longer than the configured wait; publications per state.
type gauges struct {
	e                                                      *Engine
	cases, notFiled, overdue, awaitedTooLong, publications *prometheus.Desc
}

// RegisterGauges adds the case gauges to reg.
func (e *Engine) RegisterGauges(reg prometheus.Registerer) {
	reg.MustRegister(&gauges{e: e,
		cases:          prometheus.NewDesc("connector_cases", "Cases, by state.", []string{"state"}, nil),
		notFiled:       prometheus.NewDesc("connector_accounts_not_filed", "Accounts of open cases whose objection is not filed at Meta yet.", nil, nil),
		overdue:        prometheus.NewDesc("connector_filings_overdue", "Accounts not filed after their case's deadline.", nil, nil),
		publications:   prometheus.NewDesc("connector_publications", "Decisions' publications on the Woo platform, by state (refused ones need a person).", []string{"state"}, nil),
		awaitedTooLong: prometheus.NewDesc("connector_confirmations_awaited_too_long", "Filed accounts without confirmation for longer than CONNECTOR_CONFIRMATION_WAIT (30 days when it is 0).", nil, nil),
	})
}

func (g *gauges) Describe(ch chan<- *prometheus.Desc) {
	ch <- g.cases
	ch <- g.notFiled
	ch <- g.overdue
	ch <- g.awaitedTooLong
	ch <- g.publications
}

func (g *gauges) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cases, err := g.e.store.ListCases(ctx)
	if err != nil {
		g.e.log.Warn("the case gauges could not be read", "error", err)
		return
	}
	now := g.e.cfg.Now()
	wait := g.e.cfg.ConfirmationWait
	if wait <= 0 {
		wait = 30 * 24 * time.Hour
	}
	perState := map[objection.State]int{}
	publications := map[objection.PublicationState]int{}
	var notFiled, overdue, awaited int
	for _, c := range cases {
		perState[c.State()]++
		if c.Publication != nil {
			publications[c.Publication.State]++
		}
		if !c.State().Open() {
			continue
		}
		c.UpdateOverdue(now)
		for _, a := range c.Accounts {
			switch {
			case a.FiledAt == nil:
				notFiled++
				if c.Overdue {
					overdue++
				}
			case a.ConfirmedBy == "" && now.Sub(*a.FiledAt) > wait:
				awaited++
			}
		}
	}
	for _, s := range objection.States {
		ch <- prometheus.MustNewConstMetric(g.cases, prometheus.GaugeValue, float64(perState[s]), string(s))
	}
	ch <- prometheus.MustNewConstMetric(g.notFiled, prometheus.GaugeValue, float64(notFiled))
	ch <- prometheus.MustNewConstMetric(g.overdue, prometheus.GaugeValue, float64(overdue))
	ch <- prometheus.MustNewConstMetric(g.awaitedTooLong, prometheus.GaugeValue, float64(awaited))
	if g.e.cfg.Woo != nil {
		for _, s := range objection.PublicationStates {
			ch <- prometheus.MustNewConstMetric(g.publications, prometheus.GaugeValue, float64(publications[s]), string(s))
		}
	}
}
