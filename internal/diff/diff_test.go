package diff

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/eksversion"
	"github.com/eks-render/render/internal/schema"
)

var update = flag.Bool("update", false, "update golden files")

// input parses testdata/<dir>/platform.yaml.
func input(t *testing.T, dir string) Input {
	t.Helper()
	file := filepath.Join("testdata", dir, "platform.yaml")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse(file, data, eksversion.ReferenceDay)
	if err != nil {
		t.Fatal(err)
	}
	return Input{Config: cfg, Late: lateOf(t, dir)}
}

// lateOf reads testdata/<dir>/outputs/prod.yaml: prod has a node group,
// which comes with the second phase, so its outputs make the node group
// part of the comparison.
func lateOf(t *testing.T, dir string) map[string]config.LateValues {
	t.Helper()
	outputs := filepath.Join("testdata", dir, config.OutputsFile("prod"))
	data, err := os.ReadFile(outputs)
	if err != nil {
		t.Fatal(err)
	}
	late, err := config.ParseOutputs(outputs, "prod", data)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]config.LateValues{"prod": late}
}

func loadSchema(t *testing.T) *schema.Set {
	t.Helper()
	s, err := schema.Load()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestGolden(t *testing.T) {
	s := loadSchema(t)
	r, err := Compare(input(t, "from"), input(t, "to"), s)
	if err != nil {
		t.Fatal(err)
	}
	for f, file := range map[Format]string{TextFormat: "report.txt", JSONFormat: "report.json", MarkdownFormat: "report.md"} {
		t.Run("writes "+f.String(), func(t *testing.T) {
			var got bytes.Buffer
			if err := r.Write(&got, f); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", "golden", file), got.Bytes())
		})
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/diff -update)", err)
	}
	if d := gocmp.Diff(string(want), string(got)); d != "" {
		t.Errorf("%s differs (run go test ./internal/diff -update and review) (-want +got):\n%s", path, d)
	}
}

func TestReport(t *testing.T) {
	s := loadSchema(t)
	r, err := Compare(input(t, "from"), input(t, "to"), s)
	if err != nil {
		t.Fatal(err)
	}
	envs := map[string]Environment{}
	for _, e := range r.Environments {
		envs[e.Name] = e
	}
	t.Run("flags the new instance type as a replacement", func(t *testing.T) {
		want := Warning{Reason: ReplaceReason, Object: "Nodegroup/demo-prod/system", Path: "spec.instanceTypes"}
		if !hasWarning(envs["prod"], want) {
			t.Errorf("prod warnings %v lack %v", envs["prod"].Warnings(), want)
		}
	})
	t.Run("flags a new subnet CIDR as ignored by ACK", func(t *testing.T) {
		want := Warning{Reason: IgnoredReason, Object: "Subnet/demo-prod/private-a", Path: "spec.cidrBlock"}
		if !hasWarning(envs["prod"], want) {
			t.Errorf("prod warnings %v lack %v", envs["prod"].Warnings(), want)
		}
	})
	t.Run("counts a new environment as all added", func(t *testing.T) {
		e := envs["staging"]
		if e.Added == 0 || e.Changed != 0 || e.Removed != 0 || e.From.NATGateways != 0 || e.To.NATGateways != 1 {
			t.Errorf("staging: %s, size %v -> %v", e.headline(), e.From, e.To)
		}
	})
	t.Run("reads NAT gateways from the objects", func(t *testing.T) {
		if e := envs["dev"]; e.From.NATGateways != 1 || e.To.NATGateways != 2 || e.To.ElasticIPs != 2 {
			t.Errorf("dev size %v -> %v", e.From, e.To)
		}
	})
}

func hasWarning(e Environment, want Warning) bool {
	for _, w := range e.Warnings() {
		if w == want {
			return true
		}
	}
	return false
}

func TestUnchanged(t *testing.T) {
	r, err := Compare(input(t, "from"), input(t, "from"), loadSchema(t))
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if err := r.Write(&got, TextFormat); err != nil {
		t.Fatal(err)
	}
	if r.Changed || got.String() != "no changes\n" {
		t.Errorf("changed=%v, text %q, want no changes", r.Changed, got.String())
	}
}
