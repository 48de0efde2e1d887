package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gemeenten/meta-bezwaar-connector/internal/meta"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
)

// TestProvisionExitStatus: against a catalogue that holds the definition, provision exits 0;
// against one that differs, it lists the differences both ways on stdout, says so in one line
// on stderr and exits 3, changing nothing.
func TestProvisionExitStatus(t *testing.T) {
	sb := sandboxtest.StartForConnector(t)
	signer, err := meta.NewSampleSigner("p1")
	if err != nil {
		t.Fatal(err)
	}
	dir := zgwEnv(t, sb, signer)
	t.Setenv("ZGW_SELECTIELIJST_URL", sb.URL+"/selectielijst/api/v1") // the sandbox's stand-in, as its seed names it
	provision := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := run(context.Background(), append([]string{"provision"}, args...), strings.NewReader(""), &out, &errOut)
		return code, out.String(), errOut.String()
	}
	if code, out, errOut := provision(); code != exitOK || !strings.Contains(out, "The catalogue already holds the definition") {
		t.Fatalf("the seeded catalogue: exit %d\n%s%s", code, out, errOut)
	}
	def := filepath.Join(dir, "gemeente.yaml")
	if err := os.WriteFile(def, []byte("zaaktype:\n  doorlooptijd: P20D\n  roltypen: []\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := provision("--definition", def)
	for _, want := range []string{
		`zaaktype BEZWAAR-META-AI: doorlooptijd is "P30D" in the catalogue, "P20D" in the definition`,
		`roltype "Behandelaar": in the catalogue, not in the definition`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	// stderr: the progress, then the outcome in one line.
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	if last := lines[len(lines)-1]; code != exitDiffers || !strings.HasPrefix(last, "connector: the catalogue differs from the definition in 2 ways") {
		t.Errorf("exit %d, last line %q; want %d and the outcome", code, last, exitDiffers)
	}
	if code, _, _ := provision(); code != exitOK {
		t.Errorf("the catalogue was changed: provision with the default definition now exits %d", code)
	}
}
