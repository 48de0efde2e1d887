package console

import (
	"context"
	"net/http"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/queueui"
	"github.com/gemeenten/meta-bezwaar-connector/internal/workflow"
)

// jobsShown is how many of the newest jobs the operators' page lists.
const jobsShown = 100

type checkView struct {
	Name  string
	OK    bool
	Error string
}

// operators shows health, the circuit to the zaaksysteem and the newest jobs (read-only, in
// Dutch), and links to River's own UI (queueui) for the queue's details and actions.
func (c *Console) operators(w http.ResponseWriter, r *http.Request, _ *Person) {
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	var checks []checkView
	for _, ch := range c.cfg.Checks {
		cv := checkView{Name: ch.Name, OK: true}
		if err := ch.Fn(ctx); err != nil {
			cv.OK, cv.Error = false, err.Error()
		}
		checks = append(checks, cv)
	}
	jobs, err := c.cfg.Service.Jobs(ctx, jobsShown)
	if err != nil {
		c.failPage(w, r, err, 0, "")
		return
	}
	data := struct {
		Checks      []checkView
		CircuitOpen bool
		Jobs        []workflow.Job
		QueueUI     string
	}{checks, c.cfg.CircuitOpen != nil && c.cfg.CircuitOpen(), jobs, ""}
	if c.cfg.QueueUI != nil {
		data.QueueUI = queueui.Prefix + "/"
	}
	c.render(w, r, http.StatusOK, "operators", view{Title: "Beheer", Data: data})
}
