package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeStartupErrors: every way `serve` can fail to start ends in exit 1 and one last line
// on stderr that names what is wrong — never a panic, never a half-started service.
func TestServeStartupErrors(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, dir string) map[string]string
		want  string
	}{
		{"the API address is taken", func(t *testing.T, dir string) map[string]string {
			return map[string]string{"CONNECTOR_ADDR": taken.Addr().String()}
		}, "CONNECTOR_ADDR " + taken.Addr().String() + ": listen tcp"},
		{"the sandbox address is taken", func(t *testing.T, dir string) map[string]string {
			return map[string]string{"SANDBOX_ADDR": taken.Addr().String()}
		}, "SANDBOX_ADDR " + taken.Addr().String() + ": listen tcp"},
		{"the data directory is a file", func(t *testing.T, dir string) map[string]string {
			file := filepath.Join(dir, "not-a-dir")
			os.WriteFile(file, nil, 0o600)
			return map[string]string{"CONNECTOR_DATA_DIR": file}
		}, "data directory"},
		{"a malformed DKIM keys file", func(t *testing.T, dir string) map[string]string {
			file := filepath.Join(dir, "keys")
			os.WriteFile(file, []byte("not a key line\n"), 0o600)
			return map[string]string{"META_DKIM_KEYS_FILE": file}
		}, "META_DKIM_KEYS_FILE"},
		{"a broken letter template", func(t *testing.T, dir string) map[string]string {
			file := filepath.Join(dir, "letter.tmpl")
			os.WriteFile(file, []byte("{{ .Nope "), 0o600)
			return map[string]string{"CONNECTOR_LETTER_TEMPLATE": file}
		}, "template"},
		{"Postgres unreachable", func(t *testing.T, dir string) map[string]string {
			return map[string]string{"CONNECTOR_DATABASE_URL": "postgres://nobody@" + taken.Addr().String() + "/x?sslmode=disable&connect_timeout=2"}
		}, "Postgres"},
		{"a zero read timeout", func(t *testing.T, dir string) map[string]string {
			return map[string]string{"CONNECTOR_HTTP_READ_TIMEOUT": "0s"}
		}, "CONNECTOR_HTTP_READ_TIMEOUT"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := cleanEnv(t)
			for k, v := range tc.setup(t, dir) {
				t.Setenv(k, v)
			}
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), []string{"serve"}, strings.NewReader(""), &stdout, &stderr)
			lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
			last := lines[len(lines)-1]
			if code != exitFailure || !strings.HasPrefix(last, "connector: ") || !strings.Contains(last, tc.want) {
				t.Fatalf("exit %d, last line %q; want exit 1 and a line naming %q", code, last, tc.want)
			}
			if strings.Contains(stderr.String(), "panic") || stdout.Len() != 0 {
				t.Errorf("stdout %q, stderr %q", stdout.String(), stderr.String())
			}
		})
	}
}

// TestDataIsPrivate: a data directory that already existed with wide modes — and a database left
// world-readable — is restricted to its owner at start, and so is everything the service writes.
func TestDataIsPrivate(t *testing.T) {
	dir := cleanEnv(t)
	data := filepath.Join(dir, "data")
	os.MkdirAll(filepath.Join(data, "sandbox"), 0o755)
	os.Chmod(data, 0o755)
	os.WriteFile(filepath.Join(data, "connector.db"), nil, 0o644)
	os.WriteFile(filepath.Join(data, "sandbox", "client-secret"), []byte("an-old-secret-of-the-sandbox-0123456789\n"), 0o644)
	t.Setenv("CONNECTOR_DATA_DIR", data)
	_, _, _, stop := start(t, `listening on`, "serve")
	defer stop()
	for _, name := range []string{"connector.db", "connector.db-wal", "dev-token", "sandbox/client-secret", "sandbox/sandbox.db", "sandbox/sandbox.db-wal"} {
		fi, err := os.Stat(filepath.Join(data, name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %o, want 600", name, fi.Mode().Perm())
		}
	}
	for _, name := range []string{".", "sandbox", "sandbox/files"} {
		fi, err := os.Stat(filepath.Join(data, name))
		if err != nil {
			t.Errorf("directory %s: %v", name, err)
		} else if fi.Mode().Perm() != 0o700 {
			t.Errorf("directory %s has mode %o, want 700", name, fi.Mode().Perm())
		}
	}
}
