// Package gentest gives other packages' tests the objects of the
// generator's example configuration (internal/gen/testdata/configs), built
// through the committed-tree path: Generate, then kustomize. Test code only.
package gentest

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/eksversion"
	"github.com/eks-render/render/internal/gen"
)

// ExampleObjects builds environment env of the example configuration, with
// no late values: the management objects, or the workload.
// Late is a complete set of late values, as AWS would report them, for
// tests that render an environment whole.
var Late = config.LateValues{AccountID: "111122223333", VPCID: "vpc-0123456789abcdef0",
	OIDCIssuer: "https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLE", ClusterEndpoint: "https://example.eks.amazonaws.com", ClusterCA: "Y2E="}

func ExampleObjects(t testing.TB, env string, workload bool) []*unstructured.Unstructured {
	t.Helper()
	out, err := gen.Generate(exampleConfig(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := out.Files.BuildEnv(env, workload)
	if err != nil {
		t.Fatal(err)
	}
	objs, err := gen.Objects(m)
	if err != nil {
		t.Fatal(err)
	}
	return objs
}

// EnvObjects renders environment env of the example configuration with
// late values, as gen.EnvObjects does (no kustomize): the management
// objects with their Namespace first, or the workload.
func EnvObjects(t testing.TB, env string, late config.LateValues, workload bool) []*unstructured.Unstructured {
	t.Helper()
	cfg := exampleConfig(t)
	e, err := cfg.Environment(env)
	if err != nil {
		t.Fatal(err)
	}
	objs, err := gen.EnvObjects(*e, late, workload)
	if err != nil {
		t.Fatal(err)
	}
	return objs
}

// exampleConfig parses the generator's example configuration.
func exampleConfig(t testing.TB) *config.Config {
	t.Helper()
	_, here, _, _ := runtime.Caller(0)
	file := filepath.Join(filepath.Dir(here), "..", "testdata", "configs", "example.yaml")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse("example.yaml", data, eksversion.ReferenceDay)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}
