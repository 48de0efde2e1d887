package workflow

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// A retry waits twice the request timeout only after a failure that may still be committed; a
// failure that proves nothing was done is retried on the usual backoff.
func TestRetryWaitsOnlyWhenItMust(t *testing.T) {
	b := &backoff{base: time.Second, cap: time.Minute, uncertain: time.Minute}
	timeout := fmt.Errorf("zgw: POST …: %w", context.DeadlineExceeded)
	for _, tc := range []struct {
		name      string
		err       error
		uncertain bool
	}{
		{"a timeout", timeout, true},
		{"a 504", &zgw.Problem{Status: http.StatusGatewayTimeout}, true},
		{"a 503", &zgw.Problem{Status: http.StatusServiceUnavailable}, false},
		{"a 400", &zgw.Problem{Status: http.StatusBadRequest}, false},
		{"a snooze", river.JobSnooze(time.Second), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := markUncertain(context.Background(), nil, func(context.Context) error { return tc.err })
			var marked *outcomeUnknown
			if errors.As(err, &marked) != tc.uncertain || !errors.Is(err, tc.err) && !tc.uncertain {
				t.Fatalf("marked %v as uncertain=%v, want %v", err, errors.As(err, &marked), tc.uncertain)
			}
			job := &rivertype.JobRow{Attempt: 1, Errors: []rivertype.AttemptError{{Attempt: 1, Error: err.Error()}}}
			d := b.delay(job)
			if tc.uncertain && d < time.Minute || !tc.uncertain && d >= time.Minute {
				t.Errorf("next try after %s (uncertain %v)", d, tc.uncertain)
			}
		})
	}
}
