package sandbox_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/citest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/specs"
)

// knownFailuresFile lists table A's assertions that fail today, one "folder<TAB>request<TAB>assertion"
// per line, each with the reason in README ("VNG's suite"). The test fails on any other failure.
const knownFailuresFile = "testdata/vng-table-a-known-failures.tsv"

// TestVNGSuite runs VNG-Realisatie's own ZGW test suite (../shared/vng-postman/run.sh, under
// newman) against the sandbox and fails on a failed assertion of table A (the suite as written)
// that is not a known one. It needs NEWMAN_DIR (a directory with node_modules/newman; .ci/run
// installs it), node and python3: outside CI it is skipped without them, in CI it fails.
func TestVNGSuite(t *testing.T) {
	if testing.Short() {
		t.Skip("the VNG suite takes minutes")
	}
	need := func(what string, ok bool) {
		if !ok {
			citest.Missing(t, "the VNG suite needs "+what)
		}
	}
	newman := os.Getenv("NEWMAN_DIR")
	_, err := os.Stat(filepath.Join(newman, "node_modules", "newman"))
	need("NEWMAN_DIR with node_modules/newman", newman != "" && err == nil)
	for _, tool := range []string{"node", "python3", "bash"} {
		_, err := exec.LookPath(tool)
		need(tool, err == nil)
	}
	specsDir, err := specs.Dir()
	need("../shared (the specs and vng-postman beside the repository)", err == nil)
	runner := filepath.Join(filepath.Dir(specsDir), "vng-postman", "run.sh")
	_, err = os.Stat(runner)
	need(runner, err == nil)

	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	bin := filepath.Join(t.TempDir(), "connector")
	if out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, "../../cmd/connector").CombinedOutput(); err != nil {
		t.Fatalf("building the connector: %v\n%s", err, out)
	}
	out := t.TempDir()
	cmd := exec.CommandContext(ctx, "bash", runner, bin, freePortPair(t), out)
	cmd.Env = append(os.Environ(), "NEWMAN_DIR="+newman)
	started := time.Now()
	report, err := cmd.CombinedOutput()
	t.Logf("VNG suite ran in %s:\n%s", time.Since(started).Round(time.Second), tableA(string(report)))
	if err != nil {
		t.Fatalf("run.sh: %v\n%s", err, report)
	}

	known, err := readFailures(knownFailuresFile, 0)
	if err != nil {
		t.Fatal(err)
	}
	failed, err := readFailures(filepath.Join(out, "A", "failures.tsv"), 1)
	if err != nil {
		t.Fatal(err)
	}
	for f := range failed {
		if !known[f] {
			t.Errorf("new failure in table A: %s", strings.ReplaceAll(f, "\t", " | "))
		}
	}
	for f := range known {
		if !failed[f] {
			t.Logf("passes now, remove from %s: %s", knownFailuresFile, strings.ReplaceAll(f, "\t", " | "))
		}
	}
}

// readFailures reads folder, request and assertion of each line (skipping header lines).
func readFailures(path string, header int) (map[string]bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for line := 0; sc.Scan(); line++ {
		cols := strings.Split(sc.Text(), "\t")
		if line < header || len(cols) < 3 || strings.HasPrefix(cols[0], "#") {
			continue
		}
		if header > 0 { // run.sh's failures.tsv: folder, item, method, host, path, code, assertion, …
			if len(cols) < 7 {
				continue
			}
			cols = []string{cols[0], cols[1], cols[6]}
		}
		out[strings.Join(cols[:3], "\t")] = true
	}
	return out, sc.Err()
}

// tableA is the part of run.sh's output that reports table A.
func tableA(report string) string {
	start := strings.Index(report, "| folder")
	if start < 0 {
		return report
	}
	end := strings.Index(report[start:], "\n\n")
	if end < 0 {
		return report[start:]
	}
	return report[start : start+end]
}

// freePortPair is a port whose next one is free too (run.sh serves its stand-ins on PORT+1).
func freePortPair(t *testing.T) string {
	t.Helper()
	for port := 18900 + os.Getpid()%500; port < 19900; port += 2 {
		if portFree(port) && portFree(port+1) {
			return fmt.Sprint(port)
		}
	}
	t.Fatal("no free pair of ports")
	return ""
}

func portFree(port int) bool {
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return false
	}
	ln.Close()
	return true
}
