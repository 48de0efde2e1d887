package main

import (
	"bytes"
	"context"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/config"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// syncBuffer is written by the command's goroutine and read by the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// cleanEnv gives the test a fresh data directory and random ports.
func cleanEnv(t *testing.T) string {
	for _, v := range config.Variables() {
		t.Setenv(v.Name, "")
	}
	dir := t.TempDir()
	t.Setenv("CONNECTOR_DATA_DIR", dir)
	t.Setenv("CONNECTOR_ADDR", "127.0.0.1:0")
	t.Setenv("SANDBOX_ADDR", "127.0.0.1:0")
	t.Setenv("CONNECTOR_ADDR", "127.0.0.1:0")
	for _, v := range config.Variables() {
		if v.Default != "" && !strings.HasSuffix(v.Name, "_ADDR") && v.Name != "CONNECTOR_DATA_DIR" {
			t.Setenv(v.Name, v.Default)
		}
	}
	return dir
}

// start runs a long-lived command and waits until its stdout matches re.
func start(t *testing.T, re string, args ...string) (stdout, stderr *syncBuffer, match []string, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr = &syncBuffer{}, &syncBuffer{}
	code := make(chan int, 1)
	go func() { code <- run(ctx, args, strings.NewReader(""), stdout, stderr) }()
	pattern := regexp.MustCompile(re)
	deadline := time.Now().Add(20 * time.Second)
	for match == nil {
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("%v did not print %q; stdout %q stderr %q", args, re, stdout, stderr)
		}
		select {
		case c := <-code:
			t.Fatalf("%v exited %d early; stderr %q", args, c, stderr)
		case <-time.After(20 * time.Millisecond):
		}
		match = pattern.FindStringSubmatch(stdout.String())
	}
	return stdout, stderr, match, func() int {
		cancel()
		select {
		case c := <-code:
			return c
		case <-time.After(30 * time.Second):
			t.Fatal("no graceful shutdown within 30s")
			return -1
		}
	}
}

func TestSandboxCommand(t *testing.T) {
	dir := cleanEnv(t)
	t.Setenv("SANDBOX_DATA_DIR", dir+"/sb")
	stdout, _, m, stop := start(t, `(?s)listening on (http://\S+).*secret:\s+(\S+)`, "sandbox")
	base, secret := m[1], m[2]
	if !strings.Contains(stdout.String(), base+"/zaken/api/v1") {
		t.Errorf("stdout does not list the API roots: %q", stdout)
	}
	cfg := sandboxtest.ClientConfig(base)
	cfg.ClientID, cfg.Secret = "sandbox", secret
	client, err := zgw.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Catalogi.Resolve(context.Background(), sandboxtest.Spec(), "2025-05-13"); err != nil {
		t.Fatalf("the sandbox started by the command does not serve its catalogue: %v", err)
	}
	if c := stop(); c != exitOK {
		t.Errorf("exit %d after SIGTERM-like cancel", c)
	}

	// A second start keeps the generated secret and does not print it again.
	stdout, _, _, stop = start(t, `listening on (http://\S+)`, "sandbox")
	time.Sleep(50 * time.Millisecond)
	stop()
	if strings.Contains(stdout.String(), secret) {
		t.Error("the kept secret was printed again")
	}
}

