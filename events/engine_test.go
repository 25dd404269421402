package events

import (
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"archive.db", "archive.db"},
		{"postgres://maria:s3cret@db.example/sillok", "postgres://maria:xxxxx@db.example/sillok"},
		{"postgresql://db.example/sillok?sslmode=require&password=s3cret", "postgresql://db.example/sillok?password=xxxxx&sslmode=require"},
		{"postgres://u@h/d?sslpassword=s3cret&application_name=x", "postgres://u@h/d?application_name=x&sslpassword=xxxxx"},
		{"postgres://u@h/d", "postgres://u@h/d"},
	} {
		got := Redact(tc.in)
		if got != tc.want || strings.Contains(got, "s3cret") {
			t.Errorf("Redact(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
