package private

import (
	"os"
	"path/filepath"
	"testing"
)

// TestWideModesAreNarrowed: what existed with wide modes is narrowed; what is made is private.
func TestWideModesAreNarrowed(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	os.MkdirAll(dir, 0o755)
	os.Chmod(dir, 0o755)
	db := filepath.Join(dir, "x.db")
	os.WriteFile(db, nil, 0o644)
	os.WriteFile(db+"-wal", nil, 0o644)
	secret := filepath.Join(dir, "secret")
	os.WriteFile(secret, []byte("old"), 0o644)
	if err := Dir(dir); err != nil {
		t.Fatal(err)
	}
	if err := SQLite(db); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(secret, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if err := SQLite(filepath.Join(dir, "new.db")); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]os.FileMode{dir: 0o700, db: 0o600, db + "-wal": 0o600, secret: 0o600, filepath.Join(dir, "new.db"): 0o600} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s: mode %o, want %o", path, fi.Mode().Perm(), want)
		}
	}
	if b, _ := os.ReadFile(secret); string(b) != "new" {
		t.Errorf("secret holds %q", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 4 {
		t.Errorf("%d files: a temporary file was left behind", len(entries))
	}
}
