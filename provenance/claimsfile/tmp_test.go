package claimsfile_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/sillok/sillok/provenance/claimsfile"
)

func TestTmp(t *testing.T) {
	dir := os.Getenv("CORPUS")
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		lines := strings.SplitN(string(b), "\n", 3)
		s := strings.TrimSuffix(strings.TrimPrefix(lines[1], "[]byte("), ")")
		data, err := strconv.Unquote(s)
		if err != nil {
			continue
		}
		for _, n := range []string{"f.yaml", "f.json"} {
			_, err := claimsfile.Parse(n, []byte(data))
			msg := "OK"
			if err != nil {
				msg = err.Error()
				if i := strings.Index(msg, ": "); i >= 0 && strings.HasPrefix(msg, n) {
					msg = msg[i+2:]
				}
				if len(msg) > 60 {
					msg = msg[:60]
				}
			}
			fmt.Printf("%s %s %d %s\n", e.Name()[:10], n, len(data), msg)
		}
	}
}
