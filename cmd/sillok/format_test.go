package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestFrozenFormat1 reads an archive written by the first release of the
// format (the demo archive, frozen under testdata/format1). Every later
// version must still read it: verify it, and see its conflicts and the
// verdict it holds.
func TestFrozenFormat1(t *testing.T) {
	src := filepath.Join("testdata", "format1", "demo.db")
	raw, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	// Work on a copy: reading must not change the frozen file either way.
	archive := filepath.Join(t.TempDir(), "demo.db")
	if err := os.WriteFile(archive, raw, 0o644); err != nil {
		t.Fatal(err)
	}

	out, errOut, code := runInProcess(t, archive, "verify", "--json")
	if code != 0 {
		t.Fatalf("verify: exit %d, stderr %s", code, errOut)
	}
	var rep struct {
		OK     bool `json:"ok"`
		Events int  `json:"events"`
		Claims int  `json:"claims"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if !rep.OK || rep.Events != 54 || rep.Claims != 29 {
		t.Errorf("verify = %+v, want ok with 54 events and 29 claims", rep)
	}

	out, errOut, code = runInProcess(t, archive, "conflicts", "--status", "all", "--json")
	if code != 0 {
		t.Fatalf("conflicts: exit %d, stderr %s", code, errOut)
	}
	var list struct {
		Conflicts []struct {
			Kind    string `json:"kind"`
			Status  string `json:"status"`
			Verdict *struct {
				Decision string `json:"decision"`
				Claim    string `json:"claim"`
			} `json:"verdict"`
		} `json:"conflicts"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	accepted := ""
	for _, c := range list.Conflicts {
		kinds[c.Kind]++
		if c.Verdict != nil && c.Verdict.Decision == "accept" {
			accepted = c.Verdict.Claim
		}
	}
	if kinds["value"] == 0 || kinds["temporal"] == 0 || kinds["name"] == 0 {
		t.Errorf("conflict kinds = %v, want value, temporal and name", kinds)
	}
	if accepted != "jp-launched" {
		t.Errorf("accepted claim = %q, want jp-launched (the demo's verdict)", accepted)
	}
}