func TestServeOnEmbeddedDefaults(t *testing.T) {
	cleanEnv(t)
	_, stderr, m, stop := start(t, `connector listening on (http://\S+)`, "serve")
	base := m[1]
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil && resp.StatusCode == http.StatusOK {
			resp.Body.Close()
			break
		}
		if resp != nil {
			resp.Body.Close()
		}
		if time.Now().After(deadline) {
			t.Fatalf("never ready: %v; log %s", err, stderr)
		}
		time.Sleep(50 * time.Millisecond)
	}
	for _, path := range []string{"/healthz", "/metrics"} {
		resp, err := http.Get(base + path)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %v %v", path, err, resp)
		}
		resp.Body.Close()
	}
	if !strings.Contains(stderr.String(), "embedded sandbox zaaksysteem") {
		t.Errorf("the log does not say the sandbox is embedded: %s", stderr)
	}
	if !strings.Contains(stderr.String(), "decisions are published on the Woo platform") || !strings.Contains(stderr.String(), "/publicatiebank/api/v2") {
		t.Errorf("the log does not say the decisions are published on the sandbox's publicatiebank: %s", stderr)
	}
	if strings.Contains(stderr.String(), "WOO_TOKEN") || regexp.MustCompile(`token=\S{20,}`).MatchString(stderr.String()) {
		t.Errorf("the log shows a key: %s", stderr)
	}
	if c := stop(); c != exitOK {
		t.Errorf("exit %d", c)
	}
}

func TestExitCodes(t *testing.T) {
	cleanEnv(t)
	valid := map[string]string{"CONNECTOR_ADDR": "127.0.0.1:8080", "CONNECTOR_RSIN": sandboxtest.RSIN}
	fifo := filepath.Join(t.TempDir(), "definition.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		env  map[string]string
		code int
		want string
	}{
		{[]string{}, nil, exitUsage, "no command"},
		{[]string{"frobnicate"}, nil, exitUsage, `unknown command "frobnicate"`},
		{[]string{"serve", "extra"}, nil, exitUsage, "serve takes only"},
		{[]string{"serve", "--config", "/nonexistent/file"}, nil, exitFailure, "--config"},
		{[]string{"serve"}, map[string]string{"CONNECTOR_RSIN": "123", "CONNECTOR_ADDR": "x"}, exitFailure, "CONNECTOR_RSIN"},
		{[]string{"version"}, nil, exitOK, ""},
		// A definition is read through its limit, whatever kind of file it is.
		{[]string{"provision", "--definition", "/dev/zero"}, valid, exitFailure, "definition: /dev/zero is larger than 1048576 bytes"},
		{[]string{"provision", "--definition", fifo}, valid, exitFailure, "is empty"},
	} {
		for k, v := range tc.env {
			t.Setenv(k, v)
		}
		var out, errOut bytes.Buffer
		code := run(context.Background(), tc.args, strings.NewReader(""), &out, &errOut)
		if code != tc.code || !strings.Contains(errOut.String(), tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tc.args, code, errOut.String(), tc.code, tc.want)
		}
		if tc.code == exitFailure && strings.Count(strings.TrimSpace(errOut.String()), "\n") != 0 {
			t.Errorf("%v: error is not one line: %q", tc.args, errOut.String())
		}
		for k := range tc.env {
			t.Setenv(k, "")
		}
	}
	var out bytes.Buffer
	run(context.Background(), []string{"version"}, nil, &out, &out)
	if !strings.HasPrefix(out.String(), "meta-bezwaar-connector ") {
		t.Errorf("version: %q", out.String())
	}
}

// TestEveryCommandHasHelp: every command answers --help (also after its other arguments) with its
// synopsis and what it does, exit 0, and the overview lists every command.
func TestEveryCommandHasHelp(t *testing.T) {
	cleanEnv(t)
	var overview bytes.Buffer
	if code := run(context.Background(), []string{"--help"}, strings.NewReader(""), &overview, &overview); code != exitOK {
		t.Fatalf("--help: exit %d", code)
	}
	for _, c := range commands {
		for _, args := range [][]string{{c.name, "--help"}, {c.name, "-h"}, {c.name, "something", "--help"}} {
			var out, errOut bytes.Buffer
			code := run(context.Background(), args, strings.NewReader(""), &out, &errOut)
			if code != exitOK || !strings.HasPrefix(out.String(), "usage: connector "+c.name) || !strings.Contains(out.String(), c.summary) || errOut.Len() > 0 {
				t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out.String(), errOut.String())
			}
		}
		if !strings.Contains(overview.String(), "connector "+c.usage[0]) {
			t.Errorf("the overview does not list %q", c.usage[0])
		}
	}
}
