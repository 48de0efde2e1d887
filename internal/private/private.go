// Package private keeps the connector's data for its owner alone: the data directories 0700, the
// databases (with SQLite's WAL and shared-memory files) and secrets 0600 — also when they already
// existed with wider modes, for example from an earlier release or a careless copy.
package private

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// Dir makes path (and missing parents) and restricts it to its owner.
func Dir(path string) error {
	if err := os.MkdirAll(path, 0o700); err != nil {
		return err
	}
	return os.Chmod(path, 0o700)
}

// File restricts an existing file to its owner; a missing one is no error.
func File(path string) error {
	if err := os.Chmod(path, 0o600); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// WriteFile replaces path atomically with data, readable by its owner alone.
func WriteFile(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after the rename: nothing left to remove
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// SQLite prepares a SQLite database file before it is opened: created 0600 when missing and
// restricted when present. SQLite creates its -wal and -shm files with the database file's mode;
// those left by an earlier run are restricted here too.
func SQLite(path string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return err
	}
	f.Close()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := File(p); err != nil {
			return err
		}
	}
	return nil
}
