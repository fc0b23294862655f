package ci

import (
	"bytes"
	"flag"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite examples/ci")

const repoRoot = "../.."

// TestExamples keeps examples/ci equal to the templates (make examples,
// or go test ./internal/ci -run TestExamples -update, rewrites it).
func TestExamples(t *testing.T) {
	want, err := Examples()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(repoRoot, "examples", "ci")
	if *update {
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		for _, p := range slices.Sorted(maps.Keys(want)) {
			full := filepath.Join(repoRoot, filepath.FromSlash(p))
			if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(full, want[p], 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	got := map[string][]byte{}
	err = filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(repoRoot, p)
		got[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var stale []string
	for _, p := range slices.Sorted(maps.Keys(want)) {
		if !bytes.Equal(got[p], want[p]) {
			stale = append(stale, p)
		}
	}
	for _, p := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[p]; !ok {
			stale = append(stale, p+" (not a template's)")
		}
	}
	if len(stale) > 0 {
		t.Fatalf("examples/ci is not what the templates give (run make examples):\n  %s", strings.Join(stale, "\n  "))
	}
}

func TestFiles(t *testing.T) {
	for _, tc := range []struct {
		p    Provider
		want []string
	}{
		{GitHub, []string{".github/workflows/render-check.yml", ".github/workflows/render-diff.yml", ".github/workflows/render-outputs.yml"}},
		{GitLab, []string{".gitlab-ci.yml"}},
	} {
		t.Run(tc.p.String()+" pins the version everywhere", func(t *testing.T) {
			files, err := Files(tc.p, "v1.2.3")
			if err != nil {
				t.Fatal(err)
			}
			if got := slices.Sorted(maps.Keys(files)); strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Fatalf("paths = %v, want %v", got, tc.want)
			}
			for p, b := range files {
				if bytes.Contains(b, []byte(Placeholder)) || !bytes.Contains(b, []byte("RENDER_VERSION: v1.2.3\n")) {
					t.Errorf("%s is not pinned to v1.2.3", p)
				}
			}
		})
	}
	for _, v := range []string{"", "(devel)", "latest", "v1.2", "v1.2.3; rm -rf /", Placeholder} {
		if _, err := Files(GitHub, v); err == nil {
			t.Errorf("Files(%q) pinned the jobs to it", v)
		}
	}
	for _, v := range []string{"v0.3.0", "v0.0.0-20261206223000-4c227ee1a2b3", "4c227ee"} {
		if _, err := Files(GitLab, v); err != nil {
			t.Errorf("Files(%q) = %v", v, err)
		}
	}
}
