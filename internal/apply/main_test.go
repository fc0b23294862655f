package apply_test

import (
	"os"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/apitest"
	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/gen"
)

var env *apitest.Env

func TestMain(m *testing.M) {
	os.Exit(apitest.MainWithACK(m, func(e *apitest.Env) { env = e }))
}

// devObjects renders the example's dev environment into namespace ns.
func devObjects(t *testing.T, ns string) []*unstructured.Unstructured {
	t.Helper()
	data, err := os.ReadFile("../gen/testdata/configs/example.yaml")
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
	m, err := out.Files.BuildEnv("dev", false)
	if err != nil {
		t.Fatal(err)
	}
	objs, err := gen.Objects(m)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range objs {
		if u.GetKind() == "Namespace" {
			u.SetName(ns)
		} else {
			u.SetNamespace(ns)
		}
	}
	return objs
}
