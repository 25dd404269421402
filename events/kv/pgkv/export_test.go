package pgkv

// Migrations exposes the migrations to the tests.
var Migrations = migrations
