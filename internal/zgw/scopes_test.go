package zgw

import (
	"os"
	"strings"
	"testing"
)

// README lists every scope the connector needs, in the table an administrator works from.
func TestREADMEListsTheScopes(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range ConnectorScopes() {
		if row := "| " + s.Component + " | `" + s.Scope + "` | " + s.Feature + " |"; !strings.Contains(string(readme), row) {
			t.Errorf("README lacks the row %q", row)
		}
	}
}
