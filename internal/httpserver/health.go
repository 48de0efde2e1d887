package httpserver

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Check is one readiness condition: nil when ready.
type Check struct {
	Name string
	Fn   func(ctx context.Context) error
}

// Operational serves /healthz (the process answers), /readyz (every check passes) and /metrics.
// None of them needs authentication, and none says more than ok or the name of what failed.
func Operational(mux Mux, reg *prometheus.Registry, checks []Check) {
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeStatus(w, http.StatusOK, map[string]any{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
		defer cancel()
		results, ready := map[string]string{}, true
		for _, c := range checks {
			results[c.Name] = "ok"
			if err := c.Fn(ctx); err != nil {
				results[c.Name], ready = "not ready", false
			}
		}
		if !ready {
			writeStatus(w, http.StatusServiceUnavailable, map[string]any{"status": "not ready", "checks": results})
			return
		}
		writeStatus(w, http.StatusOK, map[string]any{"status": "ready", "checks": results})
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
}

func writeStatus(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}
