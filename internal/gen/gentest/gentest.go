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
	"github.com/eks-render/render/internal/gen"
)

// ExampleObjects builds environment env of the example configuration, with
// no late values: the management objects, or the workload.
func ExampleObjects(t testing.TB, env string, workload bool) []*unstructured.Unstructured {
	t.Helper()
	_, here, _, _ := runtime.Caller(0)
	file := filepath.Join(filepath.Dir(here), "..", "testdata", "configs", "example.yaml")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse("example.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	out, err := gen.Generate(cfg, nil)
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
