// Package pgtest gives a test a fresh PostgreSQL database on the server
// named by the environment variable SILLOK_TEST_POSTGRES, and drops it
// when the test ends.
//
// # Basics
//
//	url := pgtest.URL(t) // a new, empty database
//
// # Caveats
//
// Without SILLOK_TEST_POSTGRES the test is skipped, with a message saying
// how to start a server (bash .ci/postgres start). With it set but the
// server unreachable, the test fails: never a silent skip.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
)

// Env names the environment variable holding the server's URL.
const Env = "SILLOK_TEST_POSTGRES"

// URL returns the URL of a fresh, empty database created for this test,
// dropped (WITH (FORCE)) at the test's cleanup. Cleanups run last first,
// so pools a test opens after calling URL close before the drop.
func URL(t testing.TB) string {
	t.Helper()
	server := os.Getenv(Env)
	if server == "" {
		t.Skip("PostgreSQL tests skipped: set SILLOK_TEST_POSTGRES to a server URL, e.g. from `eval $(bash .ci/postgres start)`; .ci/run always runs them")
	}
	u, err := url.Parse(server)
	if err != nil {
		t.Fatalf("pgtest: %s: %v", Env, err)
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		t.Fatalf("pgtest: the server of %s: %v", Env, err)
	}
	defer conn.Close(ctx)
	var b [6]byte
	rand.Read(b[:])
	name := "sillok_test_" + hex.EncodeToString(b[:])
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("pgtest: create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(ctx, server)
		if err != nil {
			t.Errorf("pgtest: drop database %s: %v", name, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: drop database %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	return u.String()
}
