package catalogdef

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestReadBoundedAnyKindOfFile: whatever the file is, it is read through the limit and refused
// with one line when it is too large, empty or never ends — never read whole.
func TestReadBoundedAnyKindOfFile(t *testing.T) {
	dir := t.TempDir()
	fifo := func(name string) string {
		path := filepath.Join(dir, name)
		if err := syscall.Mkfifo(path, 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	regular := filepath.Join(dir, "def.yaml")
	os.WriteFile(regular, []byte("zaaktype:\n  omschrijving: Bezwaar\n"), 0o600)
	empty := filepath.Join(dir, "empty.yaml")
	os.WriteFile(empty, nil, 0o600)

	// The writers open their ends before the reader looks (O_RDWR does not wait for a reader),
	// so that the reader never finds a FIFO without a writer.
	writer := func(path string) *os.File {
		w, err := os.OpenFile(path, os.O_RDWR, 0)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { w.Close() })
		return w
	}
	endless := fifo("endless")
	go func(w *os.File) { // never stops writing: read only up to the limit
		chunk := []byte(strings.Repeat("a: b\n", 1024))
		for {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}(writer(endless))
	silent := fifo("silent")
	writer(silent) // opens and never writes nor closes

	for _, tc := range []struct {
		name, path, want string
	}{
		{"a regular file", regular, ""},
		{"/dev/zero", "/dev/zero", "is larger than 4096 bytes"},
		{"a FIFO nobody writes to", fifo("nobody"), "is empty"},
		{"a FIFO whose writer never stops", endless, "is larger than 4096 bytes"},
		{"a FIFO whose writer never ends", silent, "did not end within 200ms"},
		{"an empty file", empty, "is empty"},
		{"no file", filepath.Join(dir, "missing"), "no such file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw, err := readBounded(tc.path, 4096, 200*time.Millisecond)
			if tc.want == "" {
				if err != nil || len(raw) == 0 {
					t.Fatalf("%v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("err = %v, want one line saying %q", err, tc.want)
			}
			if len(raw) > 4097 {
				t.Errorf("%d bytes held", len(raw))
			}
		})
	}
}
