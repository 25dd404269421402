package bagit_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/sillok/sillok/provenance/bagit"
)

// FuzzValidate validates a bag whose bagit.txt, bag-info.txt and payload
// manifest are the fuzzer's: Validate never panics, and a bag it finds
// valid lists the payload file it holds.
func FuzzValidate(f *testing.F) {
	f.Add([]byte("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"), []byte("Payload-Oxum: 5.1\n"),
		[]byte("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824  data/a\n"))
	f.Add([]byte("BagIt-Version: 0.97\r\nTag-File-Character-Encoding: UTF-16\r\n"), []byte(""), []byte("\xff\xfe2\x00"))
	f.Add([]byte("BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n"), []byte("A: b\n  c\n"),
		[]byte("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824 *./data/a\n2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824  data/A\n"))
	f.Fuzz(func(t *testing.T, bagitTxt, info, manifest []byte) {
		dir := t.TempDir()
		os.Mkdir(filepath.Join(dir, "data"), 0o755)
		os.WriteFile(filepath.Join(dir, "data", "a"), []byte("hello"), 0o644)
		os.WriteFile(filepath.Join(dir, "bagit.txt"), bagitTxt, 0o644)
		os.WriteFile(filepath.Join(dir, "bag-info.txt"), info, 0o644)
		os.WriteFile(filepath.Join(dir, "manifest-sha256.txt"), manifest, 0o644)
		r, err := bagit.Validate(dir, bagit.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if r.Valid() && (len(r.Payload) != 1 || r.Payload[0].Path != "data/a") {
			t.Errorf("a valid bag with payload %+v, want data/a", r.Payload)
		}
	})
}
