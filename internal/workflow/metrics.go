package workflow

import "github.com/prometheus/client_golang/prometheus"

// Metrics are the engine's Prometheus metrics.
type Metrics struct {
	decisions     *prometheus.CounterVec
	confirmations *prometheus.CounterVec
	steps         *prometheus.CounterVec
	stepsAdopted  prometheus.Counter
	casesClosed   prometheus.Counter
	casesFailed   prometheus.Counter
	notifications *prometheus.CounterVec
	// orphansRescued counts jobs of replicas that died, taken over (Postgres).
	orphansRescued prometheus.Counter
}

// NewMetrics registers the metrics with reg (nil: not registered).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		decisions: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "connector_decisions_total",
			Help: "Decisions received, by outcome (created, repeated)."}, []string{"outcome"}),
		confirmations: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "connector_confirmations_total",
			Help: "E-mails received, by outcome (accepted, duplicate, quarantined)."}, []string{"outcome"}),
		steps: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "connector_zgw_steps_total",
			Help: "ZGW effects performed, by step."}, []string{"step"}),
		stepsAdopted: prometheus.NewCounter(prometheus.CounterOpts{Name: "connector_zgw_steps_adopted_total",
			Help: "Effects of earlier attempts found by lookup instead of being created again."}),
		casesClosed: prometheus.NewCounter(prometheus.CounterOpts{Name: "connector_cases_closed_total", Help: "Zaken closed."}),
		casesFailed: prometheus.NewCounter(prometheus.CounterOpts{Name: "connector_cases_failed_total", Help: "Cases failed permanently."}),
		notifications: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "connector_notifications_total",
			Help: "Notifications received, by kanaal, actie and outcome (besluit, zaak, ignored)."}, []string{"kanaal", "actie", "outcome"}),
		orphansRescued: prometheus.NewCounter(prometheus.CounterOpts{Name: "connector_jobs_taken_over_total",
			Help: "Jobs of a replica that died, taken over at once (their case lock was free)."}),
	}
	if reg != nil {
		reg.MustRegister(m.decisions, m.confirmations, m.steps, m.stepsAdopted, m.casesClosed, m.casesFailed, m.notifications, m.orphansRescued)
	}
	return m
}
