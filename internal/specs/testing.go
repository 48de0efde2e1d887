package specs

import (
	"testing"

	"github.com/gemeenten/meta-bezwaar-connector/internal/citest"
)

// ForTest loads the validator for a test and fails the test at its end if any traffic violated
// the specs. Without the specs the test is skipped, except in CI (CI=true), where it fails:
// there the specs are always beside the repository.
func ForTest(t testing.TB) *Validator {
	t.Helper()
	dir, err := Dir()
	if err != nil {
		citest.Missing(t, err.Error())
	}
	v, err := Load(dir)
	if err != nil {
		t.Fatalf("%v", err)
	}
	FailOnViolations(t, v, "ZGW")
	return v
}

// FailOnViolations fails the test at its end for every violation the validator recorded.
func FailOnViolations(t testing.TB, v *Validator, name string) {
	t.Cleanup(func() {
		for _, msg := range v.Violations() {
			t.Errorf("%s spec violation: %s", name, msg)
		}
	})
}
