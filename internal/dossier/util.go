package dossier

import (
	"fmt"
	"sort"

	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

func toAny(t []zgw.AuditTrail) []any {
	out := make([]any, len(t))
	for i := range t {
		out[i] = t[i]
	}
	return out
}

// sortTrail orders audit entries of several resources by time.
func sortTrail(entries []any) []any {
	sort.SliceStable(entries, func(i, j int) bool {
		return entries[i].(zgw.AuditTrail).AanmaakDatum < entries[j].(zgw.AuditTrail).AanmaakDatum
	})
	return entries
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
