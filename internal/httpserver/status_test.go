package httpserver

import (
	"errors"
	"fmt"
	"testing"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

func TestStatusOfEveryCode(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want int
	}{
		{objection.Errorf(objection.CodeInvalid, "x"), 400},
		{objection.Errorf(objection.CodeUnprocessable, "x"), 422},
		{objection.Errorf(objection.CodeNotFound, "x"), 404},
		{objection.Errorf(objection.CodeConflict, "x"), 409},
		{objection.Errorf(objection.CodeTooLarge, "x"), 413},
		{objection.Errorf(objection.CodeUnauthorized, "x"), 401},
		{objection.Errorf(objection.CodeForbidden, "x"), 403},
		{objection.Errorf(objection.CodeUnavailable, "x"), 503},
		{objection.Errorf(objection.CodeUnsupported, "x"), 415},
		{fmt.Errorf("registering: %w", objection.Errorf(objection.CodeConflict, "x")), 409},
		{objection.Errorf("a_code_nobody_maps", "x"), 500},
		{errors.New("disk full"), 500},
	} {
		if got := StatusOf(tc.err); got != tc.want {
			t.Errorf("StatusOf(%v) = %d, want %d", tc.err, got, tc.want)
		}
	}
}
