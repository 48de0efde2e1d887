package zgw_test

import (
	"context"
	"crypto/sha256"
	"io"
	"testing"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// roundTrip uploads size bytes through bestandsdelen and downloads them again, checking that the
// bytes are the same.
func roundTrip(t testing.TB, env *sandboxtest.Env, cat *zgw.Catalogue, size int64) {
	ctx := context.Background()
	up := sha256.New()
	doc, err := env.Client.Documenten.Upload(ctx, zgw.InformatieObject{
		Bronorganisatie: sandboxtest.RSIN, CreatieDatum: "2025-05-14", Titel: "Groot document", Auteur: "Test",
		Taal: "dut", Formaat: "application/octet-stream", InformatieObjectType: cat.InformatieObjectTypen["Bevestiging Meta"].URL,
	}, size, io.TeeReader(sandboxtest.Pattern(size), up))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := env.Client.Documenten.Download(ctx, doc.URL)
	if err != nil {
		t.Fatal(err)
	}
	down := sha256.New()
	n, err := io.Copy(down, rc)
	rc.Close()
	if err != nil || n != size || string(up.Sum(nil)) != string(down.Sum(nil)) {
		t.Fatalf("downloaded %d bytes (%v), want the %d bytes uploaded", n, err, size)
	}
}

func resolve(t testing.TB, env *sandboxtest.Env) *zgw.Catalogue {
	cat, err := env.Client.Catalogi.Resolve(context.Background(), sandboxtest.Spec(), "2025-05-13")
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// TestLargeDocumentsStream sends 64 MiB through the client and the sandbox (both in this
// process) and checks that the heap grows by far less than the document: content is streamed,
// never held whole.
func TestLargeDocumentsStream(t *testing.T) {
	if testing.Short() {
		t.Skip("moves 64 MiB")
	}
	env := sandboxtest.StartUnvalidated(t) // the validator would buffer the parts
	cat := resolve(t, env)
	const size = 64 << 20
	stop := sandboxtest.HeapPeak()
	roundTrip(t, env, cat, size)
	if peak := stop(); peak > size/4 {
		t.Errorf("heap grew by %d MiB while moving a %d MiB document", peak>>20, size>>20)
	} else {
		t.Logf("peak heap growth %.1f MiB for a %d MiB document", float64(peak)/(1<<20), size>>20)
	}
}

// BenchmarkBestandsdelen256MiB uploads and downloads a 256 MiB document through bestandsdelen
// (4 MiB parts) and reports throughput and the peak heap growth.
func BenchmarkBestandsdelen256MiB(b *testing.B) {
	env := sandboxtest.StartUnvalidated(b)
	cat := resolve(b, env)
	const size = 256 << 20
	b.SetBytes(2 * size) // up and down
	var worst uint64
	b.ResetTimer()
	for range b.N {
		stop := sandboxtest.HeapPeak()
		roundTrip(b, env, cat, size)
		worst = max(worst, stop())
	}
	b.ReportMetric(float64(worst)/(1<<20), "peak-heap-MiB")
}
