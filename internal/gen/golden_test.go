package gen

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGolden checks the tree and each built overlay of the example
// configuration against testdata/golden; `go test ./internal/gen -update`
// rewrites them, and reviewers read the diff as the spec.
func TestGolden(t *testing.T) {
	cfg := loadConfig(t, "testdata/configs/example.yaml")
	out := generate(t, cfg)
	want := Tree{}
	for _, p := range out.Files.Paths() {
		want[filepath.ToSlash(filepath.Join("tree", p))] = out.Files[p]
	}
	for _, env := range cfg.Environments {
		for _, workload := range []bool{false, true} {
			m, err := out.Files.BuildEnv(env.Name, workload)
			if err != nil {
				t.Fatal(err)
			}
			b, err := m.AsYaml()
			if err != nil {
				t.Fatal(err)
			}
			name := env.Name
			if workload {
				name += "-workload"
			}
			want["built/"+name+".yaml"] = b
		}
	}
	want["pending.txt"] = []byte(strings.Join(out.Pending, "\n") + "\n")
	compareGolden(t, "testdata/golden", want)
}

func compareGolden(t *testing.T, dir string, want Tree) {
	t.Helper()
	if *update {
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		for p, b := range want {
			if err := writeFile(filepath.Join(dir, filepath.FromSlash(p)), b); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	got := map[string]bool{}
	err := filepath.WalkDir(dir, func(path string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		got[filepath.ToSlash(rel)] = true
		return nil
	})
	if err != nil {
		t.Fatalf("%v (run go test ./internal/gen -update)", err)
	}
	for _, p := range want.Paths() {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
		if err != nil {
			t.Errorf("golden %s missing (run go test ./internal/gen -update)", p)
			continue
		}
		if !bytes.Equal(b, want[p]) {
			t.Errorf("golden %s differs (run go test ./internal/gen -update and review the diff)", p)
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("golden %s is no longer produced (run go test ./internal/gen -update)", p)
		}
	}
}

// TestGoldenHTTPS checks the game's Ingress of an environment with
// app.tls against testdata/golden-https.
func TestGoldenHTTPS(t *testing.T) {
	objs := buildEnv(t, generate(t, loadConfig(t, "testdata/configs/https.yaml")).Files, "web", true)
	want := Tree{}
	for _, m := range objs {
		if m["kind"] == "Ingress" {
			b, err := encode("", m)
			if err != nil {
				t.Fatal(err)
			}
			want["ingress.yaml"] = b
		}
	}
	compareGolden(t, "testdata/golden-https", want)
}
