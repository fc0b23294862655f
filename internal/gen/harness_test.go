package gen

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"k8s.io/apimachinery/pkg/util/yaml"

	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/eksversion"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// lateForTests gives prod its late values, so that the golden files hold
// both a rendering with the second-phase objects (prod: FlowLog, OIDC
// provider, the load balancer controller's IRSA role) and one still
// waiting for them (dev).
var lateForTests = map[string]LateValues{"prod": {
	VPCID:      "vpc-0123456789abcdef0",
	OIDCIssuer: "https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
}}

// configs returns every test configuration, by file name.
func configs(t testing.TB) map[string]*config.Config {
	t.Helper()
	files, err := filepath.Glob("testdata/configs/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test configurations: %v", err)
	}
	files = append(files, multiAccountExample)
	out := map[string]*config.Config{}
	for _, f := range files {
		out[filepath.Base(f)] = loadConfig(t, f)
	}
	return out
}

func loadConfig(t testing.TB, file string) *config.Config {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse(filepath.Base(file), data, eksversion.ReferenceDay)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return cfg
}

func generate(t testing.TB, cfg *config.Config) *Output {
	t.Helper()
	out, err := Generate(cfg, lateForTests)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// built is one built kustomization as generic objects, sorted by
// kind, namespace and name.
type built []map[string]any

func buildEnv(t testing.TB, tree Tree, env string, workload bool) built {
	t.Helper()
	m, err := tree.BuildEnv(env, workload)
	if err != nil {
		t.Fatal(err)
	}
	b, err := m.AsYaml()
	if err != nil {
		t.Fatal(err)
	}
	return decodeAll(t, b)
}

// decodeAll splits a YAML stream into objects, sorted.
func decodeAll(t testing.TB, b []byte) built {
	t.Helper()
	dec := yaml.NewYAMLOrJSONDecoder(bytes.NewReader(b), 4096)
	var out built
	for {
		var m map[string]any
		err := dec.Decode(&m)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if m != nil {
			out = append(out, m)
		}
	}
	sort.Slice(out, func(i, j int) bool { return key(out[i]) < key(out[j]) })
	return out
}

// key names a built object as Kind/namespace/name.
func key(m map[string]any) string {
	meta, _ := m["metadata"].(map[string]any)
	return fmt.Sprintf("%s/%v/%v", m["kind"], meta["namespace"], meta["name"])
}

// eachBuild calls fn for every environment of every configuration, for the
// management overlay and the workload overlay.
func eachBuild(t *testing.T, fn func(t *testing.T, cfg *config.Config, env config.Environment, workload bool, objs built)) {
	for name, cfg := range configs(t) {
		tree := generate(t, cfg).Files
		for _, env := range cfg.Environments {
			for _, workload := range []bool{false, true} {
				label := fmt.Sprintf("%s/%s/workload=%t", name, env.Name, workload)
				t.Run(label, func(t *testing.T) { fn(t, cfg, env, workload, buildEnv(t, tree, env.Name, workload)) })
			}
		}
	}
}
