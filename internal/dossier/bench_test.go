package dossier_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/dossier"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// largeZaak makes a zaak with one document of size bytes, uploaded through bestandsdelen.
func largeZaak(tb testing.TB, env *sandboxtest.Env, size int64) string {
	ctx := context.Background()
	c := env.Client
	cat, err := c.Catalogi.Resolve(ctx, sandboxtest.Spec(), "2025-05-13")
	if err != nil {
		tb.Fatal(err)
	}
	zaak, err := c.Zaken.CreateZaak(ctx, zgw.Zaak{Bronorganisatie: sandboxtest.RSIN, VerantwoordelijkeOrganisatie: sandboxtest.RSIN,
		ZaakType: cat.ZaakType.URL, Startdatum: "2025-05-13"})
	if err != nil {
		tb.Fatal(err)
	}
	doc, err := c.Documenten.Upload(ctx, zgw.InformatieObject{Bronorganisatie: sandboxtest.RSIN, CreatieDatum: "2025-05-14",
		Titel: "Groot", Auteur: "Test", Taal: "dut", Bestandsnaam: "groot.bin", InformatieObjectType: cat.InformatieObjectTypen["Bevestiging Meta"].URL},
		size, sandboxtest.Pattern(size))
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := c.Zaken.CreateZaakInformatieObject(ctx, zgw.ZaakInformatieObject{Zaak: zaak.URL, InformatieObject: doc.URL}); err != nil {
		tb.Fatal(err)
	}
	return zaak.URL
}

// TestExportStreams exports a 64 MiB document and checks that the heap grows by far less.
func TestExportStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("moves 64 MiB")
	}
	env := sandboxtest.StartUnvalidated(t)
	const size = 64 << 20
	zaakURL := largeZaak(t, env, size)
	stop := sandboxtest.HeapPeak()
	m, err := (&dossier.Exporter{ZGW: env.Client, Version: "test", Now: time.Now}).Export(context.Background(), zaakURL, io.Discard, nil)
	peak := stop()
	if err != nil || m.Documents[0].Size != size {
		t.Fatalf("export: %v", err)
	}
	if peak > size/4 {
		t.Errorf("heap grew by %d MiB exporting a %d MiB document", peak>>20, size>>20)
	}
}

// BenchmarkExport512MiB exports a dossier holding a 512 MiB document and reports throughput and
// peak heap growth.
func BenchmarkExport512MiB(b *testing.B) {
	env := sandboxtest.StartUnvalidated(b)
	const size = 512 << 20
	zaakURL := largeZaak(b, env, size)
	ex := &dossier.Exporter{ZGW: env.Client, Version: "bench", Now: time.Now}
	b.SetBytes(size)
	var worst uint64
	b.ResetTimer()
	for range b.N {
		stop := sandboxtest.HeapPeak()
		if _, err := ex.Export(context.Background(), zaakURL, io.Discard, nil); err != nil {
			b.Fatal(err)
		}
		worst = max(worst, stop())
	}
	b.ReportMetric(float64(worst)/(1<<20), "peak-heap-MiB")
}
