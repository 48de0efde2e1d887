// Package prometheus holds example Prometheus alert rules for the connector (alerts.yml) and the
// test that they parse and fire as meant (alerts_test.yml), with promtool from the machine's
// packages.
package prometheus

import (
	"os"
	"os/exec"
	"regexp"
	"slices"
	"testing"

	"github.com/gemeenten/meta-bezwaar-connector/internal/citest"
)

// gauges are the connector's metrics the rules may use; a rule on another name would never fire.
var gauges = []string{"connector_filings_overdue", "connector_accounts_not_filed", "connector_confirmations_awaited_too_long",
	"connector_cases", "connector_zgw_circuit_open", "connector_publications"}

func TestAlertRules(t *testing.T) {
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		citest.Missing(t, "promtool is not installed (apt-get install prometheus)")
	}
	for _, args := range [][]string{{"check", "rules", "alerts.yml"}, {"test", "rules", "alerts_test.yml"}} {
		if out, err := exec.Command(promtool, args...).CombinedOutput(); err != nil {
			t.Errorf("promtool %v: %v\n%s", args, err, out)
		}
	}
	rules, err := os.ReadFile("alerts.yml")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`\b(connector_[a-z_]+)`).FindAllStringSubmatch(string(rules), -1) {
		if !slices.Contains(gauges, m[1]) {
			t.Errorf("alerts.yml uses %s, which the connector does not export", m[1])
		}
	}
}
