package workflow

import (
	"context"
	"encoding/json"
	"time"
)

// A replica that dies (a kill, a lost machine) leaves its jobs "running". Its case locks went
// with its database connection, so on Postgres a running job of a case whose lock nobody holds
// is an orphan: every replica looks for those every orphanCheck and hands them back at once,
// instead of after River's rescue delay (CONNECTOR_JOB_RESCUE_AFTER, kept as the last resort for
// jobs without a case); so is the job recording work it did at once (runNow), which would come
// due as late. An orphan runs again twice the request timeout after it was found, when whatever
// the dead replica sent has landed, and — its attempt not fresh — looks that up first.

const orphanCheck = 2 * time.Second

// caseLocked are the kinds of job that hold their case's lock while they run.
var caseLocked = map[string]bool{
	RegisterArgs{}.Kind(): true, AttachArgs{}.Kind(): true, CloseArgs{}.Kind(): true,
	EvidenceArgs{}.Kind(): true, FiledArgs{}.Kind(): true, ZaakChangedArgs{}.Kind(): true,
	PublishArgs{}.Kind(): true, LookArgs{}.Kind(): true,
}

func (e *Engine) rescueOrphansEvery(ctx context.Context) {
	// A live job takes its lock within moments of being fetched.
	const grace = 5 * time.Second
	t := time.NewTicker(orphanCheck)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		n, err := e.store.RescueOrphans(ctx, grace, e.inFlight(), tagHere, e.caseOfJob)
		if err != nil && ctx.Err() == nil {
			e.log.Warn("looking for jobs of replicas that died", "error", err)
		}
		if n > 0 {
			e.log.Info("took over the jobs of a replica that died", "jobs", n)
			e.metrics.orphansRescued.Add(float64(n))
		}
	}
}

// caseOfJob is the case a job of a case-locked kind works on ("" for other kinds).
func (e *Engine) caseOfJob(ctx context.Context, kind string, args []byte) string {
	if !caseLocked[kind] {
		return ""
	}
	var a struct {
		CaseID         string `json:"case_id"`
		ConfirmationID string `json:"confirmation_id"`
	}
	if json.Unmarshal(args, &a) != nil {
		return ""
	}
	if a.CaseID == "" && a.ConfirmationID != "" {
		if conf, err := e.store.GetConfirmation(ctx, a.ConfirmationID); err == nil {
			return conf.CaseID
		}
	}
	return a.CaseID
}
