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
	goldenOf(t, "testdata/configs/example.yaml", "testdata/golden")
}

// TestGoldenExisting checks environments on network.existing: no EC2
// network objects, the subnet IDs on the Cluster, node group and Fargate
// profiles, the VPC ID on the load balancer controller without a late
// value (dev has none), the public subnets on the game's Ingress, and a
// flow log only where the environment turns it on (prod).
func TestGoldenExisting(t *testing.T) {
	goldenOf(t, "testdata/configs/existing.yaml", "testdata/golden-existing")
}

func goldenOf(t *testing.T, file, dir string) {
	cfg := loadConfig(t, file)
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
	compareGolden(t, dir, want)
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
