// Package storetest gives tests a fresh Postgres database on the server that .ci/run starts
// (CONNECTOR_TEST_DATABASE_URL, an administrator URL).
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the pgx driver for database/sql

	"github.com/gemeenten/meta-bezwaar-connector/internal/citest"
)

// PostgresURL creates an empty database for the test and returns its URL; it is dropped at the
// end. Without CONNECTOR_TEST_DATABASE_URL the test skips, except in CI, where it fails.
func PostgresURL(t testing.TB) string {
	t.Helper()
	admin := os.Getenv("CONNECTOR_TEST_DATABASE_URL")
	if admin == "" {
		citest.Missing(t, "no Postgres (run .ci/postgres.sh start DIR PORT and set CONNECTOR_TEST_DATABASE_URL)")
	}
	db, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var b [6]byte
	rand.Read(b[:])
	name := "t_" + hex.EncodeToString(b[:])
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("creating a test database: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", admin)
		if err != nil {
			return
		}
		defer db.Close()
		db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}
