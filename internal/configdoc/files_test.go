package configdoc_test

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/eks-render/render/internal/configdoc"
)

var update = flag.Bool("update", false, "rewrite the generated reference and schemas (make docs)")

// TestGeneratedFilesAreCurrent keeps docs/configuration.md and schema/ what
// the config types give; make docs rewrites them with -update.
func TestGeneratedFilesAreCurrent(t *testing.T) {
	files, err := configdoc.Files(os.DirFS("../config"))
	if err != nil {
		t.Fatal(err)
	}
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, p := range paths {
		want := files[p]
		if p == configdoc.ReferenceFile {
			want = append(want, '\n')
		}
		path := filepath.Join("..", "..", filepath.FromSlash(p))
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run make docs)", err)
		}
		if string(got) != string(want) {
			t.Errorf("%s is stale: run make docs", p)
		}
	}
}
