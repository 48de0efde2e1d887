package main

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/meta"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
)

// TestCrashAtEveryStep kills the connector (SIGKILL, from inside at a chosen point, as a power
// cut would) once per step and phase — right after the zaaksysteem performed an effect but
// before the connector recorded it ("sent"), and right after recording it ("done") — restarts
// it and finishes the job. In the end the zaaksysteem must hold exactly one of everything.
func TestCrashAtEveryStep(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and restarts the binary many times")
	}
	bin := filepath.Join(t.TempDir(), "connector")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	sb := sandboxtest.Start(t)
	signer, err := meta.NewSampleSigner("crash")
	if err != nil {
		t.Fatal(err)
	}
	steps := []string{"zaak", "status-first", "besluit", "letter", "letter-zio", "confirmation", "confirmation-zio", "resultaat", "status-eind"}
	for _, phase := range []string{"sent", "done"} {
		for _, step := range steps {
			point := phase + ":" + step
			t.Run(point, func(t *testing.T) {
				dir := zgwEnv(t, sb, signer)
				t.Setenv("ZGW_TIMEOUT", "1s") // a restart resumes after twice this
				ref := "CRASH-" + strings.ReplaceAll(point, ":", "-")
				env := append(os.Environ(), "CONNECTOR_TEST_KILL_AT="+point)

				p := startProcess(t, bin, env)
				killed := p.drive(t, ref, signer) // runs until the process dies at the point
				if !killed {
					t.Fatalf("the process was not killed at %s", point)
				}
				p = startProcess(t, bin, os.Environ())
				if p.drive(t, ref, signer) {
					t.Fatal("the restarted process died")
				}
				p.stop(t)
				assertCaseExactlyOnce(t, sb, ref, 1)
				_ = dir
			})
		}
	}
}

type process struct {
	cmd  *exec.Cmd
	url  string
	exit chan error
}

func startProcess(t *testing.T, bin string, env []string) *process {
	t.Helper()
	cmd := exec.Command(bin, "serve")
	cmd.Env = env
	stdout, _ := cmd.StdoutPipe()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if dir := os.Getenv("CONNECTOR_TEST_LOGS"); dir != "" { // for debugging: keep every process's log
		if f, err := os.CreateTemp(dir, "connector-*.log"); err == nil {
			cmd.Stderr = io.MultiWriter(&stderr, f)
			t.Cleanup(func() { f.Close() })
		}
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &process{cmd: cmd, exit: make(chan error, 1)}
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := regexp.MustCompile(`listening on (http://\S+)`).FindStringSubmatch(sc.Text()); m != nil {
				urls <- m[1]
			}
		}
	}()
	go func() { p.exit <- cmd.Wait() }()
	select {
	case p.url = <-urls:
	case err := <-p.exit:
		t.Fatalf("the connector exited at start: %v\n%s", err, stderr.String())
	case <-time.After(20 * time.Second):
		t.Fatal("the connector did not start")
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	return p
}

func (p *process) stop(t *testing.T) {
	p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.exit:
	case <-time.After(20 * time.Second):
		t.Error("no graceful shutdown")
	}
}

// drive takes the decision to a closed case: register, wait for the letters, confirm, wait for
// closing. Every request may fail because the process dies; drive then reports that it died.
func (p *process) drive(t *testing.T, ref string, signer *meta.SampleSigner) (died bool) {
	t.Helper()
	auth := func() string { return bearer(t, "intake", registrarSecret, time.Now()) }
	body := decisionJSON(ref, "facebook")
	deadline := time.Now().Add(30 * time.Second)
	var caseID string
	confirmed := false
	for time.Now().Before(deadline) {
		select {
		case <-p.exit:
			return true
		default:
		}
		if caseID == "" {
			status, out := call(p.url, "POST", "/api/v1/decisions", auth(), "application/json", body)
			if status == 200 || status == 202 {
				caseID = idOf(t, out)
			}
			continue
		}
		status, out := call(p.url, "GET", "/api/v1/cases/"+caseID, auth(), "", nil)
		if status != 200 {
			time.Sleep(20 * time.Millisecond)
			continue
		}
		switch {
		case strings.Contains(out, `"state":"closed"`):
			return false
		case strings.Contains(out, `"state":"failed"`):
			t.Fatalf("case failed: %s", out)
		case strings.Contains(out, `"state":"awaiting_confirmation"`) && !confirmed:
			raw, err := signer.Make(meta.Sample{Platform: "facebook", To: "facebook@voorbeeldstad.nl", Account: "Gemeente Voorbeeldstad facebook",
				Date: time.Date(2025, 5, 14, 10, 0, 0, 0, time.UTC)})
			if err != nil {
				t.Fatal(err)
			}
			status, _ := call(p.url, "POST", "/api/v1/cases/"+caseID+"/confirmations", auth(), "message/rfc822", raw)
			confirmed = status == 202 || status == 200
		}
		time.Sleep(20 * time.Millisecond)
	}
	select {
	case <-p.exit:
		return true
	default:
	}
	t.Fatalf("case %s did not close in time", caseID)
	return false
}

func call(base, method, path, auth, ct string, body []byte) (int, string) {
	req, _ := http.NewRequest(method, base+path, bytes.NewReader(body))
	req.Header.Set("Authorization", auth)
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	c := &http.Client{Timeout: 5 * time.Second}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

func regexpMust(s string) *regexp.Regexp { return regexp.MustCompile(s) }
